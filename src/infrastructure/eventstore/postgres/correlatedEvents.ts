import type { Pool } from 'pg';
import type { CorrelatedEvents } from '../../../application/audit/trace';
import { EVENT_COLUMNS, toRecorded, type EventRow } from './postgresEventStore';

/**
 * The events one request appended, in commit order, through the index on the metadata's
 * correlation id (migration "audit: events by correlation id").
 */
export const postgresCorrelatedEvents =
  (pool: Pool): CorrelatedEvents =>
  async (correlationId) => {
    const { rows } = await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE metadata->>'correlationId' = $1
       ORDER BY transaction_id, global_position`,
      [correlationId],
    );
    return rows.map(toRecorded);
  };
