import * as grpc from '@grpc/grpc-js';
import type { Empty } from 'google-protobuf/google/protobuf/empty_pb';
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
import { appendBatch } from './appends';
import { FakeLog } from './log';
import { readAll, readStream, subscribe } from './reads';

/**
 * A stand-in for EventStoreDB at the gRPC protocol level, for what Parley's adapter calls:
 * Streams.Read (stream reads, $all reads, filtered $all subscriptions), Streams.BatchAppend
 * and the server-features probe. The real @eventstore/db-client talks to it. It follows
 * EventStoreDB's documented behaviour as we understand it (reads of $all include their start
 * position, subscriptions start after it, filters report checkpoints every multiplier × 32
 * records considered); it proves the adapter drives the client correctly, and nothing about
 * EventStoreDB itself.
 */
export type FakeEventStoreDb = Readonly<{
  url: string;
  log: FakeLog;
  /** the next calls of this kind fail the way a follower refuses a leader-only request */
  refuseAsFollower(calls: 'read' | 'append', times?: number): void;
  /** the next calls of this kind fail as a dropped connection does */
  dropNext(calls: 'read' | 'append', times?: number): void;
  stop(): Promise<void>;
}>;

type Injected = { kind: 'not-leader' | 'unavailable'; remaining: number };

export const startFakeEventStoreDb = async (): Promise<FakeEventStoreDb> => {
  const log = new FakeLog();
  const server = new grpc.Server();
  const injected: Record<'read' | 'append', Injected | null> = { read: null, append: null };
  let port = 0;

  /** a failure to inject into this call, if one is due */
  const failure = (calls: 'read' | 'append'): grpc.ServerErrorResponse | null => {
    const due = injected[calls];
    if (due === null || due.remaining === 0) return null;
    due.remaining--;
    const metadata = new grpc.Metadata();
    if (due.kind === 'unavailable') {
      return Object.assign(new Error('connection dropped'), {
        code: grpc.status.UNAVAILABLE,
        details: 'connection dropped',
        metadata,
      });
    }
    metadata.set('exception', 'not-leader');
    metadata.set('leader-endpoint-host', '127.0.0.1');
    metadata.set('leader-endpoint-port', String(port));
    return Object.assign(new Error('Leader info available'), {
      code: grpc.status.NOT_FOUND,
      details: 'Leader info available',
      metadata,
    });
  };

  server.addService(ServerFeaturesService, {
    getSupportedMethods: (
      _call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
      callback: grpc.sendUnaryData<SupportedMethods>,
    ) => {
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
      const injectedFailure = failure('read');
      if (injectedFailure !== null) return void call.emit('error', injectedFailure);
      const options = call.request.getOptions();
      if (options === undefined) return void call.end();
      if (options.hasStream()) return readStream(log, call, options);
      if (options.hasSubscription()) return subscribe(log, call, options);
      return readAll(log, call, options);
    },
    append: (
      call: grpc.ServerReadableStream<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => callback({ code: grpc.status.UNIMPLEMENTED, details: 'the fake speaks BatchAppend only' }),
    batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
      const injectedFailure = failure('append');
      if (injectedFailure !== null) return void call.emit('error', injectedFailure);
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
        call.write(appendBatch(log, correlationId, entry.options, entry.messages));
      });
      call.on('end', () => call.end());
    },
    delete: unimplemented,
    tombstone: unimplemented,
  });

  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );

  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    log,
    refuseAsFollower: (calls, times = 1) => {
      injected[calls] = { kind: 'not-leader', remaining: times };
    },
    dropNext: (calls, times = 1) => {
      injected[calls] = { kind: 'unavailable', remaining: times };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1_000).unref();
      }),
  };
};

const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>): void =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake' });
