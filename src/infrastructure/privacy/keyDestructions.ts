import type { ClientBase, Pool, PoolClient } from 'pg';

/** Where a process tells the others which subjects' keys it destroyed (an erasure). */
export const KEYS_DESTROYED_CHANNEL = 'subject_keys_destroyed';
/** PostgreSQL refuses a payload of 8000 bytes or more: ids go in several notifications */
const PAYLOAD_BYTES = 7_000;
const RECONNECT_MS = 1_000;

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

export type DestructionListener = Readonly<{ close(): Promise<void> }>;

/**
 * Hears every process's destructions on one LISTEN connection of its own. A connection lost
 * is made again after a second; what was destroyed meanwhile is caught by the caches' periodic
 * re-check (postgresSubjectKeys.ts), the fallback this only makes faster.
 */
export const listenForDestroyed = async (
  pool: Pool,
  onDestroyed: (subjectIds: readonly string[]) => void,
): Promise<DestructionListener> => {
  let client: PoolClient | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    let next: PoolClient;
    try {
      next = await pool.connect();
    } catch {
      return retry();
    }
    if (closed) return next.release();
    next.on('notification', (message) => {
      if (message.channel === KEYS_DESTROYED_CHANNEL) onDestroyed(idsOf(message.payload));
    });
    next.on('error', () => {
      if (client !== next) return;
      client = null;
      next.release(true);
      retry();
    });
    try {
      await next.query(`LISTEN ${KEYS_DESTROYED_CHANNEL}`);
    } catch {
      next.release(true);
      return retry();
    }
    client = next;
  };
  const retry = (): void => {
    if (closed) return;
    timer = setTimeout(() => void connect(), RECONNECT_MS);
    timer.unref();
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const last = client;
      client = null;
      if (last === null) return;
      await last.query(`UNLISTEN ${KEYS_DESTROYED_CHANNEL}`).catch(() => undefined);
      last.release();
    },
  };
};
