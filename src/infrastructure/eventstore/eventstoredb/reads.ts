import { EventStoreUnavailableError } from '../../../application/ports/eventStore';
import {
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type Position,
  type ReadPosition,
  START,
  type StreamingRead,
} from '@eventstore/db-client';
import { comparePositions, isSystemEvent } from './mapping';

// Reads that cannot hang and pages of $all: a deadline for calls the client sends without one,
// an idle limit on streaming reads, and paging through records the port does not return.

/**
 * The work, or EventStoreUnavailableError once `ms` have passed. The client sends some calls
 * (the server-features probe before the first append, the append stream itself) with no
 * deadline, so a server that accepts connections and never answers would hang a request.
 * The work is not cancelled: a late append may still land, which the caller's expected
 * revision makes safe to retry.
 */
export const withDeadline = <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EventStoreUnavailableError(`EventStoreDB did not answer ${what} within ${ms} ms`, 2),
        ),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
};

/**
 * Every record of a finite read. The client reads with no deadline, so a server that stops
 * answering would hang the caller: a read that receives nothing for `idleTimeoutMs` fails as
 * unavailable instead.
 */
export const collectRead = async <E>(
  read: StreamingRead<E>,
  idleTimeoutMs: number,
): Promise<E[]> => {
  const items: E[] = [];
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void read.cancel().catch(() => undefined);
      // the client ignores its own cancellation, so the read must be ended here
      read.destroy(
        new EventStoreUnavailableError(`EventStoreDB sent nothing for ${idleTimeoutMs} ms`, 2),
      );
    }, idleTimeoutMs);
  };
  arm();
  try {
    for await (const item of read) {
      items.push(item);
      arm();
    }
  } finally {
    clearTimeout(timer);
  }
  return items;
};

/** Reads up to `maxCount` records of $all forwards from a position, that position included. */
export type ReadAllBatch = (
  from: ReadPosition,
  maxCount: number,
) => Promise<readonly AllStreamResolvedEvent[]>;

export type AllPage = Readonly<{
  records: readonly AllStreamRecordedEvent[];
  /** the last record looked at, system ones included; null when there was none after `after` */
  last: Position | null;
}>;

/** The first batch of a page reads at least this many records, and each next one twice as many. */
const MIN_BATCH = 256;
const MAX_BATCH = 4096;

/**
 * A page of $all after `after` (exclusive, as the port wants, while EventStoreDB's reads are
 * inclusive), without system events or unwanted records. A page comes back short or empty only at the end of the
 * log: stretches of system events are read through, so an empty page always means caught up.
 */
export const readAllPage = async (
  read: ReadAllBatch,
  after: Position | null,
  maxCount: number,
  /** the records to return; system events never are */
  wanted: (record: AllStreamRecordedEvent) => boolean = () => true,
): Promise<AllPage> => {
  const records: AllStreamRecordedEvent[] = [];
  let cursor = after;
  let last: Position | null = null;
  // a small page must not step through a stretch of skipped records a few at a time
  let batchSize = MIN_BATCH;
  while (records.length < maxCount) {
    // one more than needed: the record at the cursor itself comes back first
    const requested = Math.max(maxCount - records.length + 1, batchSize);
    batchSize = Math.min(batchSize * 2, MAX_BATCH);
    const batch = await read(cursor ?? START, requested);
    let progressed = false;
    for (const { event } of batch) {
      if (event === undefined) continue;
      if (cursor !== null && comparePositions(event.position, cursor) <= 0) continue;
      progressed = true;
      cursor = last = event.position;
      if (isSystemEvent(event.type) || !wanted(event)) continue;
      records.push(event);
      if (records.length === maxCount) break;
    }
    if (batch.length < requested) break;
    if (!progressed)
      throw new Error('EventStoreDB returned no record after the requested position');
  }
  return { records, last };
};
