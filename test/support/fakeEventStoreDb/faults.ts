import * as grpc from '@grpc/grpc-js';
import type { AppendRefusal } from './appends';

/**
 * What can go wrong with one call, as the client sees it from a real cluster:
 * - `not-leader`: a follower refuses a leader-only call and names the leader;
 * - `unavailable`: the connection is gone (a node restarted, a network cut);
 * - `reset`: the HTTP/2 stream was reset (a proxy, a node killed mid-call): gRPC INTERNAL;
 * - `cancelled`: the server cancelled the call (a leader resigning cancels its long calls);
 * - `not-ready` / `busy` / `no-leader`: the node cannot take the request now. An append gets
 *   them in its reply (the client does not recognise them); a read, as a gRPC status.
 */
export type Fault = 'not-leader' | 'unavailable' | 'reset' | 'cancelled' | AppendRefusal;

export type CallKind = 'read' | 'append' | 'features' | 'gossip';

const statusError = (
  code: grpc.status,
  details: string,
  metadata = new grpc.Metadata(),
): grpc.ServerErrorResponse => Object.assign(new Error(details), { code, details, metadata });

export const notLeaderError = (leaderPort: number): grpc.ServerErrorResponse => {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', '127.0.0.1');
  metadata.set('leader-endpoint-port', String(leaderPort));
  return statusError(grpc.status.NOT_FOUND, 'Leader info available', metadata);
};

/** The gRPC status a call fails with; `leaderPort` for a not-leader refusal. */
export const faultError = (fault: Fault, leaderPort: number): grpc.ServerErrorResponse => {
  switch (fault) {
    case 'not-leader':
      return notLeaderError(leaderPort);
    case 'unavailable':
      return statusError(grpc.status.UNAVAILABLE, 'connection dropped');
    case 'reset':
      return statusError(
        grpc.status.INTERNAL,
        'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2',
      );
    case 'cancelled':
      return statusError(grpc.status.CANCELLED, 'Call cancelled');
    case 'not-ready':
      return statusError(grpc.status.UNAVAILABLE, 'Server Is Not Ready');
    case 'busy':
      return statusError(grpc.status.UNAVAILABLE, 'Server Is Too Busy');
    case 'no-leader':
      return statusError(grpc.status.UNKNOWN, 'No leader info available in response');
  }
};

/** Faults queued for the next calls of each kind. */
export class Faults {
  private readonly queued = new Map<CallKind, { fault: Fault; remaining: number }>();

  inject(kind: CallKind, fault: Fault, times: number): void {
    this.queued.set(kind, { fault, remaining: times });
  }

  /** The fault due for this call, if any; counts it down. */
  take(kind: CallKind): Fault | null {
    const due = this.queued.get(kind);
    if (due === undefined || due.remaining === 0) return null;
    due.remaining--;
    return due.fault;
  }
}
