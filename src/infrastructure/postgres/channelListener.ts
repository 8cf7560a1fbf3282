import type { Pool, PoolClient } from 'pg';

const RECONNECT_MS = 1_000;

export type ChannelListener = Readonly<{ close(): Promise<void> }>;

/**
 * LISTEN on one channel, on a pool connection of its own, until close. A connection that
 * cannot be had or is lost is made again after a second: whoever listens must not depend on
 * a notification (each caller also polls or re-checks), this only makes them hear sooner.
 * The connection is released once, whether close or a connection error comes first (releasing
 * a client twice throws).
 */
export const listenOn = async (
  pool: Pool,
  channel: string,
  onNotification: (payload: string | undefined) => void,
  reconnectMs = RECONNECT_MS,
): Promise<ChannelListener> => {
  let client: PoolClient | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const retry = (): void => {
    if (closed) return;
    timer = setTimeout(() => void connect(), reconnectMs);
    timer.unref();
  };
  const connect = async (): Promise<void> => {
    let next: PoolClient;
    try {
      next = await pool.connect();
    } catch {
      return retry();
    }
    if (closed) return next.release();
    next.on('notification', (message) => {
      if (message.channel === channel) onNotification(message.payload);
    });
    next.on('error', () => {
      if (client !== next) return;
      client = null;
      next.release(true);
      retry();
    });
    try {
      await next.query(`LISTEN ${channel}`);
    } catch {
      next.release(true);
      return retry();
    }
    client = next;
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const last = client;
      client = null;
      if (last === null) return;
      await last.query(`UNLISTEN ${channel}`).catch(() => undefined);
      last.release();
    },
  };
};
