import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { EventToAppend, RecordedEvent } from '../../application/ports/eventStore';
import { applyEvents } from '../../projections/projection';
import { StatementBatch } from '../../projections/statementBatch';
import { inTransaction } from '../../projections/transaction';
import { createTestDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/eventually';
import { testSigningKey } from '../../../test/support/notary';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore';
import { systemClock } from '../clock';
import { createAuditTables, notaryHead } from './auditTables';
import { signPendingCheckpoint } from './checkpointSigner';
import { notaryProjection } from './notary';
import { verifyLive } from './verifyLog';
import { migrate, migrations } from '../postgres/migrations';

const event = (n: number): EventToAppend => ({
  id: randomUUID(),
  type: 'AuditProbeRecorded',
  data: { n },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'system' },
    recordedAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

const EXPECTED_INDEXES = [
  'checkpoints.checkpoints_pkey',
  'event_digests.event_digests_event_id_key',
  'event_digests.event_digests_pkey',
  'event_digests.event_digests_stream (stream, seq)',
  'notary_state.notary_state_pkey',
];

/** the notary's tables' indexes, with the columns of the one the heads are found by */
const auditIndexes = async (pool: Pool): Promise<string[]> => {
  const { rows } = await pool.query<{ tablename: string; indexname: string; indexdef: string }>(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'audit'
       AND tablename IN ('event_digests', 'stream_heads', 'notary_state', 'checkpoints')
     ORDER BY tablename, indexname`,
  );
  return rows.map((r) =>
    r.indexname === 'event_digests_stream'
      ? `${r.tablename}.${r.indexname} ${/\(.*\)/.exec(r.indexdef)?.[0] ?? ''}`
      : `${r.tablename}.${r.indexname}`,
  );
};

describe('the notary', () => {
  const key = testSigningKey();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let log: readonly RecordedEvent[];
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    for (const stream of ['probe-a', 'probe-b'])
      await store.appendToStream(stream, [event(1), event(2), event(3)], {
        expectedRevision: 'no_stream',
      });
    // the gap-safe log shows a commit once every older transaction of the server has ended
    log = await eventually(
      async () => (await store.readAll()).events,
      (events) => events.length === 6,
    );
    await inTransaction(db.pool, createAuditTables);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const apply = (events: readonly RecordedEvent[]) =>
    inTransaction(db.pool, (client) => applyEvents(client, notaryProjection(), events));

  it('commits its batches without waiting for the WAL flush: its chains are the log’s alone', () => {
    // a batch lost to a server crash is chained again to the same digests (the replay test below)
    expect(notaryProjection().derivedOnly).toBe(true);
  });

  it('signs nothing before it has notarised anything', async () => {
    expect(await signPendingCheckpoint(db.pool, key, systemClock)).toBeNull();
  });

  it('given a batch replayed in part after a crash, when applied, then records each event once', async () => {
    await apply(log.slice(0, 4));
    await apply(log.slice(2));
    expect((await notaryHead(db.pool)).seq).toBe(6n);
    const signed = await signPendingCheckpoint(db.pool, key, systemClock);
    expect(signed).toMatchObject({
      seq: '6',
      position: log[5]?.checkpoint,
      streams: [
        expect.objectContaining({ stream: 'probe-a', revision: '2' }),
        expect.objectContaining({ stream: 'probe-b', revision: '2' }),
      ],
    });
    // nothing new: no second checkpoint
    expect(await signPendingCheckpoint(db.pool, key, systemClock)).toBeNull();
    expect(await verifyLive(db.pool, store, key.publicKey)).toMatchObject({
      ok: true,
      events_notarized: 6,
      checkpoints_checked: 1,
    });
  });

  it('given the runner’s batch, when applied, then it only queues: the batch’s one message writes it', async () => {
    const more = await appendedAfter(log, 'probe-c', 2);
    const before = (await notaryHead(db.pool)).seq;
    await inTransaction(db.pool, async (client) => {
      const batch = new StatementBatch(client);
      await applyEvents(client, notaryProjection(), more, batch);
      // nothing sent yet: the transaction's own connection still sees the head as it was
      const { rows } = await client.query<{ seq: string }>('SELECT seq FROM audit.notary_state');
      expect(BigInt(rows[0]?.seq ?? -1)).toBe(before);
      await batch.flush();
    });
    expect((await notaryHead(db.pool)).seq).toBe(before + 2n);
    expect(await verifyLive(db.pool, store, key.publicKey)).toMatchObject({ ok: true });
  });

  it('given two signers at once, when both sign, then one checkpoint is made and the other finds nothing new', async () => {
    await apply(await appendedAfter(log, 'probe-d', 1));
    const results = await Promise.all([
      signPendingCheckpoint(db.pool, key, systemClock),
      signPendingCheckpoint(db.pool, key, systemClock),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await verifyLive(db.pool, store, key.publicKey)).toMatchObject({ ok: true });
  });

  it('given streams changed since the last checkpoint, when signed, then it lists each once at its last revision, and no other', async () => {
    await signPendingCheckpoint(db.pool, key, systemClock);
    const before = (await store.readAll({ maxCount: 10_000 })).events;
    await store.appendToStream('probe-a', [event(4), event(5)], { expectedRevision: 2n });
    await store.appendToStream('probe-e', [event(1)], { expectedRevision: 'no_stream' });
    await apply(await shownAfter(before, 3));
    const signed = await signPendingCheckpoint(db.pool, key, systemClock);
    // each stream's head is its latest digest's
    const { rows } = await db.pool.query<{ stream: string; revision: string; head: string }>(
      `SELECT DISTINCT ON (stream) stream, revision::text AS revision, stream_head AS head
       FROM audit.event_digests WHERE stream IN ('probe-a', 'probe-e') ORDER BY stream, seq DESC`,
    );
    expect(rows.map((r) => r.revision)).toEqual(['4', '0']);
    expect(signed?.streams).toEqual(rows);
    expect(await verifyLive(db.pool, store, key.publicKey)).toMatchObject({ ok: true });
  });

  it('finds a stream’s head by the digests’ index on (stream, seq), and keeps no table of heads', async () => {
    expect(await auditIndexes(db.pool)).toEqual(EXPECTED_INDEXES);
  });

  /** events appended to a new stream, once the gap-safe log shows them */
  const appendedAfter = async (
    seen: readonly RecordedEvent[],
    stream: string,
    count: number,
  ): Promise<readonly RecordedEvent[]> => {
    const all = await store.readAll({ maxCount: 10_000 });
    await store.appendToStream(
      stream,
      Array.from({ length: count }, (_, i) => event(i)),
      { expectedRevision: 'no_stream' },
    );
    return shownAfter([...seen, ...all.events], count);
  };

  /** the `count` events after those `seen`, once the gap-safe log shows them all */
  const shownAfter = (
    seen: readonly RecordedEvent[],
    count: number,
  ): Promise<readonly RecordedEvent[]> => {
    const known = new Set(seen.map((e) => e.id));
    return eventually(
      async () =>
        (await store.readAll({ maxCount: 10_000 })).events.filter((e) => !known.has(e.id)),
      (events) => events.length === count,
    );
  };
});

describe('migrations 181 and 182 on audit tables made in the shape before them', () => {
  const key = testSigningKey();
  it('drop the heads’ table for an index of the digests, and the notary chains on from where it stood', async () => {
    const db = await createTestDatabase({ migrate: false });
    const store = new PostgresEventStore(db.pool);
    try {
      await migrate(
        db.pool,
        migrations.filter((m) => m.version < 181),
      );
      // the notary's tables as its first run made them before 181: no index on the digests but
      // their keys', the heads in a table of their own
      await db.pool.query(`
        CREATE SCHEMA IF NOT EXISTS audit;
        CREATE TABLE audit.event_digests (seq bigint PRIMARY KEY, position text NOT NULL,
          stream text NOT NULL, revision bigint NOT NULL, event_id text NOT NULL UNIQUE,
          type text NOT NULL, data_digest text NOT NULL, metadata_digest text NOT NULL,
          leaf text NOT NULL, stream_head text NOT NULL, global_head text NOT NULL);
        CREATE TABLE audit.stream_heads (stream text PRIMARY KEY, revision bigint NOT NULL,
          head text NOT NULL, last_seq bigint NOT NULL);
        CREATE INDEX stream_heads_last_seq ON audit.stream_heads (last_seq);`);
      await inTransaction(db.pool, createAuditTables);
      await store.appendToStream('probe-m', [event(1), event(2)], {
        expectedRevision: 'no_stream',
      });
      const first = await eventually(
        async () => (await store.readAll()).events,
        (events) => events.length === 2,
      );
      await inTransaction(db.pool, (client) => applyEvents(client, notaryProjection(), first));
      await migrate(db.pool);
      expect(await auditIndexes(db.pool)).toEqual(EXPECTED_INDEXES);
      const { rows } = await db.pool.query<{ heads: string | null }>(
        `SELECT to_regclass('audit.stream_heads')::text AS heads`,
      );
      expect(rows[0]?.heads).toBeNull();
      await store.appendToStream('probe-m', [event(3)], { expectedRevision: 1n });
      const more = await eventually(
        async () => (await store.readAll()).events.slice(2),
        (events) => events.length === 1,
      );
      await inTransaction(db.pool, (client) => applyEvents(client, notaryProjection(), more));
      const signed = await signPendingCheckpoint(db.pool, key, systemClock);
      expect(signed?.streams).toEqual([
        expect.objectContaining({ stream: 'probe-m', revision: '2' }),
      ]);
      expect(await verifyLive(db.pool, store, key.publicKey)).toMatchObject({
        ok: true,
        events_notarized: 3,
      });
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
