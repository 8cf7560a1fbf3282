import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';

const CHANNEL = 'event_store_appended';

/**
 * One LISTEN connection per store that wakes every subscriber when an append commits.
 * Notifications only shorten the wait: subscribers poll anyway, so a lost connection
 * costs latency, never events.
 */
export class AppendNotifications {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly pool: Pool) {}

  /** Calls `listener` on every commit; returns the function that stops it. */
  onAppended(listener: () => void): () => void {
    this.emitter.on('appended', listener);
    void this.ensureListening();
    return () => this.emitter.off('appended', listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client !== null) {
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }

  private ensureListening(): Promise<void> {
    if (this.closed || this.client !== null) return Promise.resolve();
    this.connecting ??= this.listen().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async listen(): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch {
      return; // polling carries on; the next subscriber tries again
    }
    if (this.closed) {
      client.release();
      return;
    }
    client.on('notification', () => this.emitter.emit('appended'));
    client.on('error', () => {
      // once close() released it, the client is the pool's: releasing it again would throw
      // (a connection cut while PostgreSQL stops, after close, crashed the process)
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
    });
    await client.query(`LISTEN ${CHANNEL}`).catch(() => undefined);
    this.client = client;
  }
}
