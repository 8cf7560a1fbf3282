import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  AllStreamPosition,
  StreamIdentifier,
  UUID,
} from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { LogPosition, StoredEvent } from './log';

/** Protobuf messages of the fake server, built the way EventStoreDB fills them in. */
export const uuid = (id: string): UUID => new UUID().setString(id);

export const streamIdentifier = (streamId: string): StreamIdentifier =>
  new StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));

export const streamNameOf = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

export const allStreamPosition = (position: LogPosition): AllStreamPosition =>
  new AllStreamPosition()
    .setCommitPosition(position.commit.toString())
    .setPreparePosition(position.prepare.toString());

export const eventResponse = (event: StoredEvent): ReadResp => {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuid(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.commit.toString())
    .setPreparePosition(event.position.prepare.toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.created.toString());
  const read = new ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(event.position.commit.toString());
  return new ReadResp().setEvent(read);
};

export const checkpointResponse = (position: LogPosition): ReadResp =>
  new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString()),
  );

export const streamNotFoundResponse = (streamId: string): ReadResp =>
  new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamId)),
  );

export const confirmationResponse = (): ReadResp =>
  new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID()),
  );

export const caughtUpResponse = (): ReadResp => new ReadResp().setCaughtUp(new ReadResp.CaughtUp());

/** What a read of a hard-deleted stream fails with. */
export const streamDeletedError = (streamId: string): grpc.ServerErrorResponse => {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'stream-deleted');
  metadata.set('stream-name', streamId);
  return Object.assign(new Error(`Event stream '${streamId}' is deleted.`), {
    code: grpc.status.FAILED_PRECONDITION,
    details: `Event stream '${streamId}' is deleted.`,
    metadata,
  });
};
