import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';

const CHANNEL = 'event_store_appended';
/** other processes hear of our appends at most this late (and this often) */
const NOTIFY_INTERVAL_MS = 10;

/**
 * Wakes subscribers when appends commit. Subscribers in this process are woken at once by
 * `appended()`; other processes through one LISTEN connection each and a NOTIFY that this
 * process sends after its appends, outside their transactions.
 *
 * Why not a NOTIFY inside the append (a trigger, as before)? PostgreSQL serialises the commits
 * of every transaction that notified on one database-wide lock, held through the WAL flush:
 * appends could no longer share a flush (group commit), which halved append throughput in
 * `npm run bench` (docs/performance.md). Here a process sends at most one NOTIFY per
 * NOTIFY_INTERVAL_MS, for all the appends that committed before it, and it does not wait for
 * its own flush: a lost notification costs latency, never events, as subscribers poll anyway.
 */
export class AppendNotifications {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private notifying: 'idle' | 'scheduled' | 'sending' = 'idle';
  private notifyAgain = false;
  private lastNotify = 0;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly pool: Pool) {}

  /** Calls `listener` on every commit; returns the function that stops it. */
  onAppended(listener: () => void): () => void {
    this.emitter.on('appended', listener);
    void this.ensureListening();
    return () => this.emitter.off('appended', listener);
  }

  /** An append of this process committed: wake our subscribers now, the others soon. */
  appended(): void {
    if (this.closed) return;
    this.emitter.emit('appended');
    // a NOTIFY not sent yet covers this commit; one already on its way may not
    if (this.notifying === 'sending') this.notifyAgain = true;
    else if (this.notifying === 'idle') this.scheduleNotify();
  }

  private scheduleNotify(): void {
    this.notifying = 'scheduled';
    const wait = Math.max(0, this.lastNotify + NOTIFY_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.notifying = 'sending';
      this.lastNotify = Date.now();
      this.sending = this.notifyOthers().finally(() => {
        this.notifying = 'idle';
        if (this.notifyAgain && !this.closed) {
          this.notifyAgain = false;
          this.scheduleNotify();
        }
      });
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
    if (this.timer !== null) clearTimeout(this.timer);
    await this.sending;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client !== null) {
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }

  private async notifyOthers(): Promise<void> {
    // one implicit transaction; a wake-up call need not wait for its own WAL flush
    await this.pool
      .query(`SET LOCAL synchronous_commit TO off; SELECT pg_notify('${CHANNEL}', '')`)
      .catch(() => undefined);
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
