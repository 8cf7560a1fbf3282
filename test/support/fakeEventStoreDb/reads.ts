import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { comparePositions, type FakeLog, type LogPosition, type StoredEvent } from './log';
import {
  checkpointResponse,
  confirmationResponse,
  eventResponse,
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

/** Subscriptions start after their position; filters report a checkpoint every interval. */
export const subscribe = (
  log: FakeLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
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
      ? Infinity
      : filter.getCheckpointintervalmultiplier() *
        (filter.hasMax() ? filter.getMax() : SEARCH_WINDOW);
  const at = all?.getPosition();
  let last: LogPosition | null =
    at === undefined
      ? null
      : { commit: BigInt(at.getCommitPosition()), prepare: BigInt(at.getPreparePosition()) };
  let considered = 0;
  const deliver = (event: StoredEvent): void => {
    if (last !== null && comparePositions(event.position, last) <= 0) return;
    last = event.position;
    if (matches(event)) call.write(eventResponse(event));
    if (++considered >= interval) {
      considered = 0;
      call.write(checkpointResponse(event.position));
    }
  };
  call.write(confirmationResponse());
  if (!all?.hasEnd()) for (const event of log.all) deliver(event);
  const stopListening = log.onAppended(deliver);
  call.on('cancelled', stopListening);
  call.on('close', stopListening);
};
