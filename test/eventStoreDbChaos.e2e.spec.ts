import type { Checkpoint } from '../src/application/ports/eventStore';
import { startFakeEventStoreDb, type FakeEventStoreDb } from './support/fakeEventStoreDb/server';
import { createChannel, customer, postMessage, type TestChannel } from './support/inbound';
import { startTestParley, type TestParley } from './support/parley';
import { count, waitForPosition } from './support/readModel';

/*
 * Chaos through the HTTP API, on the EventStoreDB adapter and the real client against the fake
 * cluster (test/support/fakeEventStoreDb; not EventStoreDB itself). Integrators post messages
 * with Idempotency-Keys and retry every 503 while the cluster goes through an election (no
 * leader, then a new one on the other node), a 15 s outage in which discovery fails, and reset
 * and cancelled connections. Every answer must be 2xx, or 503 with Retry-After; nothing
 * acknowledged may be lost or written twice; appends must work again within seconds of the
 * recovery, without a restart; the projections must reach the head of the log.
 *
 * Bounded: 4 integrators on 127.0.0.1, one request at a time each, for about 27 s. A retry
 * waits for Retry-After scaled down to at most 200 ms, so the run stays short.
 */

const WORKERS = 4;
const RETRY_CAP_MS = 200;
const MAX_REQUESTS = 20_000;

type Figures = {
  requests: number;
  ok: number;
  unavailable: number;
  other: Array<{ status: number; code: unknown }>;
  missingRetryAfter: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EventStoreDB chaos through the HTTP API (fake cluster)', () => {
  let server: FakeEventStoreDb;
  let parley: TestParley & { stop(): Promise<void> };
  let channel: TestChannel;

  beforeAll(async () => {
    server = await startFakeEventStoreDb({ nodes: 2 });
    parley = await startTestParley({
      EVENTSTORE_URL: server.clusterUrl,
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
    });
    channel = await createChannel(parley);
  }, 60_000);
  afterAll(async () => {
    await parley?.stop();
    await server?.stop();
  });

  it('answers 2xx or 503 with Retry-After, loses and repeats nothing, and recovers in seconds', async () => {
    const figures: Figures = {
      requests: 0,
      ok: 0,
      unavailable: 0,
      other: [],
      missingRetryAfter: 0,
    };
    const acknowledged = new Map<string, string>(); // idempotency key -> message id
    const okAt: number[] = [];
    let lastPosition: string | null = null;
    let loading = true;

    /** one message, retried with its key until acknowledged (or the run is over) */
    const send = async (key: string, body: Record<string, unknown>): Promise<void> => {
      while (figures.requests < MAX_REQUESTS) {
        figures.requests++;
        const posted = await postMessage(parley, channel, body, { 'idempotency-key': key });
        if (posted.status >= 200 && posted.status < 300) {
          figures.ok++;
          okAt.push(Date.now());
          acknowledged.set(key, posted.body.message_id as string);
          lastPosition = posted.headers.get('x-parley-position') ?? lastPosition;
          return;
        }
        if (posted.status !== 503) {
          figures.other.push({ status: posted.status, code: posted.body.code });
          return;
        }
        figures.unavailable++;
        const retryAfter = Number(posted.headers.get('retry-after'));
        if (!(retryAfter > 0)) figures.missingRetryAfter++;
        await sleep(Math.min(RETRY_CAP_MS, (retryAfter || 1) * 1000));
      }
    };
    const integrator = async (worker: number): Promise<void> => {
      for (let i = 0; loading; i++) {
        await send(`chaos-${worker}-${i}`, {
          ...customer(`chaos-customer-${worker}`),
          text: `message ${worker}/${i}`,
        });
        await sleep(20);
      }
    };

    const started = Date.now();
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => integrator(w)));
    const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));

    await at(1_500);
    server.startElection();
    await at(3_500);
    server.electLeader(1);
    await at(5_500);
    server.setOutage(true);
    await at(20_500);
    server.setOutage(false);
    const recoveredAt = Date.now();
    await at(23_000);
    server.resetOpenCalls('reset');
    await at(24_000);
    server.resetOpenCalls('cancelled');
    await at(26_000);
    loading = false;
    await load;

    const firstOkAfterRecovery = okAt.find((t) => t >= recoveredAt);
    const secondsToRecover =
      firstOkAfterRecovery === undefined ? Infinity : (firstOkAfterRecovery - recoveredAt) / 1000;

    // what the store holds: each acknowledged message once
    const received = server.log.all.filter((e) => e.type === 'MessageReceived');
    const byText = new Map<string, number>();
    const ids = new Set<string>();
    for (const event of received) {
      const data = JSON.parse(Buffer.from(event.data).toString('utf8')) as {
        text: string;
        messageId: string;
      };
      byText.set(data.text, (byText.get(data.text) ?? 0) + 1);
      ids.add(data.messageId);
    }
    const duplicated = [...byText.values()].filter((n) => n > 1).length;
    const lost = [...acknowledged.values()].filter((id) => !ids.has(id)).length;

    // the projections reach the head, without a restart
    const projectionsFrom = Date.now();
    await waitForPosition(
      parley.deps.pool,
      parley.deps.store,
      lastPosition as Checkpoint | null,
      undefined,
      45_000,
    );
    const secondsToHead = (Date.now() - projectionsFrom) / 1000;
    const rows = await count(parley.deps.pool, 'SELECT count(*) AS n FROM read_model.messages');

    // eslint-disable-next-line no-console
    console.info(
      'EventStoreDB chaos figures:',
      JSON.stringify({
        requests: figures.requests,
        '2xx': figures.ok,
        '503': figures.unavailable,
        other: figures.other.length,
        acknowledged: acknowledged.size,
        lost,
        duplicated,
        secondsToRecover,
        secondsForProjectionsToReachHead: secondsToHead,
      }),
    );

    expect(figures.other).toEqual([]);
    expect(figures.missingRetryAfter).toBe(0);
    expect(figures.unavailable).toBeGreaterThan(0); // the chaos was felt
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(received).toHaveLength(acknowledged.size);
    expect(secondsToRecover).toBeLessThan(5);
    expect(rows).toBe(acknowledged.size);
  }, 120_000);
});
