import { sign } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Checkpoint, RecordedEvent } from '../../application/ports/eventStore';
import { inTransaction } from '../../projections/transaction';
import { canonicalJson } from '../audit/canonicalJson';
import { createAuditTables, lockNotaryState } from '../audit/auditTables';
import { GENESIS } from '../audit/eventDigest';
import { notarizeBatch } from '../audit/notaryBatch';
import type { SigningKey } from '../audit/signingKey';
import { comparePositions, decodeCheckpoint } from '../eventstore/postgres/checkpoint';
import {
  EVENT_COLUMNS,
  toRecorded,
  type EventRow,
} from '../eventstore/postgres/postgresEventStore';
import { hasPlaintextField, sealData, type CodecKeys } from './fieldCodec';
import type { KeyedHash } from './matchingSecret';
import { personalFields } from './personalFields';
import { markProtection } from './protection';
import { storedStreamId } from './protectedEventStore';
import { createReanchorings, type ReanchoringPayload } from './reanchoring';

export type ProtectReport = Readonly<{
  events_sealed: number;
  streams_renamed: number;
  reanchored: boolean;
}>;

const PAGE = 1_000;

/** The contact of an event whose data does not name it, from what came before it in the log. */
const subjectFor = (
  event: RecordedEvent,
  dialogs: ReadonlyMap<string, string>,
): string | undefined => {
  const data = event.data as Record<string, unknown>;
  if (typeof data.contactId === 'string') return data.contactId;
  if (typeof event.metadata.subject === 'string') return event.metadata.subject;
  if (typeof data.dialogId === 'string') return dialogs.get(data.dialogId);
  const response = data.response as { contact_id?: unknown } | null | undefined;
  return typeof response?.contact_id === 'string' ? response.contact_id : undefined;
};

async function* pages(db: PoolClient): AsyncGenerator<RecordedEvent[]> {
  let after = 0n;
  for (;;) {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE global_position > $1
        ORDER BY global_position LIMIT ${PAGE}`,
      [after.toString()],
    );
    if (rows.length === 0) return;
    after = BigInt((rows[rows.length - 1] as EventRow).global_position);
    yield rows.map(toRecorded);
  }
}

/**
 * `npm run keys -- protect-existing` on the PostgreSQL store (docs/privacy.md): in one
 * transaction, with the append-only trigger off, seals every personal field still in plaintext,
 * records the subject of events written before metadata.subject, moves matching streams from
 * their unkeyed to their keyed ids, then re-anchors the audit notary: its chains are computed
 * afresh over the rewritten log (same seqs, same positions), the signed checkpoints of the old
 * chain are kept inside a signed re-anchoring record, and verification checks that record.
 * Run it with Parley stopped. Idempotent: a second run finds nothing to do.
 */
export const protectExisting = async (
  pool: Pool,
  keys: CodecKeys,
  hash: KeyedHash,
  signingKey: SigningKey,
  now: () => Date = () => new Date(),
): Promise<ProtectReport> =>
  inTransaction(pool, async (db) => {
    await createAuditTables(db);
    await createReanchorings(db);
    const before = await lockNotaryState(db);
    await db.query('ALTER TABLE event_store.events DISABLE TRIGGER events_immutable');
    const dialogs = new Map<string, string>();
    const renames = new Map<string, string>();
    let sealed = 0;
    for await (const page of pages(db)) {
      for (const event of page) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'DialogOpened')
          dialogs.set(String(data.dialogId), String(data.contactId));
        const keyed = storedStreamId(hash, event.streamId);
        if (keyed !== event.streamId && event.revision === 0n && (await hasPlaintextField(event)))
          renames.set(event.streamId, keyed);
        const rule = personalFields[event.type];
        if (rule === undefined || !(await hasPlaintextField(event))) continue;
        const subject = subjectFor(event, dialogs);
        if (subject === undefined)
          throw new Error(`${event.type} ${event.id}: no contact found for its personal data`);
        const metadata = { ...event.metadata, subject };
        const protectedData = await sealData(keys, { ...event, metadata });
        await db.query(
          'UPDATE event_store.events SET data = $2, metadata = $3 WHERE event_id = $1',
          [event.id, JSON.stringify(protectedData), JSON.stringify(metadata)],
        );
        sealed++;
      }
    }
    for (const [from, to] of renames) {
      await db.query('UPDATE event_store.events SET stream_id = $2 WHERE stream_id = $1', [
        from,
        to,
      ]);
      await db.query('UPDATE event_store.streams SET stream_id = $2 WHERE stream_id = $1', [
        from,
        to,
      ]);
    }
    await db.query('ALTER TABLE event_store.events ENABLE TRIGGER events_immutable');
    const reanchored =
      (sealed > 0 || renames.size > 0) && before.seq > 0n
        ? await reanchor(db, before, signingKey, now(), { sealed, renamed: renames.size })
        : false;
    await markProtection(pool, 'protected');
    return { events_sealed: sealed, streams_renamed: renames.size, reanchored };
  });

/** The notary's chains computed afresh over the rewritten log, up to where the notary stood. */
const reanchor = async (
  db: PoolClient,
  before: Readonly<{ seq: bigint; position: string | null; globalHead: string }>,
  signingKey: SigningKey,
  at: Date,
  counts: Readonly<{ sealed: number; renamed: number }>,
): Promise<boolean> => {
  const { rows: previous } = await db.query<{ payload: string; signature: string }>(
    'SELECT payload, signature FROM audit.checkpoints ORDER BY seq DESC LIMIT 1',
  );
  await db.query('DELETE FROM audit.event_digests');
  await db.query('DELETE FROM audit.checkpoints');
  await db.query(
    `UPDATE audit.notary_state SET seq = 0, position = NULL, global_head = '${GENESIS}'`,
  );
  const end = decodeCheckpoint(before.position as Checkpoint);
  for await (const page of pages(db)) {
    const upTo = page.filter((e) => comparePositions(decodeCheckpoint(e.checkpoint), end) <= 0);
    await notarizeBatch(db, upTo);
  }
  const after = await lockNotaryState(db);
  if (after.seq !== before.seq)
    throw new Error(
      `re-anchoring found ${after.seq} events where the notary had ${before.seq}: the log is not what was notarised; verify it first`,
    );
  const payload: ReanchoringPayload = {
    kind: 'reanchoring',
    reason: 'protect-existing',
    seq: before.seq.toString(),
    position: before.position as string,
    previous_global_head: before.globalHead,
    previous_checkpoint: previous[0] ?? null,
    new_global_head: after.globalHead,
    events_rewritten: counts.sealed,
    streams_renamed: counts.renamed,
    at: at.toISOString(),
  };
  const text = canonicalJson(payload);
  await db.query('INSERT INTO audit.reanchorings (seq, payload, signature) VALUES ($1, $2, $3)', [
    before.seq.toString(),
    text,
    sign(null, Buffer.from(text, 'utf8'), signingKey.privateKey).toString('base64'),
  ]);
  return true;
};
