import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../../application/ports/eventStore';
import { streams } from '../../application/streams';
import { createTestDatabase } from '../../../test/support/database';
import { notarizeAll, testSigningKey } from '../../../test/support/notary';
import { verifyLive } from '../audit/verifyLog';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore';
import { masterKeyOf } from '../keys/envelope';
import { keyedHashOf, matchingSecret } from './matchingSecret';
import { PostgresSubjectKeys } from './postgresSubjectKeys';
import { ProtectedEventStore } from './protectedEventStore';
import { protectExisting } from './protectExisting';

const master = masterKeyOf(randomBytes(32));
const CONTACT = 'c0000000000000000000000a';
const DIALOG = 'd0000000000000000000000a';
const KEY = `custom:ch1:id:old-customer-4411`;

const meta = (): EventMetadata => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: { type: 'system' },
  recordedAt: '2026-01-01T10:00:00.000Z',
  schemaVersion: 1,
});
const event = (type: string, data: unknown): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: meta(),
});

describe('npm run keys -- protect-existing (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let raw: PostgresEventStore;
  const signing = testSigningKey();

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 6 });
    raw = new PostgresEventStore(db.pool);
    // a log written before encryption: plaintext, unkeyed claim ids, no metadata.subject
    await raw.appendToStream(
      streams.contact(CONTACT),
      [
        event('ContactCreated', {
          contactId: CONTACT,
          channelId: 'ch1',
          name: 'Old Ivanov',
          description: null,
          createdAt: '2026-01-01T10:00:00.000Z',
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await raw.appendToStream(
      streams.contactKey(KEY),
      [event('ContactKeyClaimed', { key: KEY, contactId: CONTACT, dataId: 'f1' })],
      { expectedRevision: 'no_stream' },
    );
    await raw.appendToStream(
      streams.dialog(DIALOG),
      [
        event('DialogOpened', {
          dialogId: DIALOG,
          channelId: 'ch1',
          reference: null,
          title: 'Old title',
          contactId: CONTACT,
          openedAt: '2026-01-01T10:00:00.000Z',
        }),
        event('MessageSent', {
          dialogId: DIALOG,
          messageId: 'm1',
          operatorId: null,
          text: 'old reply text',
          html: null,
          attachments: [],
          sentAt: '2026-01-01T10:00:00.000Z',
          requestHash: null,
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    const last = await raw.appendToStream(
      streams.idempotency('ch1', 'k1'),
      [
        event('IdempotentRequestRecorded', {
          scope: 'ch1',
          requestHash: 'h',
          response: { contact_id: CONTACT, contacts: [{ value: 'old-customer-4411' }] },
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await notarizeAll(db.pool, raw, signing, last.checkpoint);
    expect(await verifyLive(db.pool, raw, signing.publicKey)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await raw?.close();
    await db?.drop();
  });

  const keysAndHash = async () => ({
    keys: new PostgresSubjectKeys(db.pool, { masterKeys: [master] }),
    hash: keyedHashOf(await matchingSecret(db.pool, [master])),
  });

  it('given a log from before encryption, when run, then no plaintext is left, it reads the same, and the audit verifies', async () => {
    const { keys, hash } = await keysAndHash();
    const report = await protectExisting(db.pool, keys, hash, signing);
    expect(report).toEqual({ events_sealed: 5, streams_renamed: 2, reanchored: true });

    const { rows } = await db.pool.query<{ v: string }>(
      'SELECT stream_id || data::text AS v FROM event_store.events',
    );
    const stored = rows.map((r) => r.v).join('\n');
    const unkeyed = createHash('sha256').update(KEY).digest('hex');
    for (const plain of ['Old Ivanov', 'old-customer-4411', 'old reply text', 'Old title', unkeyed])
      expect(stored).not.toContain(plain);

    const reader = new ProtectedEventStore(raw, { keys, hash, legacyStreamIds: false });
    expect((await reader.readStream(streams.contactKey(KEY)))[0]?.data).toEqual({
      key: KEY,
      contactId: CONTACT,
      dataId: 'f1',
    });
    const dialog = await reader.readStream(streams.dialog(DIALOG));
    expect(dialog[1]?.data).toMatchObject({ text: 'old reply text' });
    expect(dialog[1]?.metadata.subject).toBe(CONTACT);

    const verified = await verifyLive(db.pool, raw, signing.publicKey);
    expect(verified).toMatchObject({ ok: true, events_notarized: 5, findings: [] });
  });

  it('given it ran once, when run again, then it finds nothing to do', async () => {
    const { keys, hash } = await keysAndHash();
    expect(await protectExisting(db.pool, keys, hash, signing)).toEqual({
      events_sealed: 0,
      streams_renamed: 0,
      reanchored: false,
    });
  });

  it('given the re-anchoring record altered, then verification reports it', async () => {
    await db.pool.query(
      `UPDATE audit.reanchorings SET payload = replace(payload, '"events_rewritten":5', '"events_rewritten":4')`,
    );
    const verified = await verifyLive(db.pool, raw, signing.publicKey);
    expect(verified.ok).toBe(false);
    expect(verified.findings).toEqual([expect.objectContaining({ kind: 'reanchoring_mismatch' })]);
  });
});
