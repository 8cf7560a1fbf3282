import type { ClientBase } from 'pg';
import type { ContactCreated, ContactDataAdded } from '../../domain/contact/events';
import type { Projected } from '../projection';
import { insertWords, itemText } from './contactWords';

/** The events a run is made of: how contacts arrive (a creation, then its data items). */
export const RUN_TYPES: ReadonlySet<string> = new Set(['ContactCreated', 'ContactDataAdded']);

type RunEvent = Projected<ContactCreated> | Projected<ContactDataAdded>;

/**
 * A run's contacts, touches and data items, in one statement. The CTEs share one snapshot,
 * so nothing in it reads what another part writes: the creations carry their final
 * updated_at, the touches are of contacts the chunk does not create, the data ids are
 * distinct (a repeat starts a new chunk, splitRun), and the words' texts come from the
 * creations' parameters and the rows the data upsert returns.
 */
export const APPLY_RUN = `
  WITH created AS (
    INSERT INTO contacts (contact_id, channel_id, name, description, status, created_at,
                          updated_at)
    SELECT id, channel, name, description, 'active', created, updated
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                $6::timestamptz[]) AS u(id, channel, name, description, created, updated)
  ),
  touched AS (
    UPDATE contacts c SET updated_at = u.at
    FROM unnest($7::text[], $8::timestamptz[]) AS u(id, at)
    WHERE c.contact_id = u.id AND c.updated_at IS DISTINCT FROM u.at
  ),
  item AS (
    INSERT INTO contact_data (data_id, contact_id, type, value, service, origin, added_at,
                              updated_at)
    SELECT id, contact, type, value, service, origin, at, at
    FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                $15::timestamptz[]) AS u(id, contact, type, value, service, origin, at)
    ON CONFLICT (data_id) DO UPDATE SET
      contact_id = EXCLUDED.contact_id, type = EXCLUDED.type, value = EXCLUDED.value,
      service = EXCLUDED.service, origin = EXCLUDED.origin, updated_at = EXCLUDED.updated_at
    -- a new item's words; one moved from a merged contact has them already
    RETURNING data_id, contact_id, type, value, xmax = 0 AS fresh
  ),
  texts AS (
    SELECT id AS contact_id, id AS source_id, name || ' ' || coalesce(description, '') AS text
    FROM unnest($1::text[], $3::text[], $4::text[]) AS n(id, name, description)
    UNION ALL
    SELECT contact_id, data_id, ${itemText('type', 'value')} FROM item WHERE fresh
  ),
  gone AS (DELETE FROM contact_words w USING texts t
           WHERE w.contact_id = t.contact_id AND w.source_id = t.source_id),
  ${insertWords('texts')}`;

/**
 * Cuts a run where a data id comes again (one upsert may not touch a row twice; the second
 * sees the first in the next chunk, as it would one event after the other) or a contact is
 * created again (which fails either way, and the runner then finds the event alone).
 */
const splitRun = (events: readonly RunEvent[]): RunEvent[][] => {
  const chunks: RunEvent[][] = [];
  let chunk: RunEvent[] = [];
  let seen = new Set<string>();
  for (const event of events) {
    const key =
      event.type === 'ContactCreated' ? `c:${event.data.contactId}` : `d:${event.data.data.id}`;
    if (seen.has(key)) {
      chunks.push(chunk);
      chunk = [];
      seen = new Set();
    }
    seen.add(key);
    chunk.push(event);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
};

/** APPLY_RUN's parameters: what the chunk's events do, one after the other, in arrays. */
export const runValues = (events: readonly RunEvent[]): unknown[] => {
  const created = new Map<string, { event: Projected<ContactCreated>; updated: string }>();
  // a touch of a contact before its creation in the chunk finds no row, as one alone would
  const touches = new Map<string, string>();
  const items: Projected<ContactDataAdded>[] = [];
  for (const event of events) {
    if (event.type === 'ContactCreated') {
      created.set(event.data.contactId, { event, updated: event.recordedAt });
      continue;
    }
    items.push(event);
    const contact = created.get(event.data.contactId);
    if (contact !== undefined) contact.updated = event.recordedAt;
    else touches.set(event.data.contactId, event.recordedAt);
  }
  const creations = [...created.values()];
  return [
    creations.map((c) => c.event.data.contactId),
    creations.map((c) => c.event.data.channelId),
    creations.map((c) => c.event.data.name),
    creations.map((c) => c.event.data.description),
    creations.map((c) => c.event.data.createdAt),
    creations.map((c) => c.updated),
    [...touches.keys()],
    [...touches.values()],
    items.map((e) => e.data.data.id),
    items.map((e) => e.data.contactId),
    items.map((e) => e.data.data.type),
    items.map((e) => e.data.data.value),
    items.map((e) => e.data.data.service),
    items.map((e) => e.data.data.origin),
    items.map((e) => e.recordedAt),
  ];
};

/**
 * Applies consecutive creations and data items as their handlers would one by one, in a
 * statement per chunk instead of one per event: a rebuild's log is mostly these, and each
 * statement cost PostgreSQL more to take in than to run (docs/performance.md).
 */
export const applyContactRun = async (
  db: ClientBase,
  events: readonly Projected[],
): Promise<void> => {
  for (const chunk of splitRun(events as readonly RunEvent[]))
    await db.query(APPLY_RUN, runValues(chunk));
};
