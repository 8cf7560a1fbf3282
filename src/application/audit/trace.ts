import type { Actor, EventStore, RecordedEvent } from '../ports/eventStore';

/** The events one request (its correlation id) appended, in commit order. */
export type CorrelatedEvents = (correlationId: string) => Promise<readonly RecordedEvent[]>;

const SCAN_PAGE = 1_000;

/**
 * Any store: reads the whole global log and keeps the request's events. Correct, and linear in
 * the log's length; the PostgreSQL store has an index instead (postgres/correlatedEvents.ts).
 */
export const scanningCorrelatedEvents =
  (store: EventStore, pageSize = SCAN_PAGE): CorrelatedEvents =>
  async (correlationId) => {
    const found: RecordedEvent[] = [];
    let from = null as Awaited<ReturnType<EventStore['readAll']>>['checkpoint'];
    for (;;) {
      const page = await store.readAll({ from, maxCount: pageSize });
      for (const e of page.events) if (e.metadata.correlationId === correlationId) found.push(e);
      if (page.events.length === 0 || page.checkpoint === null) return found;
      from = page.checkpoint;
    }
  };

/** What the trace says of the request itself, from its first event's metadata. */
export type TracedRequest = Readonly<{
  actor: Actor;
  channelId: string | null;
  route: string | null;
  idempotencyKey: string | null;
  at: string;
}>;

export const requestOf = (events: readonly RecordedEvent[]): TracedRequest | null => {
  const first = events[0];
  if (first === undefined) return null;
  const { actor, route, idempotencyKey, recordedAt } = first.metadata;
  return {
    actor,
    channelId: actor.type === 'integration' ? actor.channelId : null,
    route: route ?? null,
    idempotencyKey: idempotencyKey ?? null,
    at: recordedAt,
  };
};
