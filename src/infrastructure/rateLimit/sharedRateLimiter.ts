import type { Logger } from '../logger';
import type { BucketLeases } from './bucketLeases';
import { refilled, secondsUntil, takeFrom, type Bucket, type RatePolicy } from './tokenBucket';

/** What one request learns: admitted or not, and the numbers for the RateLimit-* headers. */
export type RateDecision = Readonly<{
  allowed: boolean;
  /** the burst: what a full bucket admits at once */
  limit: number;
  /** whole requests admitted right now (an estimate across processes, see docs/integration.md) */
  remaining: number;
  /** seconds until the bucket is full again */
  resetSeconds: number;
  /** when refused: seconds until one request is admitted */
  retryAfterSeconds: number;
}>;

export type SharedRateLimiterOptions = RatePolicy &
  Readonly<{
    /** tokens taken from the shared bucket at once (RATE_LIMIT_LEASE) */
    lease: number;
    leases: BucketLeases;
    logger?: Logger;
    now?: () => number;
    /** unspent tokens of a key idle this long go back to the shared bucket */
    returnAfterMs?: number;
    /** a lease that takes longer counts as the database being unreachable */
    leaseTimeoutMs?: number;
    /** how long the limiter stays on its local fallback before asking the database again */
    fallbackMs?: number;
  }>;

type KeyState = {
  /** tokens leased by this process and not yet spent */
  held: number;
  /** the shared bucket as last seen (tokens left after our lease), for the Remaining estimate */
  shared: Bucket;
  usedAt: number;
  /** the shared bucket was empty: refuse locally until then, without asking the database */
  emptyUntil: number;
  leasing: Promise<void> | null;
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rate limit lease took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

/**
 * One token bucket per key (a channel) shared by every process on the database, at about no
 * cost per request: a process leases `lease` tokens at once from the shared bucket and spends
 * them locally, so it asks the database once per `lease` admitted requests; a key's unspent
 * tokens go back after `returnAfterMs` idle; an empty bucket is remembered until it refills, so
 * refused requests do not ask either. Accuracy and the fallback: docs/integration.md "Rate limits".
 */
export class SharedRateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly policy: RatePolicy;
  private readonly now: () => number;
  private readonly returnAfterMs: number;
  private readonly leaseTimeoutMs: number;
  private readonly fallbackMs: number;
  /** while the database is unreachable: per-process buckets at the full setting */
  private readonly local = new Map<string, Bucket>();
  private fallbackUntil = 0;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: SharedRateLimiterOptions) {
    this.policy = { perSecond: options.perSecond, burst: options.burst };
    this.now = options.now ?? Date.now;
    this.returnAfterMs = options.returnAfterMs ?? 1_000;
    this.leaseTimeoutMs = options.leaseTimeoutMs ?? 1_000;
    this.fallbackMs = options.fallbackMs ?? 5_000;
  }

  get enabled(): boolean {
    return this.policy.perSecond > 0;
  }

  /** Spends one token of `key` (or refuses); null when rate limiting is off. */
  async take(key: string): Promise<RateDecision | null> {
    if (!this.enabled) return null;
    if (this.now() < this.fallbackUntil) return this.takeLocally(key);
    const state = this.stateOf(key);
    // two rounds: requests that waited on a lease others emptied may lease once more
    for (let round = 0; state.held < 1 && round < 2; round++) {
      if (this.now() < state.emptyUntil) break;
      try {
        await (state.leasing ??= this.leaseFor(key, state).finally(() => (state.leasing = null)));
      } catch (error) {
        this.fallBack(error);
        return this.takeLocally(key);
      }
    }
    const now = this.now();
    if (state.held < 1) return this.refusal(refilled(this.policy, state.shared, now).tokens);
    state.held -= 1;
    state.usedAt = now;
    const remaining = Math.min(
      this.policy.burst,
      state.held + refilled(this.policy, state.shared, now).tokens,
    );
    return this.admitted(remaining);
  }

  /** Starts giving idle keys' tokens back; call stop() to end it. */
  start(): void {
    if (!this.enabled || this.sweeper !== null) return;
    this.sweeper = setInterval(() => void this.returnIdle(this.returnAfterMs), 250);
    this.sweeper.unref();
  }

  /** Gives every unspent token back (a stopping process must not strand its leases). */
  async stop(): Promise<void> {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    await this.returnIdle(0);
  }

  /** Gives back the unspent tokens of keys idle at least `idleMs`; forgets long-idle keys. */
  async returnIdle(idleMs: number): Promise<void> {
    const now = this.now();
    const returns: Promise<void>[] = [];
    for (const [key, state] of this.keys) {
      if (now - state.usedAt < idleMs || state.leasing !== null) continue;
      const tokens = Math.floor(state.held);
      state.held = 0;
      // given back before the call: a lost answer strands tokens (refuses more), never adds any
      if (tokens > 0)
        returns.push(
          this.options.leases
            .giveBack(key, tokens, this.policy)
            .catch((error: unknown) => this.fallBack(error)),
        );
      if (now - state.usedAt > 60_000 && now >= state.emptyUntil) this.keys.delete(key);
    }
    for (const [key, bucket] of this.local) {
      if (now - bucket.at > 60_000) this.local.delete(key);
    }
    await Promise.all(returns);
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (state === undefined) {
      const now = this.now();
      state = {
        held: 0,
        shared: { tokens: 0, at: now },
        usedAt: now,
        emptyUntil: 0,
        leasing: null,
      };
      this.keys.set(key, state);
    }
    return state;
  }

  private async leaseFor(key: string, state: KeyState): Promise<void> {
    const lease = await withTimeout(
      this.options.leases.lease(key, this.options.lease, this.policy),
      this.leaseTimeoutMs,
    );
    const now = this.now();
    state.held += lease.granted;
    state.shared = { tokens: lease.tokens, at: now };
    if (lease.granted === 0) {
      state.emptyUntil = now + (Math.max(0, 1 - lease.tokens) / this.policy.perSecond) * 1000;
    }
  }

  private fallBack(error: unknown): void {
    const now = this.now();
    if (now >= this.fallbackUntil) {
      this.options.logger?.warn(
        { err: error, fallbackMs: this.fallbackMs },
        'rate limit: the shared buckets are unreachable; limiting per process meanwhile',
      );
    }
    this.fallbackUntil = now + this.fallbackMs;
  }

  private takeLocally(key: string): RateDecision {
    const now = this.now();
    const taken = takeFrom(
      this.policy,
      this.local.get(key) ?? { tokens: this.policy.burst, at: now },
      now,
      1,
    );
    this.local.set(key, taken.bucket);
    return taken.granted === 1
      ? this.admitted(taken.bucket.tokens)
      : this.refusal(taken.bucket.tokens);
  }

  private admitted(tokens: number): RateDecision {
    return {
      allowed: true,
      limit: this.policy.burst,
      remaining: Math.floor(tokens),
      resetSeconds: secondsUntil(this.policy, tokens, this.policy.burst),
      retryAfterSeconds: 0,
    };
  }

  private refusal(tokens: number): RateDecision {
    return {
      allowed: false,
      limit: this.policy.burst,
      remaining: 0,
      resetSeconds: secondsUntil(this.policy, tokens, this.policy.burst),
      retryAfterSeconds: Math.max(1, secondsUntil(this.policy, tokens, 1)),
    };
  }
}
