import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../../../test/support/database';
import { eventually } from '../../../../test/support/eventually';
import { scanningCorrelatedEvents } from '../../../application/audit/trace';
import type { EventStore, EventToAppend } from '../../../application/ports/eventStore';
import { MemoryEventStore } from '../memory/memoryEventStore';
import { postgresCorrelatedEvents } from './correlatedEvents';
import { PostgresEventStore } from './postgresEventStore';

const event = (type: string, correlationId: string): EventToAppend => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId,
    causationId: null,
    actor: { type: 'system' },
    recordedAt: new Date().toISOString(),
    schemaVersion: 1,
  },
});

/** Three requests' events interleaved over three streams. */
const interleave = async (store: EventStore): Promise<void> => {
  const plan: [string, string][] = [
    ['s-a', 'r-1'],
    ['s-b', 'r-2'],
    ['s-a', 'r-1'],
    ['s-c', 'r-3'],
    ['s-b', 'r-1'],
    ['s-c', 'r-2'],
    ['s-a', 'r-1'],
  ];
  const revisions = new Map<string, bigint>();
  for (const [i, [stream, request]] of plan.entries()) {
    const revision = revisions.get(stream);
    const appended = await store.appendToStream(stream, [event(`E${i}`, request)], {
      expectedRevision: revision ?? 'no_stream',
    });
    revisions.set(stream, appended.nextExpectedRevision);
  }
};

describe('the events of one request', () => {
  const db = useTestDatabase();

  it('are found through the correlation index on PostgreSQL, and by scanning on any store', async () => {
    const postgres = new PostgresEventStore(db.pool);
    const memory = new MemoryEventStore();
    await interleave(postgres);
    await interleave(memory);
    const types = async (found: Promise<readonly { type: string }[]>) =>
      (await found).map((e) => e.type);
    expect(await types(postgresCorrelatedEvents(db.pool)('r-1'))).toEqual(['E0', 'E2', 'E4', 'E6']);
    // the global log shows a PostgreSQL commit once no older transaction is open (SPEC 1.2), so
    // under load the scan may see the newest events a moment later
    for (const store of [postgres, memory])
      for (const request of ['r-1', 'r-2', 'r-3', 'r-none']) {
        const indexed = await types(postgresCorrelatedEvents(db.pool)(request));
        const scanned = await eventually(
          () => types(scanningCorrelatedEvents(store, 2)(request)),
          (found) => found.length === indexed.length,
        );
        expect(scanned).toEqual(indexed);
      }
  });

  it('uses the index, not a scan of the log', async () => {
    await db.pool.query('SET enable_seqscan = off');
    const plan = await db.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM event_store.events WHERE metadata->>'correlationId' = 'r-1'`,
    );
    await db.pool.query('RESET enable_seqscan');
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('events_by_correlation');
  });
});
