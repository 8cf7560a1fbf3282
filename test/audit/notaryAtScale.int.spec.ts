import { randomUUID } from 'node:crypto';
import type { Checkpoint, EventToAppend } from '../../src/application/ports/eventStore';
import { verifyLive } from '../../src/infrastructure/audit/verifyLog';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createTestDatabase } from '../support/database';
import { notarizeAll, testSigningKey } from '../support/notary';

const probe = (n: number): EventToAppend => ({
  id: randomUUID(),
  type: 'AuditProbeRecorded',
  data: { n, text: `event ${n}` },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'system' },
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    schemaVersion: 1,
  },
});

/*
 * 10,000 events: the notary's first run on a log that long goes through the runner's bulk
 * first build; what comes after, through its live subscription. Both verify clean.
 */
describe('the notary on a long log', () => {
  const key = testSigningKey();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('verifies a clean log of 10,000 events, and the events after them', async () => {
    let last: Checkpoint | null = null;
    for (let stream = 0; stream < 100; stream++) {
      const events = Array.from({ length: 100 }, (_, k) => probe(stream * 100 + k));
      const appended = await store.appendToStream(`probe-${stream}`, events, {
        expectedRevision: 'no_stream',
      });
      last = appended.checkpoint;
    }
    expect(await notarizeAll(db.pool, store, key, last)).toBe(10_000n);
    const more = await store.appendToStream('probe-0', [probe(10_000), probe(10_001)], {
      expectedRevision: 99n,
    });
    expect(await notarizeAll(db.pool, store, key, more.checkpoint)).toBe(10_002n);

    const report = await verifyLive(db.pool, store, key.publicKey);
    expect(report).toMatchObject({
      ok: true,
      findings: [],
      events_checked: 10_002,
      events_notarized: 10_002,
      events_pending: 0,
      events_unsigned: 0,
      checkpoints_checked: 2,
    });
  });
});
