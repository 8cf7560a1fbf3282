import type { Pool } from 'pg';
import type { Checkpoint, EventStore, RecordedEvent } from '../../application/ports/eventStore';
import { checkpointsAfter, digestsAfter, type StoredCheckpoint } from './auditTables';
import type { AuditedEvent, EventDigest } from './eventDigest';
import { auditedOf } from './notaryBatch';
import type { VerifyItem } from './verification';

/** The log after `after`, page by page in commit order (gap-safe: readAll), until its end. */
export async function* logPages(
  store: EventStore,
  after: Checkpoint | null = null,
  options: Readonly<{ pageSize?: number; eventTypes?: readonly string[] }> = {},
): AsyncGenerator<readonly RecordedEvent[]> {
  let from = after;
  for (;;) {
    const page = await store.readAll({
      from,
      maxCount: options.pageSize ?? 500,
      ...(options.eventTypes === undefined ? {} : { eventTypes: options.eventTypes }),
    });
    if (page.events.length > 0) yield page.events;
    if (page.checkpoint === null || page.checkpoint === from) return;
    from = page.checkpoint;
  }
}

/** The whole log after `after`, every type, in commit order. */
export async function* logEvents(
  store: EventStore,
  after: Checkpoint | null = null,
): AsyncGenerator<RecordedEvent> {
  for await (const page of logPages(store, after)) yield* page;
}

type Compare = (a: string, b: string) => -1 | 0 | 1;

/**
 * The log's events beside the notary's records, joined on position (both in commit order):
 * an event without a record, or a record without an event, comes alone.
 */
export async function* pairByPosition(
  events: AsyncIterable<AuditedEvent>,
  digests: AsyncIterable<EventDigest>,
  compare: Compare,
): AsyncGenerator<Readonly<{ event: AuditedEvent | null; digest: EventDigest | null }>> {
  const e = events[Symbol.asyncIterator]();
  const d = digests[Symbol.asyncIterator]();
  let event = await e.next();
  let digest = await d.next();
  while (!event.done || !digest.done) {
    const order = event.done
      ? 1
      : digest.done
        ? -1
        : compare(event.value.position, digest.value.position);
    if (order === 0) {
      yield { event: event.value as AuditedEvent, digest: digest.value as EventDigest };
      [event, digest] = await Promise.all([e.next(), d.next()]);
    } else if (order < 0) {
      yield { event: event.value as AuditedEvent, digest: null };
      event = await e.next();
    } else {
      yield { event: null, digest: digest.value as EventDigest };
      digest = await d.next();
    }
  }
}

/** Puts each signed checkpoint right after the record it covers (the order Verifier wants). */
export async function* withCheckpoints<T extends Readonly<{ digest: EventDigest | null }>>(
  items: AsyncIterable<T>,
  checkpoints: AsyncIterable<StoredCheckpoint>,
): AsyncGenerator<
  (T & { kind: 'event' }) | Readonly<{ kind: 'checkpoint'; checkpoint: StoredCheckpoint }>
> {
  const c = checkpoints[Symbol.asyncIterator]();
  let next = await c.next();
  for await (const item of items) {
    const seq = item.digest?.seq;
    while (seq !== undefined && !next.done && next.value.seq < seq) {
      yield { kind: 'checkpoint', checkpoint: next.value };
      next = await c.next();
    }
    yield { ...item, kind: 'event' };
    while (seq !== undefined && !next.done && next.value.seq === seq) {
      yield { kind: 'checkpoint', checkpoint: next.value };
      next = await c.next();
    }
  }
  while (!next.done) {
    yield { kind: 'checkpoint', checkpoint: next.value };
    next = await c.next();
  }
}

/**
 * The live log, the notary's records and its checkpoints as one sequence to verify, the
 * records and checkpoints as far as the notary had come when it began (`upTo`): events
 * appended meanwhile are pending, not records without events.
 */
export const liveItems = (
  pool: Pool,
  store: EventStore,
  upTo: bigint,
): AsyncIterable<VerifyItem> => {
  async function* audited(): AsyncGenerator<AuditedEvent> {
    for await (const event of logEvents(store)) yield auditedOf(event);
  }
  const compare: Compare = (a, b) => store.compareCheckpoints(a as Checkpoint, b as Checkpoint);
  return withCheckpoints(
    pairByPosition(audited(), digestsAfter(pool, 0n, upTo), compare),
    checkpointsAfter(pool, 0n, upTo),
  );
};
