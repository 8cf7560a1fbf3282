import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { SubjectKeys } from '../../application/ports/subjectKeys';
import { open, seal, type MasterKey } from '../keys/envelope';
import { openWithDataKey, sealWithDataKey } from './dataKeyCipher';

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

const aadOf = (subjectId: string): string => `keys.subject_keys:${subjectId}`;

type Row = Readonly<{ subject_id: string; wrapped: string | null }>;
/** null: destroyed (final); a key is checked again after DESTROYED_CHECK_MS */
type Entry = Readonly<{ key: Buffer | null; checkedAt: number }>;
type Waiter = Readonly<{ resolve: (row: Row | undefined) => void; reject: (e: unknown) => void }>;

export type PostgresSubjectKeysOptions = Readonly<{
  /** current first, then the previous one during a rotation */
  masterKeys: readonly [MasterKey, ...MasterKey[]];
  cacheSize?: number;
  destroyedCheckMs?: number;
  now?: () => number;
}>;

/**
 * SubjectKeys in keys.subject_keys: one random 32-byte key per subject, made on first seal
 * (INSERT … ON CONFLICT, so that concurrent processes agree on one), wrapped by the master key.
 * Unwrapped keys sit in a bounded LRU; lookups that miss it within one tick go to the database
 * in one query, so that opening a page of the log costs one round trip.
 */
export class PostgresSubjectKeys implements SubjectKeys {
  private readonly cache = new Map<string, Entry>();
  private readonly cacheSize: number;
  private readonly checkMs: number;
  private readonly now: () => number;
  private batch: Map<string, Waiter[]> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresSubjectKeysOptions,
  ) {
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.checkMs = options.destroyedCheckMs ?? DESTROYED_CHECK_MS;
    this.now = options.now ?? Date.now;
  }

  async seal(subjectId: string, plaintext: Buffer, aad: string): Promise<Buffer> {
    const key = (await this.keyOf(subjectId)) ?? (await this.create(subjectId));
    if (key === null) throw new SubjectErasedError(subjectId);
    return sealWithDataKey(key, plaintext, `${subjectId}|${aad}`);
  }

  async open(subjectId: string, sealed: Buffer, aad: string): Promise<Buffer | null> {
    const key = await this.keyOf(subjectId);
    // no key was ever made for it: nothing sealed under it can be read
    if (key === null || key === undefined) return null;
    return openWithDataKey(key, sealed, `${subjectId}|${aad}`);
  }

  async destroy(subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length === 0) return;
    await this.pool.query(
      `INSERT INTO keys.subject_keys (subject_id, key_id, wrapped, destroyed_at)
       SELECT unnest($1::text[]), NULL, NULL, now()
       ON CONFLICT (subject_id) DO UPDATE SET key_id = NULL, wrapped = NULL,
         destroyed_at = COALESCE(keys.subject_keys.destroyed_at, now())`,
      [subjectIds],
    );
    for (const id of subjectIds) this.remember(id, null);
  }

  async isDestroyed(subjectId: string): Promise<boolean> {
    return (await this.keyOf(subjectId)) === null;
  }

  /** The key; null when destroyed; undefined when the subject has none yet. */
  private async keyOf(subjectId: string): Promise<Buffer | null | undefined> {
    const cached = this.cache.get(subjectId);
    if (
      cached !== undefined &&
      (cached.key === null || this.now() - cached.checkedAt < this.checkMs)
    ) {
      this.cache.delete(subjectId);
      this.cache.set(subjectId, cached);
      return cached.key;
    }
    const row = await this.fetch(subjectId);
    if (row === undefined) {
      this.cache.delete(subjectId);
      return undefined;
    }
    return this.remember(subjectId, this.unwrap(row));
  }

  private async create(subjectId: string): Promise<Buffer | null> {
    const [current] = this.options.masterKeys;
    const fresh = randomBytes(32);
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO keys.subject_keys (subject_id, key_id, wrapped) VALUES ($1, $2, $3)
       ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id, wrapped`,
      [subjectId, current.id, seal(current, fresh.toString('base64'), aadOf(subjectId))],
    );
    if (rows.length > 0) return this.remember(subjectId, fresh);
    // another process made it first: its key is the key
    const row = await this.fetch(subjectId);
    return this.remember(subjectId, row === undefined ? null : this.unwrap(row));
  }

  private unwrap(row: Row): Buffer | null {
    return row.wrapped === null
      ? null
      : Buffer.from(open(this.options.masterKeys, row.wrapped, aadOf(row.subject_id)), 'base64');
  }

  private remember(subjectId: string, key: Buffer | null): Buffer | null {
    this.cache.delete(subjectId);
    this.cache.set(subjectId, { key, checkedAt: this.now() });
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
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
            .query<Row>(
              'SELECT subject_id, wrapped FROM keys.subject_keys WHERE subject_id = ANY($1::text[])',
              [[...gathering.keys()]],
            )
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
export const rewrapSubjectKeys = async (
  pool: Pool,
  current: MasterKey,
  readable: readonly MasterKey[],
): Promise<number> => {
  const { rows } = await pool.query<{ subject_id: string; wrapped: string }>(
    'SELECT subject_id, wrapped FROM keys.subject_keys WHERE wrapped IS NOT NULL AND key_id <> $1',
    [current.id],
  );
  let rewritten = 0;
  for (const row of rows) {
    const plain = open(readable, row.wrapped, aadOf(row.subject_id));
    const { rowCount } = await pool.query(
      'UPDATE keys.subject_keys SET key_id = $3, wrapped = $4 WHERE subject_id = $1 AND wrapped = $2',
      [row.subject_id, row.wrapped, current.id, seal(current, plain, aadOf(row.subject_id))],
    );
    rewritten += rowCount ?? 0;
  }
  return rewritten;
};
