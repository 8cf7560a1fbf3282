import type { Pool, PoolClient } from 'pg';
import type { Clock } from '../../application/ports/clock';
import { LOCKS } from '../../projections/runner/lockKeys';
import { insertCheckpoint, streamsChangedSince } from './auditTables';
import { signCheckpoint, type CheckpointPayload } from './signedCheckpoint';
import type { SigningKey } from './signingKey';

const UNDEFINED = new Set(['42P01', '3F000']);

/**
 * What there is to sign, from one snapshot: the state of one committed batch and the streams it
 * and the batches before it changed since the last checkpoint. Read only, so the transaction
 * takes no transaction id: one that had one (the FOR UPDATE this used to take) held back every
 * subscriber's read of the log for as long as its round trips took.
 */
const pending = async (db: PoolClient, clock: Clock): Promise<CheckpointPayload | null> => {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { rows } = await db.query<{
      seq: string;
      position: string | null;
      global_head: string;
      signed: string | null;
    }>(
      `SELECT seq, position, global_head, (SELECT max(seq) FROM audit.checkpoints)::text AS signed
       FROM audit.notary_state`,
    );
    const state = rows[0];
    const signed = BigInt(state?.signed ?? 0);
    if (state === undefined || BigInt(state.seq) <= signed || state.position === null) return null;
    return {
      seq: state.seq,
      position: state.position,
      global_head: state.global_head,
      streams: await streamsChangedSince(db, signed, BigInt(state.seq)),
      signed_at: clock.now().toISOString(),
    };
  } finally {
    // a failed read has ended the transaction already; COMMIT then only closes it
    await db.query('COMMIT');
  }
};

/**
 * Signs the notary's head when it moved since the last checkpoint. Signers of several
 * processes take turns on an advisory lock (it needs no transaction id either), so each reads
 * the last checkpoint of the one before. Null: nothing new (or no notary yet).
 */
export const signPendingCheckpoint = async (
  pool: Pool,
  key: SigningKey,
  clock: Clock,
): Promise<CheckpointPayload | null> => {
  const db = await pool.connect();
  let broken = false;
  // a connection lost between two statements is reported here (the pool only listens to idle ones)
  const onError = (): void => void (broken = true);
  db.on('error', onError);
  try {
    await db.query('SELECT pg_advisory_lock($1, 0)', [LOCKS.signer]);
    try {
      const payload = await pending(db, clock);
      // one statement: the transaction id lives as long as the insert and its commit
      if (payload !== null)
        await insertCheckpoint(db, BigInt(payload.seq), signCheckpoint(payload, key.privateKey));
      return payload;
    } finally {
      await db.query('SELECT pg_advisory_unlock($1, 0)', [LOCKS.signer]).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    if (UNDEFINED.has((error as { code?: string } | null)?.code ?? '')) return null;
    throw error;
  } finally {
    db.off('error', onError);
    // a session that may still hold the lock is not pooled again
    db.release(broken);
  }
};

export type SignerLog = Readonly<{ error(details: object, message: string): void }>;

/**
 * Signs every `intervalMs` and once more when stopped: the tail a deletion could take
 * unnoticed is what the notary has not read plus at most one interval.
 */
export const checkpointSigner = (
  options: Readonly<{
    pool: Pool;
    key: SigningKey;
    clock: Clock;
    intervalMs: number;
    log: SignerLog;
  }>,
) => {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = (): Promise<void> =>
    signPendingCheckpoint(options.pool, options.key, options.clock).then(
      () => undefined,
      (error: unknown) => options.log.error({ err: error }, 'audit checkpoint signing failed'),
    );
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, options.intervalMs);
  };
  return {
    name: 'audit:checkpoint-signer',
    start: async () => schedule(),
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
      await tick();
    },
  };
};
