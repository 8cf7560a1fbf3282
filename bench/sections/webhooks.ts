import { inboundPhases } from '../load/inboundPhases';
import type { LoadResult } from '../load/httpLoad';
import type { Population } from '../load/mix';
import type { ReceiverReport } from '../load/webhookReceiver';
import { benchScript, startChild, type Child } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { withClient } from '../lib/database';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round, type LatencySummary } from '../lib/stats';
import { seedPopulation } from '../seed/population';
import { createBenchChannel } from './benchChannel';
import { waitForCheckpoint } from './lagProbe';
import { readStatements, resetStatements, type StatementStat } from './statements';

export type Drain = Readonly<{
  deliveries: number;
  /** (subscription, dialog) lines in the backlog: at most one delivery of each in flight */
  lines: number;
  seconds: number;
  perSecond: number;
  concurrency: number;
  /** how long the receiver takes to answer each request */
  receiverDelayMs: number;
  /** attempts of the phase that did not deliver (each is retried on the schedule) */
  undelivered: readonly Undelivered[];
}>;

/** attempts that did not deliver, by outcome and what went wrong */
export type Undelivered = Readonly<{
  outcome: string;
  statusCode: number | null;
  error: string | null;
  attempts: number;
}>;

export type WebhooksSection = Readonly<{
  status: 'ok';
  /** a backlog of message.created deliveries, drained by one Parley process's worker */
  drain: Drain;
  /** the same to a receiver that takes SLOW_RECEIVER_MS per request */
  slowDrain: Drain;
  /** pg_stat_statements while draining, with --statements */
  statements: readonly StatementStat[] | null;
  /** messages posted at a steady rate: from Parley receiving one to its webhook arriving */
  steady: Readonly<{
    rate: number;
    posted: LoadResult;
    delivered: number;
    endToEndMs: LatencySummary;
    undelivered: readonly Undelivered[];
  }>;
}>;

const report = async (receiver: Child): Promise<ReceiverReport> => {
  receiver.send({ type: 'report' });
  return receiver.next<ReceiverReport>('report');
};

const waitForDeliveries = async (
  receiver: Child,
  expected: number,
  timeoutMs: number,
): Promise<ReceiverReport> => {
  const started = Date.now();
  for (;;) {
    const seen = await report(receiver);
    if (seen.received >= expected) return seen;
    if (Date.now() - started > timeoutMs)
      throw new Error(`webhooks: ${seen.received} of ${expected} deliveries after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** the pending deliveries and the lines they are in */
const countBacklog = (
  databaseUrl: string,
): Promise<Readonly<{ deliveries: number; lines: number }>> =>
  withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: string; lines: string }>(
      `SELECT count(*) AS n, count(DISTINCT (webhook_id, dialog_id)) AS lines
         FROM webhooks.deliveries WHERE status = 'pending'`,
    );
    return { deliveries: Number(rows[0]?.n ?? 0), lines: Number(rows[0]?.lines ?? 0) };
  });

/**
 * The attempts after `afterId` that did not deliver: a failed first attempt waits for the
 * schedule's next step (5 s), so a few of them are a phase's whole tail.
 */
const undeliveredSince = (databaseUrl: string, afterId: string): Promise<Undelivered[]> =>
  withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{
      outcome: string;
      status_code: number | null;
      error: string | null;
      n: string;
    }>(
      `SELECT outcome, status_code, left(error, 120) AS error, count(*) AS n
         FROM webhooks.attempts WHERE attempt_id > $1 AND outcome <> 'delivered'
        GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 10`,
      [afterId],
    );
    return rows.map((r) => ({
      outcome: r.outcome,
      statusCode: r.status_code,
      error: r.error,
      attempts: Number(r.n),
    }));
  });

const lastAttemptId = (databaseUrl: string): Promise<string> =>
  withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      'SELECT coalesce(max(attempt_id), 0)::text AS id FROM webhooks.attempts',
    );
    return rows[0]?.id ?? '0';
  });

/** WEBHOOK_CONCURRENCY's default (infrastructure/config.ts), set here so the table says it */
const CONCURRENCY = 64;
const STEADY_RATE = 20;
const SLOW_RECEIVER_MS = 50;

/**
 * 1. Parley with its delivery worker off takes a burst of messages: the outbox fills with one
 *    message.created delivery each, in one line per dialog. 2. A Parley with the worker on
 *    (WEBHOOK_CONCURRENCY=64, the default) drains it to a receiver on 127.0.0.1: deliveries/s.
 *    3. Messages at a steady rate: end-to-end latency, message in to webhook out. 4. Another
 *    burst, drained to the receiver answering in 50 ms.
 */
export const runWebhooks = async (bench: BenchContext): Promise<WebhooksSection> => {
  const { options } = bench;
  const databaseUrl = await bench.server.createDatabase('webhooks');
  const receiver = startChild(benchScript('load/webhookReceiver.js'));
  const load = startChild(benchScript('load/inboundChild.js'));
  let parley: ParleyProcess | null = null;
  try {
    const { url: hookUrl } = await receiver.next<{ url: string }>('ready');
    parley = await startParleyProcess({
      databaseUrl,
      poolSize: options.poolSize,
      env: { WEBHOOK_CONCURRENCY: '0' },
    });
    const channel = await createBenchChannel(parley);
    const population: Population = { customers: 300, mergePairs: 300 };
    await seedPopulation(parley.url, channel.endpoint, population);
    const subscribed = await parley.admin('POST', '/api/webhooks', {
      url: hookUrl,
      events: ['message.created'],
      channel_id: channel.channelId,
    });
    if (subscribed.status !== 201)
      throw new Error(`webhook: ${subscribed.status} ${JSON.stringify(subscribed.body)}`);

    const post = inboundPhases(load, () => ({
      url: (parley as ParleyProcess).url,
      path: channel.endpoint,
      connections: options.connections,
      population,
    })).run;

    bench.log(`webhooks: a burst of ${options.durationS / 2} s of messages, delivery worker off`);
    await post('burst', 'max', Math.max(1, Math.round(options.durationS / 2)), null);
    await waitForCheckpoint(databaseUrl, 'webhook_outbox', 10 * 60_000);
    await parley.stop();
    // the outbox's count, not the load's: requests cut off at the end of the burst were served too
    const backlog = await countBacklog(databaseUrl);

    const drain = async (receiverDelayMs: number): Promise<Drain> => {
      const { deliveries, lines } = await countBacklog(databaseUrl);
      bench.log(
        `webhooks: draining ${deliveries} deliveries in ${lines} lines to ${hookUrl}, answering in ${receiverDelayMs} ms (WEBHOOK_CONCURRENCY=${CONCURRENCY})`,
      );
      receiver.send({ type: 'reset', delayMs: receiverDelayMs });
      await receiver.next('reset');
      const before = await lastAttemptId(databaseUrl);
      parley = await startParleyProcess({
        databaseUrl,
        poolSize: options.poolSize,
        env: { WEBHOOK_CONCURRENCY: String(CONCURRENCY) },
      });
      const drained = await waitForDeliveries(receiver, deliveries, 10 * 60_000);
      const seconds = ((drained.last ?? 0) - (drained.first ?? 0)) / 1000;
      return {
        deliveries: drained.received,
        lines,
        seconds: round(seconds, 2),
        perSecond: round(drained.received / Math.max(seconds, 0.001), 1),
        concurrency: CONCURRENCY,
        receiverDelayMs,
        undelivered: await undeliveredSince(databaseUrl, before),
      };
    };

    if (options.statements) await resetStatements(databaseUrl);
    const fast = await drain(0);
    const statements = options.statements ? (await readStatements(databaseUrl, 12)).top : null;

    bench.log(`webhooks: ${options.durationS} s of messages at ${STEADY_RATE}/s, end to end`);
    receiver.send({ type: 'reset' });
    await receiver.next('reset');
    const beforeSteady = await lastAttemptId(databaseUrl);
    const steady = await post('steady', 'rate', options.durationS, STEADY_RATE);
    const delivered = await waitForDeliveries(receiver, steady.ok, 5 * 60_000);
    const steadyUndelivered = await undeliveredSince(databaseUrl, beforeSteady);
    for (const u of steadyUndelivered)
      bench.log(
        `webhooks: ${u.attempts} attempts at the steady rate did not deliver: ${u.outcome} ${u.statusCode ?? ''} ${u.error ?? ''}`,
      );

    // a second backlog, about as big as the first, for a receiver that takes 50 ms
    await parley.stop();
    parley = await startParleyProcess({
      databaseUrl,
      poolSize: options.poolSize,
      env: { WEBHOOK_CONCURRENCY: '0' },
    });
    bench.log(`webhooks: a second burst, for a receiver taking ${SLOW_RECEIVER_MS} ms`);
    await post('burst', 'max', Math.max(1, Math.round(options.durationS / 2)), null);
    await waitForCheckpoint(databaseUrl, 'webhook_outbox', 10 * 60_000);
    await parley.stop();
    const slow = await drain(SLOW_RECEIVER_MS);
    if (fast.deliveries < backlog.deliveries)
      throw new Error(`webhooks: ${fast.deliveries} of ${backlog.deliveries} delivered`);
    return {
      status: 'ok',
      drain: fast,
      slowDrain: slow,
      statements,
      steady: {
        rate: STEADY_RATE,
        posted: steady,
        delivered: delivered.received,
        endToEndMs: delivered.endToEndMs,
        undelivered: steadyUndelivered,
      },
    };
  } finally {
    await load.stop();
    await parley?.stop();
    await receiver.stop();
  }
};
