import type { Pool } from 'pg';

export type FeedPage = Readonly<{
  /** the response body, JSON text: each payload is spliced in as the exact bytes webhooks send */
  json: string;
  count: number;
}>;

/**
 * A subscription's catch-up feed (SPEC §2.1): its deliveries in the order they were queued, each
 * with the stored body every attempt sends. The cursor is the delivery's id, which the one
 * active outbox runner takes from a sequence event by event, so a dialog's events are in their
 * order and a page after a cursor never misses a delivery queued before it.
 */
export const readEventFeed = async (
  pool: Pool,
  webhookId: string,
  page: Readonly<{ after: string | null; limit: number }>,
): Promise<FeedPage> => {
  const { rows } = await pool.query<{
    cursor: string;
    id: string;
    type: string;
    dialog_id: string;
    body: string;
  }>(
    `SELECT d.delivery_id::text AS cursor, m.message_id AS id, m.event_type AS type, m.dialog_id,
            m.body
     FROM webhooks.deliveries d JOIN webhooks.messages m ON m.message_id = d.message_id
     WHERE d.webhook_id = $1 AND d.delivery_id > coalesce($2::bigint, 0)
     ORDER BY d.delivery_id
     LIMIT $3`,
    [webhookId, page.after, page.limit + 1],
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1)?.cursor ?? page.after;
  const json =
    `{"items":[${items
      .map(
        (row) =>
          `{"cursor":${JSON.stringify(row.cursor)},"id":${JSON.stringify(row.id)},"type":${JSON.stringify(row.type)},"dialog_id":${JSON.stringify(row.dialog_id)},"payload":${row.body}}`,
      )
      .join(',')}],` +
    `"next_cursor":${JSON.stringify(last)},"has_more":${rows.length > page.limit}}`;
  return { json, count: items.length };
};
