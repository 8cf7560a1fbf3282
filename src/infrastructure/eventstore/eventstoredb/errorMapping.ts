import {
  convertToCommandError,
  ErrorType,
  isCommandError,
  type CommandError,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
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
 * The client's errors in the port's words: a wrong expected version (when appending), or an
 * unavailable store (the HTTP layer answers 503 with Retry-After). Anything else is returned
 * as the client's own error, converted when it came in raw.
 */
export const toPortError = (error: unknown, append?: AppendContext): unknown => {
  const command = asCommandError(error);
  if (command === null) {
    return error instanceof Error && DISCOVERY_FAILED.test(error.message)
      ? new EventStoreUnavailableError(`EventStoreDB is unreachable: ${error.message}`, 2, {
          cause: error,
        })
      : error;
  }
  if (command.type === ErrorType.WRONG_EXPECTED_VERSION && append !== undefined) {
    return new WrongExpectedVersionError(
      append.streamId,
      append.expectedRevision,
      command.actualVersion,
    );
  }
  if (UNAVAILABLE.has(command.type)) {
    // after NotLeader the client has already reconnected to the leader: retrying soon is right
    const retryAfterSeconds = command.type === ErrorType.NOT_LEADER ? 1 : 2;
    return new EventStoreUnavailableError(
      `EventStoreDB is unavailable (${command.type}): ${command.message}`,
      retryAfterSeconds,
      { cause: command },
    );
  }
  return command;
};

export const isNotLeader = (error: unknown): boolean =>
  asCommandError(error)?.type === ErrorType.NOT_LEADER;

export const isStreamNotFound = (error: unknown): boolean =>
  asCommandError(error)?.type === ErrorType.STREAM_NOT_FOUND;
