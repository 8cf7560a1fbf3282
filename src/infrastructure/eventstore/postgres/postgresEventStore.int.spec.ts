import { randomUUID } from 'node:crypto';
import { heldTransactionPool } from '../../../../test/support/slowCommittingPool';
import { useTestDatabase } from '../../../../test/support/database';
import { eventually } from '../../../../test/support/eventually';
import type { EventToAppend } from '../../../application/ports/eventStore';
import { encodeCheckpoint } from './checkpoint';
import { PostgresEventStore, READ_ALL_OF_TYPES } from './postgresEventStore';

const event = (type: string): EventToAppend => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'system' },
    recordedAt: new Date().toISOString(),
    schemaVersion: 1,
  },
});

describe('PostgreSQL event store specifics', () => {
  const db = useTestDatabase();

  it('never delivers an event past one that commits later with a lower position', async () => {
    const store = new PostgresEventStore(db.pool);
    const held = heldTransactionPool(db.pool);
    const slow = new PostgresEventStore(held.pool);
    const start = await store.readAll({ maxCount: 10_000 });

    const early = slow.appendToStream('gap-a', [event('Early')], { expectedRevision: 'no_stream' });
    await held.inserted; // Early holds the lower global position, uncommitted
    await store.appendToStream('gap-b', [event('Late')], { expectedRevision: 'no_stream' });

    const [position] = (
      await db.pool.query<{ a: string; b: string }>(
        `SELECT (SELECT global_position FROM event_store.events WHERE stream_id = 'gap-b') AS b`,
      )
    ).rows.map((r) => r.b);
    expect(position).toBeDefined();
    // Late is committed, but a reader must not see it while Early can still commit before it
    expect((await store.readAll({ from: start.checkpoint })).events).toEqual([]);

    held.commit();
    await early;
    // visibility waits for every older transaction on the server, other test files' included,
    // so poll: what matters is the order once both are visible
    let seen: string[] = [];
    for (let i = 0; i < 200 && seen.length < 2; i++) {
      seen = (await store.readAll({ from: start.checkpoint })).events.map((e) => e.type);
      if (seen.length < 2) await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toEqual(['Early', 'Late']);
    await store.close();
    await slow.close();
  });

  it('keeps revisions and positions as 64-bit integers', async () => {
    const store = new PostgresEventStore(db.pool);
    await db.pool.query(
      `INSERT INTO event_store.streams (stream_id, revision) VALUES ('huge', 9007199254740993)`,
    );
    const result = await store.appendToStream('huge', [event('Beyond')], {
      expectedRevision: 9007199254740993n,
    });
    expect(result.nextExpectedRevision).toBe(9007199254740994n);
    const [read] = await store.readStream('huge', { fromRevision: 9007199254740994n });
    expect(read?.revision).toBe(9007199254740994n);
  });

  it('gives each event the checkpoint of its row, as encodeCheckpoint writes it', async () => {
    const store = new PostgresEventStore(db.pool);
    await store.appendToStream('checkpoints', [event('One'), event('Two')], {
      expectedRevision: 'no_stream',
    });
    const { rows } = await db.pool.query<{ tx: string; gp: string }>(
      `SELECT transaction_id::text AS tx, global_position::text AS gp FROM event_store.events
       WHERE stream_id = 'checkpoints' ORDER BY stream_revision`,
    );
    const expected = rows.map((r) =>
      encodeCheckpoint({ transactionId: BigInt(r.tx), globalPosition: BigInt(r.gp) }),
    );
    expect((await store.readStream('checkpoints')).map((e) => e.checkpoint)).toEqual(expected);
  });

  it('refuses to change or delete a recorded event', async () => {
    const store = new PostgresEventStore(db.pool);
    await store.appendToStream('immutable', [event('Fact')], { expectedRevision: 'no_stream' });
    await expect(
      db.pool.query(`UPDATE event_store.events SET event_type = 'Fiction'`),
    ).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM event_store.events`)).rejects.toThrow(/append-only/);
  });

  it('finds a page of some types from the order index alone, reading rows only for its events', async () => {
    const store = new PostgresEventStore(db.pool);
    await store.appendToStream('typed-plan', [event('Wanted'), event('Passed'), event('Passed')], {
      expectedRevision: 'no_stream',
    });
    // the plan, not a timing: with the type in the order index (migration 190) the positions
    // of a page need no visit to the table (a test database is too small for the planner to
    // prefer the index on its own, hence the scans it may not take)
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (FORMAT JSON) ${READ_ALL_OF_TYPES}`,
        ['0', '0', 500, ['Wanted']],
      );
      const scans: string[] = [];
      const walk = (node: Record<string, unknown>): void => {
        if (node['Relation Name'] === 'events')
          scans.push(`${String(node['Node Type'])} ${String(node['Index Name'] ?? '')}`.trim());
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? [])
          walk(child);
      };
      walk((rows[0]?.['QUERY PLAN'] as [{ Plan: Record<string, unknown> }])[0].Plan);
      // the page's positions (the first scan planned) from the order index alone, and no scan
      // of it that visits the table row by row; the rows come by primary key (how they are
      // joined is the planner's choice)
      expect(scans[0]).toBe('Index Only Scan events_global_order');
      expect(scans).not.toContain('Index Scan events_global_order');
      expect(scans).toContain('Index Scan events_pkey');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    // visible once every older transaction on the server (other files' too) has ended
    const wanted = await eventually(
      async () =>
        (await store.readAll({ eventTypes: ['Wanted'], maxCount: 10_000 })).events
          .filter((e) => e.streamId === 'typed-plan')
          .map((e) => e.type),
      (types) => types.length > 0,
    );
    expect(wanted).toEqual(['Wanted']);
  });

  it('maps an unreachable database to an unavailable store', async () => {
    const { createPool } = await import('../../postgres/pool');
    const dead = createPool({ connectionString: 'postgres://nobody:nothing@127.0.0.1:1/none' });
    const store = new PostgresEventStore(dead);
    await expect(store.readStream('any')).rejects.toMatchObject({
      name: 'EventStoreUnavailableError',
    });
    await dead.end();
  });
});
