import type { Pool } from 'pg';
import { listenOn, type ChannelListener } from '../postgres/channelListener';
import type { Logger } from '../logger';
import type { Worker } from '../parleyDeps';
import { DELIVERIES_CHANNEL, wakeDeliveryWorkers } from '../../projections/outbox/outboxSchema';
import { classifyAttempt } from './retrySchedule';
import {
  claimDeliveries,
  markSubscriptionGone,
  msUntilNextDue,
  attemptRecorder,
  type ClaimedDelivery,
} from './deliveryQueue';
import { destinationAgents, type DestinationAgents } from './destinationAgents';
import { sendWebhook, type AttemptResult } from './sendWebhook';
import { FEED_CURSOR_HEADER, webhookHeaders } from './signature';
import { workerPace } from '../workers/workerPace';
import type { AddressGuard } from './urlGuard';

export type DeliveryWorkerOptions = Readonly<{
  pool: Pool;
  logger: Logger;
  /** delays of the retry schedule, in ms; the first is the first attempt's */
  schedule: readonly number[];
  timeoutMs: number;
  /**
   * deliveries in flight at once in this process (WEBHOOK_CONCURRENCY): each on a different
   * (subscription, dialog) line, as a line has one delivery in flight at a time
   */
  concurrency: number;
  guard: AddressGuard;
  /** the endpoint answered 410: record it as an event (actor system) */
  onGone: (webhookId: string, deliveryId: string) => Promise<void>;
  /** longest sleep without a notification */
  pollMs?: number;
  /** after a rotation, the previous secret signs alongside for this long */
  rotationGraceMs?: number;
  /** opens a stored (sealed) secret; absent: stored as is */
  openSecret?: (webhookId: string, stored: string) => string;
}>;

const DAY = 86_400_000;
/** other processes' workers hear that a line moved on at most this late (and this often) */
const WAKE_OTHERS_MS = 10;

/**
 * Webhook delivery: claims due deliveries (SKIP LOCKED, leased for longer than an attempt can
 * take), signs and sends them, records each attempt. Wakes on NOTIFY from the outbox and from
 * other workers, and otherwise when the next retry is due.
 */
export const deliveryWorker = (options: DeliveryWorkerOptions): Worker => {
  const { pool, logger, concurrency } = options;
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.timeoutMs + 60_000;
  const rotationGraceMs = options.rotationGraceMs ?? DAY;
  const openSecret = options.openSecret ?? ((_: string, stored: string) => stored);
  const log = logger.child({ worker: 'webhook-delivery' });

  let running = false;
  let loop: Promise<void> | null = null;
  let listener: ChannelListener | null = null;
  let agents: DestinationAgents = destinationAgents();
  const record = attemptRecorder(pool);
  const pace = workerPace();
  const { inFlight, nudge } = pace;

  // The next delivery of a line may be due once an attempt is recorded: this worker knows
  // (nudge), the other processes' workers hear it from one NOTIFY per WAKE_OTHERS_MS for all
  // the attempts recorded meanwhile. It is sent outside any transaction: PostgreSQL serialises
  // the commits of notifying transactions through their WAL flush (docs/performance.md). A lost
  // wake-up costs a poll interval, never a delivery.
  let othersTimer: NodeJS.Timeout | null = null;
  const wakeOthers = () => {
    if (othersTimer !== null) return;
    othersTimer = setTimeout(() => {
      othersTimer = null;
      wakeDeliveryWorkers(pool).catch(() => undefined);
    }, WAKE_OTHERS_MS);
  };

  const attempt = async (claimed: ClaimedDelivery): Promise<void> => {
    const startedAt = new Date();
    const result: AttemptResult =
      claimed.secrets.length === 0
        ? {
            statusCode: null,
            error: 'no signing secret for this subscription',
            latencyMs: 0,
            snippet: null,
            retryAfter: undefined,
          }
        : await sendWebhook(
            claimed.url,
            {
              ...webhookHeaders(
                claimed.secrets.map((stored) => openSecret(claimed.webhookId, stored)),
                claimed.messageId,
                Math.floor(startedAt.getTime() / 1000),
                claimed.body,
              ),
              // where GET /api/webhooks/{id}/events resumes after this one; outside the signature
              [FEED_CURSOR_HEADER]: claimed.deliveryId,
            },
            claimed.body,
            { timeoutMs: options.timeoutMs, guard: options.guard, agents },
          );
    const outcome = classifyAttempt(result, claimed.step, options.schedule, new Date());
    await record({ claimed, attempt: { startedAt, ...result }, outcome });
    wakeOthers();
    log.debug(
      {
        deliveryId: claimed.deliveryId,
        attempt: claimed.attempt,
        status: result.statusCode,
        outcome: outcome.kind,
      },
      'webhook attempt',
    );
    if (outcome.kind === 'gone') {
      await options.onGone(claimed.webhookId, claimed.deliveryId);
      await markSubscriptionGone(pool, claimed.webhookId);
      log.warn({ webhookId: claimed.webhookId }, 'endpoint answered 410 Gone: webhook disabled');
    }
  };

  const start = (claimed: ClaimedDelivery) =>
    pace.track(attempt(claimed), (error: unknown) =>
      log.error(
        { err: error, deliveryId: claimed.deliveryId },
        'webhook attempt: recording its outcome (or disabling a gone webhook) failed',
      ),
    );

  const sleep = (ms: number) => pace.sleep(ms, () => running);

  const run = async (): Promise<void> => {
    while (running) {
      pace.awake();
      let claimedAny = false;
      try {
        // every free slot in one round trip; attempts that finish meanwhile free more
        while (running && inFlight.size < concurrency) {
          const claimed = await claimDeliveries(pool, {
            limit: concurrency - inFlight.size,
            leaseMs,
            rotationGraceMs,
          });
          if (claimed.length === 0) break;
          claimedAny = true;
          claimed.forEach(start);
        }
        if (claimedAny && inFlight.size < concurrency) continue;
        const due = inFlight.size < concurrency ? await msUntilNextDue(pool) : null;
        await sleep(Math.max(5, Math.min(pollMs, due ?? pollMs)));
      } catch (error) {
        log.error({ err: error }, 'webhook worker: database unavailable, retrying');
        await sleep(pollMs);
      }
    }
  };

  return {
    name: 'webhook-delivery',
    start: async () => {
      if (concurrency <= 0) return;
      running = true;
      agents = destinationAgents();
      // notifications only wake the loop sooner: it polls without them
      listener = await listenOn(pool, DELIVERIES_CHANNEL, nudge);
      loop = run();
    },
    stop: async () => {
      running = false;
      nudge();
      await loop;
      await Promise.allSettled([...inFlight]);
      agents.destroy();
      if (othersTimer !== null) clearTimeout(othersTimer);
      othersTimer = null;
      await listener?.close();
      listener = null;
    },
  };
};
