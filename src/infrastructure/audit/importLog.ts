import type {
  Checkpoint,
  EventStore,
  EventMetadata,
  EventToAppend,
} from '../../application/ports/eventStore';
import type { ExportLine } from './exportFormat';
import { ExportFormatError, exportLinesOf } from './verifyLog';

export class StoreNotEmptyError extends Error {
  override readonly name = 'StoreNotEmptyError';
}

type Pending = { stream: string; first: bigint; events: EventToAppend[] };

/** Consecutive events of one stream go in one append, up to this many. */
const MAX_APPEND = 100;

/**
 * Loads a whole export into an empty store, in the export's commit order, each stream's
 * events at their revisions with their ids and metadata: projections rebuilt on the new store
 * then build what they built on the old one. A non-empty store is refused before anything is
 * written; a partial or filtered export too (its streams would not start at revision 0).
 */
export const importLog = async (
  store: EventStore,
  lines: AsyncIterable<string>,
  onProgress: (events: number) => void = () => undefined,
): Promise<
  Readonly<{
    events: number;
    streams: number;
    checkpoint: Checkpoint | null;
    /** the subjects every ContactErased of the export names: their keys must go in the target too */
    erasedContactIds: readonly string[];
  }>
> => {
  const parsed = exportLinesOf(lines);
  const header = (await parsed.next()).value as Extract<ExportLine, { kind: 'header' }>;
  if (header.after !== null || header.types !== null || header.stream_prefix !== null)
    throw new ExportFormatError(
      'only a whole export imports: this one was taken --after a cursor or filtered',
    );
  if ((await store.readAll({ maxCount: 1 })).events.length > 0)
    throw new StoreNotEmptyError(
      'the target event store is not empty: import loads an empty store only',
    );
  const streams = new Set<string>();
  const erased = new Set<string>();
  let events = 0;
  let pending: Pending | null = null;
  let checkpoint: Checkpoint | null = null;
  const flush = async (): Promise<void> => {
    if (pending === null) return;
    const { stream, first } = pending;
    ({ checkpoint } = await store.appendToStream(stream, pending.events, {
      expectedRevision: first === 0n ? 'no_stream' : first - 1n,
    }));
    events += pending.events.length;
    onProgress(events);
    pending = null;
  };
  for await (const line of parsed) {
    if (line.kind !== 'event') continue;
    if (line.type === 'ContactErased')
      for (const id of (line.data as { erasedContactIds: readonly string[] }).erasedContactIds)
        erased.add(id);
    const revision = BigInt(line.revision);
    const event: EventToAppend = {
      id: line.id,
      type: line.type,
      data: line.data,
      metadata: line.metadata as EventMetadata,
    };
    const current = pending as Pending | null;
    if (
      current !== null &&
      current.stream === line.stream &&
      current.first + BigInt(current.events.length) === revision &&
      current.events.length < MAX_APPEND
    ) {
      current.events.push(event);
      continue;
    }
    await flush();
    pending = { stream: line.stream, first: revision, events: [event] };
    streams.add(line.stream);
  }
  await flush();
  return { events, streams: streams.size, checkpoint, erasedContactIds: [...erased] };
};
