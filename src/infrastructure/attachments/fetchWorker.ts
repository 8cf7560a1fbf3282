import type { Pool } from 'pg';
import { listenOn, type ChannelListener } from '../postgres/channelListener';
import { isLeft } from 'fp-ts/Either';
import {
  keepAttachment,
  recordAttachmentFailure,
  type AttachmentDeps,
} from '../../application/attachments/keepAttachment';
import type { CommandContext } from '../../application/context';
import { ATTACHMENT_FETCHES_CHANNEL } from '../../projections/attachments/attachmentSchema';
import type { Logger } from '../logger';
import type { Worker } from '../parleyDeps';
import type { AddressGuard } from '../webhooks/urlGuard';
import { claimFetches, msUntilNextFetch, recordFetch, type ClaimedFetch } from './fetchQueue';
import { fetchFile, type FetchResult } from './fetchFile';
import { workerPace } from '../workers/workerPace';

export type FetchWorkerOptions = Readonly<{
  pool: Pool;
  logger: Logger;
  attachments: AttachmentDeps;
  guard: AddressGuard;
  maxBytes: number;
  timeoutMs: number;
  /** delays before each attempt, in ms; spent: the file is recorded as failed */
  schedule: readonly number[];
  /** fetches in flight at once in this process; 0: none here */
  concurrency: number;
  now: () => Date;
  pollMs?: number;
}>;

const contextOf = (claimed: ClaimedFetch, now: Date): CommandContext => ({
  correlationId: `attachment-fetch-${claimed.attachmentId}`,
  causationId: null,
  actor: { type: 'system' },
  now,
});

/**
 * Keeps incoming attachments (SPEC §2.1): claims due fetches (SKIP LOCKED, so several
 * processes share the queue), downloads each through the webhook address guard, seals and
 * stores it, and records the outcome as an event. Transient failures are retried on
 * `schedule`; a 4xx, an oversize file or a forbidden address fail at once, for good.
 */
export const attachmentFetchWorker = (options: FetchWorkerOptions): Worker => {
  const { pool, concurrency } = options;
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.timeoutMs + 60_000;
  const log = options.logger.child({ worker: 'attachment-fetch' });
  let running = false;
  let loop: Promise<void> | null = null;
  let listener: ChannelListener | null = null;
  const pace = workerPace();
  const { inFlight, nudge } = pace;

  const settle = async (claimed: ClaimedFetch, result: FetchResult): Promise<void> => {
    const context = contextOf(claimed, options.now());
    if (result.kind === 'fetched') {
      const { kept, result: recorded } = await keepAttachment(
        options.attachments,
        claimed,
        { bytes: result.bytes, declaredType: claimed.declaredType, source: 'fetched' },
        context,
      );
      if (isLeft(recorded)) throw new Error(recorded.left.message);
      await recordFetch(pool, claimed, { kind: 'stored', ...kept });
      return;
    }
    const delayMs = options.schedule[claimed.attempt];
    if (result.kind === 'transient' && delayMs !== undefined) {
      await recordFetch(pool, claimed, { kind: 'retry', delayMs, error: result.reason });
      return;
    }
    const recorded = await recordAttachmentFailure(
      options.attachments,
      claimed,
      { reason: result.reason, attempts: claimed.attempt },
      context,
    );
    if (isLeft(recorded)) throw new Error(recorded.left.message);
    await recordFetch(pool, claimed, { kind: 'failed', reason: result.reason });
  };

  const attempt = async (claimed: ClaimedFetch): Promise<void> => {
    const result = await fetchFile(claimed.url, {
      guard: options.guard,
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs,
    });
    // the URL and the file are personal data: the log has the id and the outcome only
    log.debug(
      { attachmentId: claimed.attachmentId, attempt: claimed.attempt, outcome: result.kind },
      'attachment fetch',
    );
    await settle(claimed, result);
  };

  const start = (claimed: ClaimedFetch) =>
    // a failure to record: the lease runs out and another attempt comes, nothing is lost
    pace.track(attempt(claimed), (error: unknown) =>
      log.error(
        { err: error, attachmentId: claimed.attachmentId },
        'attachment fetch failed to record',
      ),
    );

  const sleep = (ms: number) => pace.sleep(ms, () => running);

  const run = async (): Promise<void> => {
    while (running) {
      pace.awake();
      try {
        while (running && inFlight.size < concurrency) {
          const claimed = await claimFetches(pool, { limit: concurrency - inFlight.size, leaseMs });
          if (claimed.length === 0) break;
          claimed.forEach(start);
        }
        const due = inFlight.size < concurrency ? await msUntilNextFetch(pool) : null;
        await sleep(Math.max(5, Math.min(pollMs, due ?? pollMs)));
      } catch (error) {
        log.error({ err: error }, 'attachment fetch worker: database unavailable, retrying');
        await sleep(pollMs);
      }
    }
  };

  return {
    name: 'attachment-fetch',
    start: async () => {
      if (concurrency <= 0) return;
      running = true;
      // notifications only wake the loop sooner: it polls without them
      listener = await listenOn(pool, ATTACHMENT_FETCHES_CHANNEL, nudge);
      loop = run();
    },
    stop: async () => {
      running = false;
      nudge();
      await loop;
      await Promise.allSettled([...inFlight]);
      await listener?.close();
      listener = null;
    },
  };
};
