import {
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamDeletedError as ClientStreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  StreamDeletedError,
  WrongExpectedVersionError,
} from '../../../application/ports/eventStore';
import { classifyFailure, isNotLeader, isStreamNotFound, toPortError } from './errorMapping';

/** A gRPC error as @grpc/grpc-js hands it over: status code, details, trailing metadata. */
const grpcError = (code: number, details: string, trailers: Record<string, string> = {}) =>
  Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: { getMap: () => trailers },
  });

const UNKNOWN = 2;
const INTERNAL = 13;
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;
const notLeader = () =>
  grpcError(NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': 'node2',
    'leader-endpoint-port': '2113',
  });

describe('EventStoreDB errors in the port words', () => {
  it('turns the client wrong-expected-version into the port one, with the actual revision', () => {
    const error = toPortError(
      new ClientWrongExpectedVersionError(undefined, {
        streamName: 'dialog-1',
        expected: 'no_stream',
        current: 4n,
      }),
      { streamId: 'dialog-1', expectedRevision: 'no_stream' },
    );
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: 'dialog-1', expected: 'no_stream', actual: 4n });
  });

  it('reports a missing stream as no_stream', () => {
    const error = toPortError(
      new ClientWrongExpectedVersionError(undefined, {
        streamName: 'dialog-2',
        expected: 0n,
        current: 'no_stream',
      }),
      { streamId: 'dialog-2', expectedRevision: 0n },
    );
    expect(error).toMatchObject({ expected: 0n, actual: 'no_stream' });
  });

  it('turns a dropped connection, raw or converted, into EventStoreUnavailableError', () => {
    for (const raw of [
      grpcError(UNAVAILABLE, 'No connection established'),
      new UnavailableError(undefined, 'server down'),
    ]) {
      const error = toPortError(raw);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as EventStoreUnavailableError).retryAfterSeconds).toBe(2);
      expect((error as Error).cause).toBeDefined();
    }
  });

  it('turns a deadline into EventStoreUnavailableError', () => {
    expect(toPortError(grpcError(DEADLINE_EXCEEDED, 'Deadline exceeded'))).toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('turns a follower refusal into a short EventStoreUnavailableError, and recognises it', () => {
    const error = toPortError(notLeader());
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as EventStoreUnavailableError).retryAfterSeconds).toBe(1);
    expect(isNotLeader(notLeader())).toBe(true);
    expect(isNotLeader(grpcError(UNAVAILABLE, 'down'))).toBe(false);
  });

  it('turns a failed cluster discovery into EventStoreUnavailableError', () => {
    expect(toPortError(new Error('Failed to discover after 10 attempts.'))).toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('recognises a missing stream, raw or converted', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'dialog-3'))).toBe(true);
    expect(
      isStreamNotFound(grpcError(NOT_FOUND, 'not found', { exception: 'stream-not-found' })),
    ).toBe(true);
    expect(isStreamNotFound(grpcError(UNAVAILABLE, 'down'))).toBe(false);
  });

  it('leaves everything else alone: a bug or a misconfiguration is not an outage', () => {
    const bug = new TypeError('boom');
    expect(toPortError(bug)).toBe(bug);
    expect(toPortError(new AccessDeniedError(undefined, 'no'))).toBeInstanceOf(AccessDeniedError);
    expect(toPortError('a string')).toBe('a string');
  });

  it.each([
    ['Server Is Not Ready', 'renew'],
    ['Server Is Busy', 'retry-later'],
    ['No leader info available in response', 'renew'],
  ])('turns a batch append refused with "%s" into EventStoreUnavailableError', (reply, failure) => {
    // what the client makes of a reply it does not recognise
    const error = new UnknownError(undefined, `Could not recognize ${reply}`);
    expect(toPortError(error)).toBeInstanceOf(EventStoreUnavailableError);
    expect(classifyFailure(error)).toBe(failure);
  });

  it('turns a read refused for want of a leader (gRPC UNKNOWN) into EventStoreUnavailableError', () => {
    const error = grpcError(UNKNOWN, 'No leader info available in response');
    expect(toPortError(error)).toBeInstanceOf(EventStoreUnavailableError);
    expect(classifyFailure(error)).toBe('renew');
  });

  it('turns a reset stream (gRPC INTERNAL) into EventStoreUnavailableError and a new client', () => {
    const error = grpcError(INTERNAL, 'Received RST_STREAM with code 2');
    expect(toPortError(error)).toBeInstanceOf(EventStoreUnavailableError);
    expect(classifyFailure(error)).toBe('renew');
  });

  it('asks for a new client after a failed discovery, and only then', () => {
    expect(classifyFailure(new Error('Failed to discover after 10 attempts.'))).toBe('renew');
    expect(classifyFailure(grpcError(UNAVAILABLE, 'down'))).toBe('retry-later');
    expect(classifyFailure(grpcError(UNKNOWN, 'an exception on the server'))).toBe('other');
    expect(classifyFailure(new TypeError('boom'))).toBe('other');
  });

  it('turns a deleted stream into the port StreamDeletedError, with its name', () => {
    const error = toPortError(ClientStreamDeletedError.fromStreamName('dialog-9'));
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(error).toMatchObject({ streamId: 'dialog-9' });
  });

  it('says which limit an append over MaxAppendSize broke', () => {
    const error = toPortError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), {
      streamId: 'dialog-8',
      expectedRevision: 'any',
    });
    expect((error as Error).message).toMatch(/dialog-8.*MaxAppendSize of 1024 bytes/);
  });
});
