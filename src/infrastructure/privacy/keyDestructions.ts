import type { ClientBase, Pool } from 'pg';
import { listenOn, type ChannelListener } from '../postgres/channelListener';

/** Where a process tells the others which subjects' keys it destroyed (an erasure). */
export const KEYS_DESTROYED_CHANNEL = 'subject_keys_destroyed';
/** PostgreSQL refuses a payload of 8000 bytes or more: ids go in several notifications */
const PAYLOAD_BYTES = 7_000;

/**
 * Queues, in the caller's transaction, one NOTIFY per chunk of ids: PostgreSQL delivers them
 * when it commits, so the other processes hear of a destruction exactly when it is true.
 */
export const notifyDestroyed = async (
  db: ClientBase,
  subjectIds: readonly string[],
): Promise<void> => {
  let chunk: string[] = [];
  let bytes = 2;
  const send = async (): Promise<void> => {
    if (chunk.length > 0)
      await db.query('SELECT pg_notify($1, $2)', [KEYS_DESTROYED_CHANNEL, JSON.stringify(chunk)]);
    chunk = [];
    bytes = 2;
  };
  for (const id of subjectIds) {
    const size = Buffer.byteLength(JSON.stringify(id)) + 1;
    if (bytes + size > PAYLOAD_BYTES) await send();
    chunk.push(id);
    bytes += size;
  }
  await send();
};

const idsOf = (payload: string | undefined): string[] => {
  try {
    const parsed: unknown = JSON.parse(payload ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
};

/**
 * Hears every process's destructions on one LISTEN connection of its own, with a heartbeat
 * every second: while it is up and answering, a process's cached keys need no re-check
 * (postgresSubjectKeys.ts); what is destroyed while it is lost is caught by the caches'
 * periodic re-check, the fallback.
 */
export const listenForDestroyed = (
  pool: Pool,
  onDestroyed: (subjectIds: readonly string[]) => void,
  now: () => number = Date.now,
): Promise<ChannelListener> =>
  listenOn(pool, KEYS_DESTROYED_CHANNEL, (payload) => onDestroyed(idsOf(payload)), {
    heartbeatMs: HEARTBEAT_MS,
    now,
  });

/** how often the listener proves it hears: well inside the caches' re-check interval (5 s) */
const HEARTBEAT_MS = 1_000;
