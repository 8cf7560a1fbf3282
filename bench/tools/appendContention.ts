import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { startBenchServer } from '../lib/database';
import { Samples } from '../lib/stats';
import { describeWaits, startWaitSampler } from './pgWaits';

/**
 * The inbound path's appends alone, without Parley: `node dist/bench/tools/appendContention.js
 * [seconds] [callers] [streams]` starts a fresh durable embedded PostgreSQL, writes `streams`
 * (50,000) one-event streams, then `callers` (16) loop for `seconds` (10) as the mix does: 20 %
 * claim a new stream (`no_stream`), 80 % append to a stream of their own (by revision), each
 * relying on three streams nobody writes (`unchanged`). Prints each kind's latency and the
 * backends' wait events (pgWaits).
 */
const main = async (): Promise<void> => {
  const [secondsArg = '10', callersArg = '16', streamsArg = '50000'] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const callers = Number(callersArg);
  const streams = Number(streamsArg);
  const server = await startBenchServer({ databaseUrl: null, durable: true, statements: false });
  const url = await server.createDatabase('append_contention');
  const pool = createPool({
    connectionString: url,
    max: callers + 2,
    applicationName: 'contention',
  });
  const store = new PostgresEventStore(pool);
  try {
    await migrate(pool);
    await pool.query(
      `WITH s AS (INSERT INTO event_store.streams (stream_id, revision)
         SELECT 'seed-' || i, 0 FROM generate_series(1, $1::int) i RETURNING stream_id)
       INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
       SELECT stream_id, 0, gen_random_uuid(), 'Seeded', jsonb_build_object('pad', repeat('x', 400)), '{}'
       FROM s`,
      [streams],
    );
    await pool.query('VACUUM ANALYZE event_store.streams');
    await pool.query('VACUUM ANALYZE event_store.events');
    await pool.query('CHECKPOINT');
    const relied = ['seed-1', 'seed-2', `seed-${Math.ceil(streams / 2)}`].map((streamId) => ({
      streamId,
      revision: 0n,
    }));
    const event = () => ({
      id: randomUUID(),
      type: 'Appended',
      data: { text: 'x'.repeat(500) },
      metadata: {
        correlationId: randomUUID(),
        causationId: null,
        actor: { type: 'system' as const },
        recordedAt: new Date().toISOString(),
        schemaVersion: 1,
      },
    });
    const latency = { no_stream: new Samples(), revision: new Samples() };
    const sampler = await startWaitSampler(url);
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        const own = Array.from({ length: 50 }, (__, i) => ({
          streamId: `seed-${1000 + caller * 50 + i}`,
          revision: 0n,
        }));
        for (let n = 0; Date.now() < until; n++) {
          const started = performance.now();
          if (n % 5 === 0) {
            await store.appendToStream(`claim-${randomUUID()}`, [event()], {
              expectedRevision: 'no_stream',
              unchanged: relied,
            });
            latency.no_stream.add(performance.now() - started);
          } else {
            const stream = own[n % own.length] as { streamId: string; revision: bigint };
            const appended = await store.appendToStream(stream.streamId, [event()], {
              expectedRevision: stream.revision,
              unchanged: relied,
            });
            stream.revision = appended.nextExpectedRevision;
            latency.revision.add(performance.now() - started);
          }
        }
      }),
    );
    const waits = await sampler.stop();
    for (const [kind, samples] of Object.entries(latency)) {
      const s = samples.summary();
      console.log(`${kind}: ${s.count} appends, mean ${s.mean} ms, p50 ${s.p50}, p99 ${s.p99}`);
    }
    for (const line of describeWaits(waits)) console.log(line);
  } finally {
    await store.close();
    await pool.end();
    await server.close();
  }
};

void main();
