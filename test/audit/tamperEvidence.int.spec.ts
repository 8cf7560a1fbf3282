import type { Pool, PoolClient } from 'pg';
import { digestOfJson } from '../../src/infrastructure/audit/eventDigest';
import { verifyLive } from '../../src/infrastructure/audit/verifyLog';
import type { Finding } from '../../src/infrastructure/audit/verification';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createTestDatabase } from '../support/database';
import { notarizeAll, testSigningKey } from '../support/notary';
import { mixedScenario } from '../support/scenario';
import { writer } from '../support/writer';

/*
 * Someone with the database's owner rights disables the append-only trigger and edits the log.
 * Each tampering is undone afterwards (the whole table comes back from a copy), so the cases
 * share one notarised history; a clean verification after each proves the undo.
 */
describe('tamper evidence on a live PostgreSQL store', () => {
  const key = testSigningKey();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let pool: Pool;

  type Row = {
    global_position: string;
    stream_id: string;
    stream_revision: string;
    transaction_id: string;
  };
  const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> =>
    (await pool.query<Row>(sql, params)).rows;
  /** a stream with at least `n` events */
  const streamWith = async (n: number, prefix = ''): Promise<Row[]> => {
    const [stream] = await rows(
      `SELECT stream_id FROM event_store.events WHERE stream_id LIKE $2 || '%'
       GROUP BY stream_id HAVING count(*) >= $1 ORDER BY stream_id LIMIT 1`,
      [n, prefix],
    );
    return rows('SELECT * FROM event_store.events WHERE stream_id = $1 ORDER BY stream_revision', [
      stream?.stream_id,
    ]);
  };

  const tampered = async (
    edit: (db: PoolClient) => Promise<unknown>,
  ): Promise<readonly Finding[]> => {
    const client = await pool.connect();
    try {
      await client.query('ALTER TABLE event_store.events DISABLE TRIGGER events_immutable');
      await edit(client);
      return (await verifyLive(pool, store, key.publicKey)).findings;
    } finally {
      await client.query('DELETE FROM event_store.events');
      await client.query('INSERT INTO event_store.events SELECT * FROM public.events_copy');
      await client.query('ALTER TABLE event_store.events ENABLE TRIGGER events_immutable');
      await client.query('DELETE FROM audit.event_digests');
      await client.query('INSERT INTO audit.event_digests SELECT * FROM public.digests_copy');
      client.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool;
    store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
    const w = writer(store);
    await mixedScenario(store, { seed: 13, steps: 150, writer: w });
    await notarizeAll(pool, store, key, w.lastPosition());
    await pool.query('CREATE TABLE public.events_copy AS SELECT * FROM event_store.events');
    await pool.query('CREATE TABLE public.digests_copy AS SELECT * FROM audit.event_digests');
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });
  afterEach(async () => {
    expect((await verifyLive(pool, store, key.publicKey)).findings).toEqual([]);
  });

  it('verifies the untouched log', async () => {
    const report = await verifyLive(pool, store, key.publicKey);
    expect(report.ok).toBe(true);
    expect(report.events_notarized).toBeGreaterThan(200);
    expect(report.events_notarized).toBe(report.events_checked);
    expect(report.events_unsigned).toBe(0);
  });

  it.each([
    ['type', `event_type = 'ContactDeleted'`],
    ['data', `data = jsonb_set(data, '{forged}', 'true')`],
    ['metadata', `metadata = jsonb_set(metadata, '{actor}', '{"type":"admin"}')`],
  ])('names an event whose %s was changed', async (field, set) => {
    const [, target] = await streamWith(3);
    const findings = await tampered((c) =>
      c.query(`UPDATE event_store.events SET ${set} WHERE global_position = $1`, [
        target?.global_position,
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'changed',
        stream: target?.stream_id,
        revision: '1',
        fields: [field],
      }),
    ]);
  });

  it('names an event deleted from the middle of its stream', async () => {
    const [, middle] = await streamWith(3);
    const findings = await tampered((c) =>
      c.query('DELETE FROM event_store.events WHERE global_position = $1', [
        middle?.global_position,
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'deleted',
        where: 'middle',
        stream: middle?.stream_id,
        revision: '1',
      }),
    ]);
  });

  it('names an event deleted from the end of its stream', async () => {
    const events = await streamWith(2);
    const last = events[events.length - 1];
    const findings = await tampered((c) =>
      c.query('DELETE FROM event_store.events WHERE global_position = $1', [last?.global_position]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'deleted',
        where: 'end',
        stream: last?.stream_id,
        revision: last?.stream_revision,
        position: expect.stringMatching(/^\d+:\d+$/),
      }),
    ]);
  });

  it('names a whole stream deleted', async () => {
    const [first] = await streamWith(2, 'dialog-');
    const findings = await tampered((c) =>
      c.query('DELETE FROM event_store.events WHERE stream_id = $1', [first?.stream_id]),
    );
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'stream_deleted', stream: first?.stream_id, revision: '0' }),
    ]);
  });

  it('names a forged event inserted among notarised ones', async () => {
    const [early] = await streamWith(1, 'channel-');
    const findings = await tampered((c) =>
      c.query(
        `INSERT INTO event_store.events
           (transaction_id, stream_id, stream_revision, event_id, event_type, data, metadata)
         VALUES ($1, 'contact-forged', 0, gen_random_uuid(), 'ContactCreated', '{}', '{}')`,
        [early?.transaction_id],
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'inserted', stream: 'contact-forged', revision: '0' }),
    ]);
  });

  it('names two events that were swapped', async () => {
    const [, a, b] = await streamWith(3);
    const columns = 'event_id, stream_revision, event_type, data, metadata';
    const findings = await tampered(async (c) => {
      // through placeholders: event ids and (stream, revision) are unique
      await c.query(
        `UPDATE event_store.events SET event_id = gen_random_uuid(), stream_revision = -1 - stream_revision
         WHERE global_position = ANY($1::bigint[])`,
        [[a?.global_position, b?.global_position]],
      );
      await c.query(
        `UPDATE event_store.events t SET (${columns}) = (SELECT ${columns} FROM public.events_copy WHERE global_position = $2)
         WHERE t.global_position = $1`,
        [a?.global_position, b?.global_position],
      );
      await c.query(
        `UPDATE event_store.events t SET (${columns}) = (SELECT ${columns} FROM public.events_copy WHERE global_position = $2)
         WHERE t.global_position = $1`,
        [b?.global_position, a?.global_position],
      );
    });
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'swapped',
        stream: a?.stream_id,
        revision: '1',
        with: expect.objectContaining({ stream: b?.stream_id, revision: '2' }),
      }),
    ]);
  });

  it('catches the notary’s table edited to cover an edited event', async () => {
    const [, target] = await streamWith(3);
    const findings = await tampered(async (c) => {
      await c.query(
        `UPDATE event_store.events SET data = jsonb_set(data, '{forged}', 'true') WHERE global_position = $1`,
        [target?.global_position],
      );
      const { rows: edited } = await c.query<{ data: unknown }>(
        'SELECT data FROM event_store.events WHERE global_position = $1',
        [target?.global_position],
      );
      // the record now matches the edited event; its leaf and chains cannot, without the key
      await c.query(
        `UPDATE audit.event_digests SET data_digest = $2 WHERE position LIKE '%:' || $1`,
        [target?.global_position, digestOfJson(edited[0]?.data)],
      );
    });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'digest_altered', stream: target?.stream_id, revision: '1' }),
    ]);
  });

  it('names the end of a stream deleted together with the notary’s records of it', async () => {
    const events = await streamWith(2, 'contact-');
    const last = events[events.length - 1];
    const findings = await tampered(async (c) => {
      await c.query('DELETE FROM event_store.events WHERE global_position = $1', [
        last?.global_position,
      ]);
      await c.query(`DELETE FROM audit.event_digests WHERE position LIKE '%:' || $1`, [
        last?.global_position,
      ]);
    });
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'deleted',
        where: 'end',
        stream: last?.stream_id,
        revision: last?.stream_revision,
      }),
    );
    expect(findings.filter((f) => f.kind !== 'deleted')).toEqual([]);
  });
});
