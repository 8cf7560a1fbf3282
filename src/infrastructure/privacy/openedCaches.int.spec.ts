import { randomBytes, randomUUID } from 'node:crypto';
import { createPool } from '../postgres/pool';
import { createTestDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/eventually';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore';
import { masterKeyOf } from '../keys/envelope';
import * as cipher from './dataKeyCipher';
import { keyedHashOf } from './matchingSecret';
import { ERASED_TEXT } from './personalFields';
import { PostgresSubjectKeys } from './postgresSubjectKeys';
import { ProtectedEventStore } from './protectedEventStore';

const master = masterKeyOf(randomBytes(32));
const hash = keyedHashOf(randomBytes(32));
// longer than any wait below: what these processes learn, they learn from the NOTIFY
const NO_RECHECK_MS = 600_000;

/**
 * Two Parley processes as PostgreSQL sees them: each its own pool, key cache, opened-event
 * cache and LISTEN connection, on one database.
 */
describe('what a process keeps opened: shared by its readers, dropped at an erasure in any process', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const processes: {
    keys: PostgresSubjectKeys;
    store: ProtectedEventStore;
    end(): Promise<void>;
  }[] = [];
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 2 });
  });
  afterAll(async () => {
    for (const p of processes) await p.end();
    await db.drop();
  });
  const startProcess = async (listening = true) => {
    const pool = createPool({ connectionString: db.connectionString, max: 4 });
    const keys = new PostgresSubjectKeys(pool, {
      masterKeys: [master],
      destroyedCheckMs: NO_RECHECK_MS,
    });
    if (listening) await keys.listen();
    const store = new ProtectedEventStore(new PostgresEventStore(pool), {
      keys,
      hash,
      legacyStreamIds: false,
    });
    const p = {
      keys,
      store,
      end: async () => {
        await keys.close();
        await store.close();
        await pool.end();
      },
    };
    processes.push(p);
    return p;
  };
  const contactCreated = (contactId: string) => ({
    id: randomUUID(),
    type: 'ContactCreated',
    data: { contactId, channelId: 'ch', name: 'Vasya Pupkin', description: null, createdAt: 't' },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { type: 'system' as const },
      recordedAt: '2026-01-01T10:00:00.000Z',
      schemaVersion: 1,
    },
  });
  const nameIn = async (store: ProtectedEventStore, stream: string) =>
    ((await store.readStream(stream))[0]?.data as { name: string }).name;

  it('given a contact opened in both processes, when one destroys its key, then the other reads [erased] without waiting for its re-check', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const contactId = randomBytes(12).toString('hex');
    await a.store.appendToStream(`contact-${contactId}`, [contactCreated(contactId)], {
      expectedRevision: 'no_stream',
    });
    expect(await nameIn(a.store, `contact-${contactId}`)).toBe('Vasya Pupkin');
    expect(await nameIn(b.store, `contact-${contactId}`)).toBe('Vasya Pupkin');

    await b.keys.destroy([contactId]);

    expect(await nameIn(b.store, `contact-${contactId}`)).toBe(ERASED_TEXT);
    await eventually(
      () => nameIn(a.store, `contact-${contactId}`),
      (name) => name === ERASED_TEXT,
      2_000,
    );
    expect(await a.keys.isDestroyed(contactId)).toBe(true);
  });

  it('given many subjects destroyed at once, then every one of them reaches the other process (several notifications)', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const ids = Array.from({ length: 600 }, () => randomBytes(12).toString('hex'));
    for (const id of ids) await a.keys.seal(id, Buffer.from('x'), 'e');
    const heard = new Set<string>();
    a.keys.onDestroyed((destroyed) => destroyed.forEach((id) => heard.add(id)));
    await b.keys.destroy(ids);
    await eventually(
      async () => heard.size,
      (size) => size === ids.length,
      2_000,
    );
    expect((await Promise.all(ids.map((id) => a.keys.isDestroyed(id)))).every(Boolean)).toBe(true);
  });

  it('given readers of one page at once, then each sealed field is decrypted once for all of them', async () => {
    const a = await startProcess();
    const ids = Array.from({ length: 20 }, () => randomBytes(12).toString('hex'));
    for (const id of ids)
      await a.store.appendToStream(`contact-${id}`, [contactCreated(id)], {
        expectedRevision: 'no_stream',
      });
    const streams = new Set(ids.map((id) => `contact-${id}`));
    // as stored: the readers below open them, as a page of the log arrives
    // the gap-safe log shows a commit once every older transaction of the server has ended
    const raw = new PostgresEventStore(db.pool);
    const events = await eventually(
      async () =>
        (await raw.readAll({ maxCount: 10_000 })).events.filter((e) => streams.has(e.streamId)),
      (found) => found.length === ids.length,
    );
    const opened = jest.spyOn(cipher, 'openWithDataKey');
    try {
      // a projection runner, the outbox and a command handler read the same new events
      const pages = await Promise.all([1, 2, 3].map(() => a.store.openAll(events)));
      expect(pages.map((page) => page.map((e) => (e.data as { name: string }).name))).toEqual(
        [1, 2, 3].map(() => ids.map(() => 'Vasya Pupkin')),
      );
      // one field each (the description is null): 20 decryptions, not 60
      expect(opened).toHaveBeenCalledTimes(ids.length);
    } finally {
      opened.mockRestore();
    }
  });

  it('given a process that does not listen, then its cached key is still served until its re-check (the fallback)', async () => {
    const deaf = await startProcess(false);
    const b = await startProcess();
    const contactId = randomBytes(12).toString('hex');
    const sealed = await deaf.keys.seal(contactId, Buffer.from('x'), 'e');
    await b.keys.destroy([contactId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deaf.keys.open(contactId, sealed, 'e')).not.toBeNull();
  });
});
