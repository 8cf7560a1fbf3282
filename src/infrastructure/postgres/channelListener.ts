import type { Pool, PoolClient } from 'pg';

const RECONNECT_MS = 1_000;

/** What a listener has heard, for a caller that trusts it instead of asking again. */
export type ListenerHealth = Readonly<{
  /** when the current connection's LISTEN took effect: what was notified before went unheard */
  since: number;
  /**
   * when the last heartbeat that came back was sent: every notification committed before then
   * has been delivered (PostgreSQL sends them ahead of the heartbeat's answer)
   */
  confirmedAt: number;
}>;

export type ChannelListener = Readonly<{
  close(): Promise<void>;
  /** null while there is no connection listening */
  health(): ListenerHealth | null;
}>;

export type ListenOptions = Readonly<{
  reconnectMs?: number;
  /** a `SELECT 1` on the listening connection this often keeps `health().confirmedAt` recent */
  heartbeatMs?: number;
  now?: () => number;
}>;

/**
 * LISTEN on one channel, on a pool connection of its own, until close. A connection that
 * cannot be had or is lost is made again after a second: whoever listens must not depend on
 * a notification (each caller also polls or re-checks), this only makes them hear sooner, or,
 * with heartbeats, lets them re-check only when the listener cannot vouch for what it heard.
 * A heartbeat that does not come back within three intervals ends the connection (a link that
 * died without an error). The connection is released once, whether close or a connection
 * error comes first (releasing a client twice throws).
 */
export const listenOn = async (
  pool: Pool,
  channel: string,
  onNotification: (payload: string | undefined) => void,
  options: ListenOptions = {},
): Promise<ChannelListener> => {
  const reconnectMs = options.reconnectMs ?? RECONNECT_MS;
  const now = options.now ?? Date.now;
  let client: PoolClient | null = null;
  let health: ListenerHealth | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let beating: NodeJS.Timeout | null = null;
  let beatSentAt: number | null = null;
  const retry = (): void => {
    if (closed) return;
    timer = setTimeout(() => void connect(), reconnectMs);
    timer.unref();
  };
  const drop = (lost: PoolClient): void => {
    if (client !== lost) return;
    client = null;
    health = null;
    beatSentAt = null;
    lost.release(true);
    retry();
  };
  const beat = (): void => {
    const current = client;
    if (current === null || options.heartbeatMs === undefined) return;
    if (beatSentAt !== null) {
      if (now() - beatSentAt > 3 * options.heartbeatMs) drop(current);
      return;
    }
    const sent = now();
    beatSentAt = sent;
    current.query('SELECT 1').then(
      () => {
        if (client !== current) return;
        beatSentAt = null;
        if (health !== null) health = { since: health.since, confirmedAt: sent };
      },
      // a lost connection also emits 'error', which drops it
      () => undefined,
    );
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
    next.on('error', () => drop(next));
    try {
      await next.query(`LISTEN ${channel}`);
    } catch {
      next.release(true);
      return retry();
    }
    client = next;
    const listening = now();
    health = { since: listening, confirmedAt: listening };
  };
  await connect();
  if (options.heartbeatMs !== undefined) {
    beating = setInterval(beat, options.heartbeatMs);
    beating.unref();
  }
  return {
    health: () => health,
    close: async () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (beating !== null) clearInterval(beating);
      const last = client;
      client = null;
      health = null;
      if (last === null) return;
      await last.query(`UNLISTEN ${channel}`).catch(() => undefined);
      last.release();
    },
  };
};
