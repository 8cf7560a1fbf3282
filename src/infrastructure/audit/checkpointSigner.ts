import type { Pool } from 'pg';
import type { Clock } from '../../application/ports/clock';
import { inTransaction } from '../../projections/transaction';
import {
  insertCheckpoint,
  lastCheckpointSeq,
  lockNotaryState,
  streamsChangedSince,
} from './auditTables';
import { signCheckpoint, type CheckpointPayload } from './signedCheckpoint';
import type { SigningKey } from './signingKey';

const UNDEFINED = new Set(['42P01', '3F000']);

/**
 * Signs the notary's head when it moved since the last checkpoint. Under the notary's lock,
 * so the heads signed are those of one committed batch. Null: nothing new (or no notary yet).
 */
export const signPendingCheckpoint = async (
  pool: Pool,
  key: SigningKey,
  clock: Clock,
): Promise<CheckpointPayload | null> => {
  try {
    return await inTransaction(pool, async (db) => {
      const state = await lockNotaryState(db);
      const signed = await lastCheckpointSeq(db);
      if (state.seq <= signed || state.position === null) return null;
      const payload: CheckpointPayload = {
        seq: state.seq.toString(),
        position: state.position,
        global_head: state.globalHead,
        streams: await streamsChangedSince(db, signed),
        signed_at: clock.now().toISOString(),
      };
      await insertCheckpoint(db, state.seq, signCheckpoint(payload, key.privateKey));
      return payload;
    });
  } catch (error) {
    if (UNDEFINED.has((error as { code?: string } | null)?.code ?? '')) return null;
    throw error;
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
