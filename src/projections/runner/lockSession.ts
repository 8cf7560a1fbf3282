import type { Pool, PoolClient } from 'pg';

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * A database session of its own that holds session-level advisory locks. The locks live as
 * long as the connection: when the process dies, PostgreSQL drops them and a standby takes over.
 */
export class LockSession {
  private lost = false;

  private constructor(private readonly client: PoolClient) {
    client.on('error', () => {
      this.lost = true;
    });
  }

  static async open(pool: Pool): Promise<LockSession> {
    return new LockSession(await pool.connect());
  }

  /** false once the connection failed: every lock it held is gone */
  get alive(): boolean {
    return !this.lost;
  }

  async tryLock(lockClass: number, key: number): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, $2) AS locked',
      [lockClass, key],
    );
    return result.rows[0]?.locked === true;
  }

  /** Waits in the lock's queue up to `timeoutMs`; false when it timed out. */
  async lock(lockClass: number, key: number, timeoutMs: number): Promise<boolean> {
    await this.client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${timeoutMs}ms`]);
    try {
      await this.client.query('SELECT pg_advisory_lock($1, $2)', [lockClass, key]);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) return false;
      throw error;
    } finally {
      await this.client
        .query(`SELECT set_config('lock_timeout', '0', false)`)
        .catch(() => undefined);
    }
  }

  async unlock(lockClass: number, key: number): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1, $2)', [lockClass, key]);
  }

  /**
   * Is another session queued for this lock? Standby runners only ever try the lock, so a
   * queued session is a rebuild asking the active runner to pause.
   */
  async hasWaiters(lockClass: number, key: number): Promise<boolean> {
    const result = await this.client.query<{ waiting: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND classid = $1::int::oid AND objid = $2::int::oid
       ) AS waiting`,
      [lockClass, key],
    );
    return result.rows[0]?.waiting === true;
  }

  /** Ends the session, and with it every lock it holds. */
  close(): void {
    // destroyed, not returned to the pool: a pooled connection would keep the locks
    this.client.release(true);
  }
}

/** Who holds a lock right now, for `projections status`. */
export const lockHolder = async (
  pool: Pool,
  lockClass: number,
  key: number,
): Promise<Readonly<{
  pid: number;
  applicationName: string;
  clientAddr: string | null;
}> | null> => {
  const result = await pool.query<{
    pid: number;
    application_name: string;
    client_addr: string | null;
  }>(
    `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = $1::int::oid AND l.objid = $2::int::oid`,
    [lockClass, key],
  );
  const row = result.rows[0];
  return row === undefined
    ? null
    : { pid: row.pid, applicationName: row.application_name, clientAddr: row.client_addr };
};
