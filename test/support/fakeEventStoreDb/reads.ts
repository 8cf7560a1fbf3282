import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { comparePositions, type FakeLog, type LogPosition, type StoredEvent } from './log';
import {
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  eventResponse,
  streamDeletedError,
  streamNameOf,
  streamNotFoundResponse,
} from './messages';

/** EventStoreDB's filters look at records in windows of 32; checkpoints come every multiplier × 32. */
const SEARCH_WINDOW = 32;

export const readStream = (
  log: FakeLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
  const stream = options.getStream();
  const streamId = streamNameOf(stream?.getStreamIdentifier());
  if (log.tombstoned.has(streamId)) return void call.emit('error', streamDeletedError(streamId));
  const events = log.streams.get(streamId);
  if (events === undefined) {
    call.write(streamNotFoundResponse(streamId));
    return void call.end();
  }
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const count = Number(options.getCount());
  const from = stream?.hasRevision()
    ? BigInt(stream.getRevision())
    : stream?.hasEnd()
      ? BigInt(events.length - 1)
      : 0n;
  const selected = backwards
    ? events.filter((e) => e.revision <= from).reverse()
    : events.filter((e) => e.revision >= from);
  for (const event of selected.slice(0, count)) call.write(eventResponse(event));
  call.end();
};

/** $all reads include the record at their start position, as EventStoreDB's do. */
export const readAll = (
  log: FakeLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
  const all = options.getAll();
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const count = Number(options.getCount());
  const at = all?.getPosition();
  const from: LogPosition | null =
    at === undefined
      ? null
      : { commit: BigInt(at.getCommitPosition()), prepare: BigInt(at.getPreparePosition()) };
  let selected: StoredEvent[];
  if (backwards) {
    selected = (
      from === null ? log.all : log.all.filter((e) => comparePositions(e.position, from) <= 0)
    )
      .slice()
      .reverse();
  } else {
    selected =
      from === null ? log.all : log.all.filter((e) => comparePositions(e.position, from) >= 0);
    if (all?.hasEnd()) selected = [];
  }
  for (const event of selected.slice(0, count)) call.write(eventResponse(event));
  call.end();
};

export type SubscriptionCall = Readonly<{
  /** the call stops sending, as over a connection to a hung node; the client is not told */
  stall(): void;
}>;

/**
 * Subscriptions start after their position. Catching up, a filtered subscription reads the log
 * in pages of multiplier × 32 records and reports a checkpoint at each page's start (the
 * page's first commit position, prepare position 0, as EventStoreDB does), then one at the
 * end of the catch-up, then `caught up`; live, it reports one every multiplier × 32 records
 * considered.
 */
export const subscribe = (
  log: FakeLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): SubscriptionCall => {
  const all = options.getAll();
  const filter = options.hasFilter() ? options.getFilter() : undefined;
  const expression = filter?.hasEventType() ? filter.getEventType() : filter?.getStreamIdentifier();
  const onType = filter?.hasEventType() ?? false;
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : null;
  const prefixes = expression?.getPrefixList() ?? [];
  const matches = (event: StoredEvent): boolean => {
    if (filter === undefined) return true;
    const subject = onType ? event.type : event.streamId;
    return regex !== null ? regex.test(subject) : prefixes.some((p) => subject.startsWith(p));
  };
  const interval =
    filter === undefined
      ? SEARCH_WINDOW
      : filter.getCheckpointintervalmultiplier() *
        (filter.hasMax() ? filter.getMax() : SEARCH_WINDOW);
  const at = all?.getPosition();
  const from: LogPosition | null =
    at === undefined
      ? null
      : { commit: BigInt(at.getCommitPosition()), prepare: BigInt(at.getPreparePosition()) };
  let stalled = false;
  const write = (response: ReadResp): void => {
    if (!stalled) call.write(response);
  };

  write(confirmationResponse());
  const history = all?.hasEnd()
    ? []
    : log.all.filter((e) => from === null || comparePositions(e.position, from) > 0);
  for (let page = 0; page < history.length; page += interval) {
    const first = history[page] as StoredEvent;
    if (filter !== undefined)
      write(checkpointResponse({ commit: first.position.commit, prepare: 0n }));
    for (const event of history.slice(page, page + interval)) {
      if (matches(event)) write(eventResponse(event));
    }
  }
  const head = log.all[log.all.length - 1];
  if (filter !== undefined && head !== undefined) write(checkpointResponse(head.position));
  write(caughtUpResponse());

  let considered = 0;
  const stopListening = log.onAppended((event) => {
    if (matches(event)) write(eventResponse(event));
    if (filter !== undefined && ++considered >= interval) {
      considered = 0;
      write(checkpointResponse(event.position));
    }
  });
  call.on('cancelled', stopListening);
  call.on('close', stopListening);
  return { stall: () => void (stalled = true) };
};
