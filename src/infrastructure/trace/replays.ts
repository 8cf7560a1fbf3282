import type { Pool } from 'pg';

export type Replay = Readonly<{
  correlationId: string;
  originalCorrelationId: string;
  route: string;
  channelId: string;
  idempotencyKey: string;
  replayedAt: Date;
}>;

type Row = {
  correlation_id: string;
  original_correlation_id: string;
  route: string;
  channel_id: string;
  idempotency_key: string;
  replayed_at: Date;
};

const toReplay = (r: Row): Replay => ({
  correlationId: r.correlation_id,
  originalCorrelationId: r.original_correlation_id,
  route: r.route,
  channelId: r.channel_id,
  idempotencyKey: r.idempotency_key,
  replayedAt: r.replayed_at,
});

export const recordReplay = async (pool: Pool, replay: Replay): Promise<void> => {
  await pool.query(
    `INSERT INTO audit.idempotent_replays
       (correlation_id, original_correlation_id, route, channel_id, idempotency_key, replayed_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (correlation_id) DO NOTHING`,
    [
      replay.correlationId,
      replay.originalCorrelationId,
      replay.route,
      replay.channelId,
      replay.idempotencyKey,
      replay.replayedAt,
    ],
  );
};

/** The replay a request was, if it was one. */
export const replayOf = async (pool: Pool, correlationId: string): Promise<Replay | null> => {
  const { rows } = await pool.query<Row>(
    'SELECT * FROM audit.idempotent_replays WHERE correlation_id = $1',
    [correlationId],
  );
  return rows[0] === undefined ? null : toReplay(rows[0]);
};

/** The replays of an original request, oldest first. */
export const replaysOf = async (pool: Pool, correlationId: string): Promise<Replay[]> => {
  const { rows } = await pool.query<Row>(
    `SELECT * FROM audit.idempotent_replays WHERE original_correlation_id = $1
     ORDER BY replayed_at, correlation_id`,
    [correlationId],
  );
  return rows.map(toReplay);
};
