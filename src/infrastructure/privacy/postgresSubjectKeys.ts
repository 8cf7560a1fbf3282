import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { SubjectKeys } from '../../application/ports/subjectKeys';
import { RecentlyUsed } from '../../application/recentlyUsed';
import { open, seal, type MasterKey } from '../keys/envelope';
import { openWithDataKey, sealWithDataKey } from './dataKeyCipher';
import type { ChannelListener } from '../postgres/channelListener';
import { listenForDestroyed, notifyDestroyed } from './keyDestructions';
import { rewrapUnder } from './rewrap';

/** The lookup of keys by subject, a tick's at once (the bench counts its calls by this text). */
export const KEY_LOOKUP =
  'SELECT subject_id, wrapped FROM keys.subject_keys WHERE subject_id = ANY($1::text[])';

/** A destroyed key is served from another process's cache for at most this long. */
export const DESTROYED_CHECK_MS = 5_000;
const DEFAULT_CACHE_SIZE = 10_000;

/** Sealing for a subject whose key was destroyed: the caller writes data of an erased person. */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';
  constructor(readonly subjectId: string) {
    super(`subject ${subjectId} was erased: its data key is destroyed`);
  }
}

/**
 * One subject's data key, for the fields of one event: sealing and opening them is then
 * synchronous, one lookup per event instead of one per field. `open` throws SealedValueError
 * when a value was tampered with or moved.
 */
export type FieldCipher = Readonly<{
  subjectId: string;
  seal(plaintext: Buffer, aad: string): Buffer;
  open(sealed: Buffer, aad: string): Buffer;
}>;

const aadOf = (subjectId: string): string => `keys.subject_keys:${subjectId}`;

type Row = Readonly<{ subject_id: string; wrapped: string | null }>;
/**
 * key null: destroyed (final); a key is checked again after DESTROYED_CHECK_MS unless the
 * listener vouches for it. checkedAt: when the lookup that found it was asked (its answer is at
 * least that recent).
 */
type Entry = Readonly<{ key: Buffer | null; wrapped: string | null; checkedAt: number }>;
type Waiter = Readonly<{ resolve: (row: Row | undefined) => void; reject: (e: unknown) => void }>;

export type PostgresSubjectKeysOptions = Readonly<{
  /** current first, then the previous one during a rotation */
  masterKeys: readonly [MasterKey, ...MasterKey[]];
  cacheSize?: number;
  destroyedCheckMs?: number;
  now?: () => number;
}>;

const cipherOf = (subjectId: string, key: Buffer): FieldCipher => ({
  subjectId,
  seal: (plaintext, aad) => sealWithDataKey(key, plaintext, `${subjectId}|${aad}`),
  open: (sealed, aad) => openWithDataKey(key, sealed, `${subjectId}|${aad}`),
});

/**
 * SubjectKeys in keys.subject_keys: one random 32-byte key per subject, made on first seal
 * (INSERT … ON CONFLICT, so that concurrent processes agree on one), wrapped by the master key.
 * Unwrapped keys sit in a bounded LRU; lookups that miss it within one tick go to the database
 * in one query, so that opening a page of the log costs one round trip. A destruction reaches
 * every process at once through NOTIFY (`listen`). A cached key is checked again after
 * DESTROYED_CHECK_MS only when the listener cannot vouch for it: it was not listening when the
 * key was looked up, or its heartbeat has not come back for that long. At full load the
 * re-checks were a query for about every message of a known contact (docs/performance.md).
 */
export class PostgresSubjectKeys implements SubjectKeys {
  private readonly cache: RecentlyUsed<string, Entry>;
  private readonly checkMs: number;
  private readonly now: () => number;
  private batch: Map<string, Waiter[]> | null = null;
  /** lookups on their way to the database, one per subject however many ask */
  private readonly fetching = new Map<string, Promise<Buffer | null | undefined>>();
  private readonly destroyedListeners = new Set<(subjectIds: readonly string[]) => void>();
  private listener: ChannelListener | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresSubjectKeysOptions,
  ) {
    this.cache = new RecentlyUsed(options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.checkMs = options.destroyedCheckMs ?? DESTROYED_CHECK_MS;
    this.now = options.now ?? Date.now;
  }

  async seal(subjectId: string, plaintext: Buffer, aad: string): Promise<Buffer> {
    return (await this.sealerFor(subjectId)).seal(plaintext, aad);
  }

  async open(subjectId: string, sealed: Buffer, aad: string): Promise<Buffer | null> {
    return (await this.openerFor(subjectId))?.open(sealed, aad) ?? null;
  }

  /** The subject's key to seal with, made on first use; SubjectErasedError once destroyed. */
  async sealerFor(subjectId: string): Promise<FieldCipher> {
    const key = (await this.keyOf(subjectId)) ?? (await this.create(subjectId));
    if (key === null) throw new SubjectErasedError(subjectId);
    return cipherOf(subjectId, key);
  }

  /** The subject's key to open with; null when destroyed or never made (nothing opens). */
  async openerFor(subjectId: string): Promise<FieldCipher | null> {
    const key = await this.keyOf(subjectId);
    return key === null || key === undefined ? null : cipherOf(subjectId, key);
  }

  async destroy(subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO keys.subject_keys (subject_id, key_id, wrapped, destroyed_at)
         SELECT unnest($1::text[]), NULL, NULL, now()
         ON CONFLICT (subject_id) DO UPDATE SET key_id = NULL, wrapped = NULL,
           destroyed_at = COALESCE(keys.subject_keys.destroyed_at, now())`,
        [subjectIds],
      );
      // delivered on commit: the other processes forget the keys when they are really gone
      await notifyDestroyed(client, subjectIds);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.forget(subjectIds);
  }

  async isDestroyed(subjectId: string): Promise<boolean> {
    return (await this.keyOf(subjectId)) === null;
  }

  /** Hears destructions, this process's and (after `listen`) every other's, as they happen. */
  onDestroyed(listener: (subjectIds: readonly string[]) => void): () => void {
    this.destroyedListeners.add(listener);
    return () => this.destroyedListeners.delete(listener);
  }

  /** Listens for other processes' destructions (one connection of the pool) until close. */
  async listen(): Promise<void> {
    this.listener ??= await listenForDestroyed(this.pool, (ids) => this.forget(ids), this.now);
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }

  private forget(subjectIds: readonly string[]): void {
    for (const id of subjectIds) this.remember(id, null, null);
    for (const listener of this.destroyedListeners) listener(subjectIds);
  }

  /** The key; null when destroyed; undefined when the subject has none yet. */
  private keyOf(subjectId: string): Promise<Buffer | null | undefined> {
    const cached = this.cache.get(subjectId);
    if (
      cached !== undefined &&
      (cached.key === null ||
        this.now() - cached.checkedAt < this.checkMs ||
        this.heardSince(cached.checkedAt))
    )
      return Promise.resolve(cached.key);
    let fetching = this.fetching.get(subjectId);
    if (fetching === undefined) {
      fetching = this.refresh(subjectId, cached).finally(() => this.fetching.delete(subjectId));
      this.fetching.set(subjectId, fetching);
    }
    return fetching;
  }

  /**
   * Would the listener have heard of a destruction committed after `checkedAt`? It was
   * listening by then, and a heartbeat sent within the check interval came back, so anything
   * destroyed is heard within DESTROYED_CHECK_MS, as the re-check would have found it.
   */
  private heardSince(checkedAt: number): boolean {
    const health = this.listener?.health() ?? null;
    return (
      health !== null && health.since <= checkedAt && this.now() - health.confirmedAt < this.checkMs
    );
  }

  private async refresh(
    subjectId: string,
    cached: Entry | undefined,
  ): Promise<Buffer | null | undefined> {
    const asked = this.now();
    const row = await this.fetch(subjectId);
    // destroyed while the row was on its way: the row is older than the destruction
    const meanwhile = this.cache.peek(subjectId);
    if (meanwhile !== cached && meanwhile?.key === null) return null;
    if (row === undefined) {
      this.cache.delete(subjectId);
      return undefined;
    }
    // the re-check of a live key finds it as it was: no need to unwrap it again
    const key = cached?.key && cached.wrapped === row.wrapped ? cached.key : this.unwrap(row);
    if (key === null && cached?.key) this.forget([subjectId]);
    return this.remember(subjectId, key, row.wrapped, asked);
  }

  private async create(subjectId: string): Promise<Buffer | null> {
    const [current] = this.options.masterKeys;
    const asked = this.now();
    const fresh = randomBytes(32);
    const wrapped = seal(current, fresh.toString('base64'), aadOf(subjectId));
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO keys.subject_keys (subject_id, key_id, wrapped) VALUES ($1, $2, $3)
       ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id, wrapped`,
      [subjectId, current.id, wrapped],
    );
    if (rows.length > 0) return this.remember(subjectId, fresh, wrapped, asked);
    // another process made it first: its key is the key
    const row = await this.fetch(subjectId);
    return this.remember(
      subjectId,
      row === undefined ? null : this.unwrap(row),
      row?.wrapped ?? null,
      asked,
    );
  }

  private unwrap(row: Row): Buffer | null {
    return row.wrapped === null
      ? null
      : Buffer.from(open(this.options.masterKeys, row.wrapped, aadOf(row.subject_id)), 'base64');
  }

  private remember(
    subjectId: string,
    key: Buffer | null,
    wrapped: string | null,
    checkedAt = this.now(),
  ): Buffer | null {
    this.cache.set(subjectId, { key, wrapped: key === null ? null : wrapped, checkedAt });
    return key;
  }

  /** Gathers the lookups of one tick into one query. */
  private fetch(subjectId: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.batch;
      if (batch === null) {
        const gathering = new Map<string, Waiter[]>();
        batch = this.batch = gathering;
        setImmediate(() => {
          this.batch = null;
          this.pool
            .query<Row>(KEY_LOOKUP, [[...gathering.keys()]])
            .then(({ rows }) => {
              const found = new Map(rows.map((r) => [r.subject_id, r]));
              for (const [id, waiters] of gathering)
                for (const w of waiters) w.resolve(found.get(id));
            })
            .catch((error: unknown) => {
              for (const waiters of gathering.values()) for (const w of waiters) w.reject(error);
            });
        });
      }
      const waiters = batch.get(subjectId) ?? [];
      waiters.push({ resolve, reject });
      batch.set(subjectId, waiters);
    });
  }
}

/** Re-wraps every live data key under `current` (a master key rotation); returns how many. */
export const rewrapSubjectKeys = (
  pool: Pool,
  current: MasterKey,
  readable: readonly MasterKey[],
): Promise<number> =>
  rewrapUnder(
    pool,
    { table: 'keys.subject_keys', idColumn: 'subject_id', aadOf },
    current,
    readable,
  );
