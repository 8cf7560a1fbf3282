import * as grpc from '@grpc/grpc-js';
import type { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import type { ClusterInfo } from '@eventstore/db-client/generated/gossip_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  BatchAppendReq,
  type BatchAppendResp,
  type ReadReq,
  type ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { appendBatch, type AppendRefusal } from './appends';
import { faultError, Faults, notLeaderError, type CallKind, type Fault } from './faults';
import { clusterInfo } from './gossip';
import { FakeLog } from './log';
import { readAll, readStream, subscribe, type SubscriptionCall } from './reads';

/**
 * A stand-in for an EventStoreDB cluster at the gRPC protocol level, for what Parley's adapter
 * calls: Streams.Read (stream reads, $all reads, filtered $all subscriptions), Streams.BatchAppend,
 * the server-features probe and gossip. The real @eventstore/db-client talks to it. Its nodes
 * share one log; one is the leader, the others refuse leader-only calls and name it. It answers
 * the way EventStoreDB's sources do where the adapter's correctness depends on it: reads of $all
 * include their start position and subscriptions start after it; catch-up checkpoints; per-event
 * positions; idempotent appends by event id; MaxAppendSize; the replies of a node that is not
 * ready, busy or without a leader; resets; elections and outages. It proves the adapter drives
 * the client correctly, and nothing about EventStoreDB itself.
 */
export type FakeEventStoreDb = Readonly<{
  /** node 0 alone, no discovery */
  url: string;
  /** every node as a gossip seed: the client discovers the leader */
  clusterUrl: string;
  log: FakeLog;
  /** calls received, by kind (subscriptions count as reads) */
  calls: Record<CallKind | 'subscribe', number>;
  /** the next calls of this kind fail with this fault */
  inject(calls: CallKind, fault: Fault, times?: number): void;
  /** the next calls of this kind fail the way a follower refuses a leader-only request */
  refuseAsFollower(calls: 'read' | 'append', times?: number): void;
  /** the next calls of this kind fail as a dropped connection does */
  dropNext(calls: 'read' | 'append', times?: number): void;
  /** gossip answers nothing while on: discovery fails */
  refuseGossip(on: boolean): void;
  /** no leader: every node answers not ready, gossip shows none to connect to */
  startElection(): void;
  /** the election ends with this node as the leader */
  electLeader(node: number): void;
  /** while on, every node is unreachable: calls fail as unavailable, gossip too */
  setOutage(on: boolean): void;
  /** every open call (subscriptions, append streams) fails with this fault now */
  resetOpenCalls(fault?: Fault): void;
  /** open subscriptions stop sending without telling the client, as a hung node's do */
  stallSubscriptions(): void;
  stop(): Promise<void>;
}>;

export type FakeOptions = Readonly<{ nodes?: number; maxAppendSize?: number }>;

type OpenCall = Readonly<{ fail(error: grpc.ServerErrorResponse): void }>;

export const startFakeEventStoreDb = async ({
  nodes = 2,
  maxAppendSize = 1024 * 1024,
}: FakeOptions = {}): Promise<FakeEventStoreDb> => {
  const log = new FakeLog();
  const faults = new Faults();
  const calls: Record<CallKind | 'subscribe', number> = {
    read: 0,
    subscribe: 0,
    append: 0,
    features: 0,
    gossip: 0,
  };
  const ports: number[] = [];
  const servers: grpc.Server[] = [];
  const open = new Set<OpenCall>();
  const subscriptions = new Set<SubscriptionCall>();
  let leader: number | null = 0;
  let outage = false;
  let gossipRefused = false;

  const leaderPort = (): number => ports[leader ?? 0] as number;
  const unavailable = (): grpc.ServerErrorResponse => faultError('unavailable', 0);

  /** why this node cannot serve this call now, if it cannot */
  const refusal = (
    node: number,
    kind: CallKind,
    metadata: grpc.Metadata,
  ): grpc.ServerErrorResponse | null => {
    if (outage) return unavailable();
    const fault = faults.take(kind);
    if (fault !== null) return faultError(fault, leaderPort());
    if (kind === 'features' || kind === 'gossip') return null;
    if (leader === null) return faultError('not-ready', 0);
    const requiresLeader = metadata.get('requires-leader')[0] === 'true';
    return requiresLeader && node !== leader ? notLeaderError(leaderPort()) : null;
  };

  const track = (call: OpenCall): (() => void) => {
    open.add(call);
    return () => open.delete(call);
  };

  const node = (index: number): grpc.Server => {
    const server = new grpc.Server();
    server.addService(GossipService, {
      read: (
        _call: grpc.ServerUnaryCall<Empty, ClusterInfo>,
        callback: grpc.sendUnaryData<ClusterInfo>,
      ) => {
        calls.gossip++;
        if (outage || gossipRefused) return callback(unavailable());
        const fault = faults.take('gossip');
        if (fault !== null) return callback(faultError(fault, leaderPort()));
        callback(null, clusterInfo(ports, leader));
      },
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (
        call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
        callback: grpc.sendUnaryData<SupportedMethods>,
      ) => {
        calls.features++;
        const refused = refusal(index, 'features', call.metadata);
        if (refused !== null) return callback(refused);
        const methods = ['read', 'batchappend'].map((name) =>
          new SupportedMethod()
            .setServiceName('event_store.client.streams.streams')
            .setMethodName(name),
        );
        callback(
          null,
          new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('24.10.0'),
        );
      },
    });
    server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
        const options = call.request.getOptions();
        const subscribing = options?.hasSubscription() ?? false;
        calls[subscribing ? 'subscribe' : 'read']++;
        const refused = refusal(index, 'read', call.metadata);
        if (refused !== null) return void call.emit('error', refused);
        if (options === undefined) return void call.end();
        if (options.hasStream()) return readStream(log, call, options);
        if (!subscribing) return readAll(log, call, options);
        const subscription = subscribe(log, call, options);
        subscriptions.add(subscription);
        const untrack = track({ fail: (error) => call.emit('error', error) });
        call.on('cancelled', untrack);
        call.on('close', untrack);
      },
      append: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'the fake speaks BatchAppend only' }),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
        calls.append++;
        // a node answers each batch on its own; only an unreachable one fails the whole call
        if (outage) return void call.emit('error', unavailable());
        const untrack = track({ fail: (error) => call.emit('error', error) });
        const pending = new Map<
          string,
          { options: BatchAppendReq.Options; messages: BatchAppendReq.ProposedMessage[] }
        >();
        call.on('data', (request: BatchAppendReq) => {
          const correlationId = request.getCorrelationId()?.getString() ?? '';
          const entry = pending.get(correlationId) ?? {
            options: request.getOptions() ?? new BatchAppendReq.Options(),
            messages: [],
          };
          entry.messages.push(...request.getProposedMessagesList());
          pending.set(correlationId, entry);
          if (!request.getIsFinal()) return;
          pending.delete(correlationId);
          if (outage) return void call.emit('error', unavailable());
          // the server throws a leader's address out of the whole call, as here
          if (leader !== null && leader !== index && call.metadata.get('requires-leader')[0])
            return void call.emit('error', notLeaderError(leaderPort()));
          const fault = leader === null ? 'not-ready' : faults.take('append');
          if (fault !== null && !isRefusal(fault))
            return void call.emit('error', faultError(fault, leaderPort()));
          call.write(
            appendBatch(log, correlationId, entry.options, entry.messages, {
              maxAppendSize,
              refusal: fault,
            }),
          );
        });
        call.on('end', () => {
          untrack();
          call.end();
        });
        call.on('cancelled', untrack);
      },
      delete: unimplemented,
      tombstone: unimplemented,
    });
    return server;
  };

  for (let i = 0; i < nodes; i++) {
    const server = node(i);
    servers.push(server);
    ports.push(
      await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
          error === null ? resolve(bound) : reject(error),
        ),
      ),
    );
  }

  const seeds = ports.map((port) => `127.0.0.1:${port}`).join(',');
  return {
    url: `esdb://127.0.0.1:${ports[0]}?tls=false`,
    clusterUrl: `esdb://${seeds}?tls=false&nodePreference=leader&maxDiscoverAttempts=3&discoveryInterval=100&gossipTimeout=1`,
    log,
    calls,
    inject: (kind, fault, times = 1) => faults.inject(kind, fault, times),
    refuseAsFollower: (kind, times = 1) => faults.inject(kind, 'not-leader', times),
    dropNext: (kind, times = 1) => faults.inject(kind, 'unavailable', times),
    refuseGossip: (on) => void (gossipRefused = on),
    startElection: () => void (leader = null),
    electLeader: (index) => void (leader = index),
    setOutage: (on) => {
      outage = on;
      if (on) for (const call of [...open]) call.fail(unavailable());
    },
    resetOpenCalls: (fault = 'reset') => {
      for (const call of [...open]) call.fail(faultError(fault, leaderPort()));
    },
    stallSubscriptions: () => {
      for (const subscription of subscriptions) subscription.stall();
      subscriptions.clear();
    },
    stop: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.tryShutdown(() => resolve());
              setTimeout(() => server.forceShutdown(), 1_000).unref();
            }),
        ),
      ).then(() => undefined),
  };
};

const isRefusal = (fault: Fault): fault is AppendRefusal =>
  fault === 'not-ready' || fault === 'busy' || fault === 'no-leader';

const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>): void =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake' });
