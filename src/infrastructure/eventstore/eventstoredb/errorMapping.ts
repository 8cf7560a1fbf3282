import {
  convertToCommandError,
  ErrorType,
  isCommandError,
  type CommandError,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  StreamDeletedError,
  WrongExpectedVersionError,
  type ExpectedRevision,
} from '../../../application/ports/eventStore';

export type AppendContext = Readonly<{ streamId: string; expectedRevision: ExpectedRevision }>;

/** Raw gRPC errors (a failed append stream hands them over unconverted) become the client's classes. */
const asCommandError = (error: unknown): CommandError | null => {
  if (!(error instanceof Error)) return null;
  const converted = convertToCommandError(error);
  return isCommandError(converted) ? converted : null;
};

/** Worth a retry later: the server is down, slow, not the leader, or dropped the call. */
const UNAVAILABLE: ReadonlySet<ErrorType> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/** The client throws a plain Error when no cluster node answers gossip. */
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts/;

/**
 * A node that cannot take a request now, in the server's words. A batch append gets them in its
 * reply, which the client does not recognise ("Could not recognize …", an UnknownError); a read
 * gets "No leader info" as gRPC UNKNOWN. Busy passes; the others last until an election ends.
 */
const NOT_READY = /Server Is Not Ready|No leader info available in response/;
const BUSY = /Server Is (Too )?Busy/;

/** gRPC's INTERNAL status: what a reset HTTP/2 stream arrives as (@grpc/grpc-js is not ours to import). */
const GRPC_INTERNAL = 13;

/**
 * How the client failed, in the adapter's terms:
 * - `renew`: the client will not recover by itself (a failed discovery, whose failure it keeps
 *   for every later append; a reset stream, gRPC INTERNAL, which it does not reconnect on; a
 *   node without a leader it stays connected to): a new client is needed;
 * - `retry-later`: the store is unavailable for now;
 * - `other`: not a matter of availability.
 */
export type Failure = 'renew' | 'retry-later' | 'other';

export const classifyFailure = (error: unknown): Failure => {
  if (error instanceof EventStoreUnavailableError) return 'retry-later';
  const command = asCommandError(error);
  if (command === null) {
    return error instanceof Error && DISCOVERY_FAILED.test(error.message) ? 'renew' : 'other';
  }
  if (UNAVAILABLE.has(command.type)) return 'retry-later';
  if (command.type !== ErrorType.UNKNOWN) return 'other';
  if (NOT_READY.test(command.message)) return 'renew';
  if (BUSY.test(command.message)) return 'retry-later';
  // a transport failure: a reset stream or a connection that broke mid-call
  return command.code === GRPC_INTERNAL ? 'renew' : 'other';
};

/**
 * The client's errors in the port's words: a wrong expected version (when appending), a
 * deleted stream, or an unavailable store (the HTTP layer answers 503 with Retry-After).
 * Anything else is returned as the client's own error, converted when it came in raw.
 */
export const toPortError = (error: unknown, append?: AppendContext): unknown => {
  if (error instanceof EventStoreUnavailableError) return error;
  const command = asCommandError(error);
  if (classifyFailure(error) !== 'other') {
    // after NotLeader the client has already reconnected to the leader: retrying soon is right
    const retryAfterSeconds = command?.type === ErrorType.NOT_LEADER ? 1 : 2;
    const reason = command === null ? '' : ` (${command.type})`;
    return new EventStoreUnavailableError(
      `EventStoreDB is unavailable${reason}: ${(error as Error).message}`,
      retryAfterSeconds,
      { cause: error },
    );
  }
  if (command === null) return error;
  if (command.type === ErrorType.WRONG_EXPECTED_VERSION && append !== undefined) {
    return new WrongExpectedVersionError(
      append.streamId,
      append.expectedRevision,
      command.actualVersion,
    );
  }
  if (command.type === ErrorType.STREAM_DELETED) {
    return new StreamDeletedError(command.streamName || (append?.streamId ?? ''), {
      cause: command,
    });
  }
  if (command.type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
    return new Error(
      `EventStoreDB refused the append to ${append?.streamId ?? 'a stream'}: larger than its ` +
        `MaxAppendSize of ${command.maxAppendSize} bytes (EVENTSTORE_MAX_APPEND_SIZE, docs/operations.md)`,
      { cause: command },
    );
  }
  return command;
};

export const isNotLeader = (error: unknown): boolean =>
  asCommandError(error)?.type === ErrorType.NOT_LEADER;

export const isStreamNotFound = (error: unknown): boolean =>
  asCommandError(error)?.type === ErrorType.STREAM_NOT_FOUND;
