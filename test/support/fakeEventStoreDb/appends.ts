import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  MaximumAppendSizeExceeded,
  StreamDeleted,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { Expected, FakeLog } from './log';
import { allStreamPosition, streamIdentifier, streamNameOf, uuid } from './messages';

/** How a node that cannot take a write answers one batch (EventStoreDB's NotHandled reasons). */
export type AppendRefusal = 'not-ready' | 'busy' | 'no-leader';

/** The server's messages for them, word for word: the client recognises none of them. */
const REFUSALS: Record<AppendRefusal, string> = {
  'not-ready': 'Server Is Not Ready',
  busy: 'Server Is Busy',
  'no-leader': 'No leader info available in response',
};

const packed = (message: { serializeBinary(): Uint8Array }, typeName: string): Any => {
  const details = new Any();
  details.pack(message.serializeBinary(), typeName);
  return details;
};

/** EventStoreDB's size of an event on disk: what MaxAppendSize limits. */
const sizeOnDisk = (m: BatchAppendReq.ProposedMessage): number =>
  m.getData_asU8().length +
  m.getCustomMetadata_asU8().length +
  Buffer.byteLength(m.getMetadataMap().get('type') ?? '');

/** One BatchAppend request, all its chunks gathered: appended, or refused the way the server does. */
export const appendBatch = (
  log: FakeLog,
  correlationId: string,
  options: BatchAppendReq.Options,
  messages: readonly BatchAppendReq.ProposedMessage[],
  limits: Readonly<{ maxAppendSize: number; refusal: AppendRefusal | null }>,
): BatchAppendResp => {
  const streamId = streamNameOf(options.getStreamIdentifier());
  const response = new BatchAppendResp()
    .setCorrelationId(uuid(correlationId))
    .setStreamIdentifier(streamIdentifier(streamId));
  if (limits.refusal !== null) {
    return response.setError(
      new Status()
        .setMessage(REFUSALS[limits.refusal])
        .setDetails(packed(new Empty(), 'google.protobuf.Empty')),
    );
  }
  if (messages.reduce((size, m) => size + sizeOnDisk(m), 0) > limits.maxAppendSize) {
    return response.setError(
      new Status()
        .setCode(Code.INVALID_ARGUMENT)
        .setMessage(`Maximum Append Size of ${limits.maxAppendSize} Exceeded.`)
        .setDetails(
          packed(
            new MaximumAppendSizeExceeded().setMaxappendsize(limits.maxAppendSize),
            'event_store.client.MaximumAppendSizeExceeded',
          ),
        ),
    );
  }
  const expected: Expected = options.hasNoStream()
    ? 'no_stream'
    : options.hasStreamExists()
      ? 'stream_exists'
      : options.hasStreamPosition()
        ? BigInt(options.getStreamPosition())
        : 'any';
  const outcome = log.append(
    streamId,
    expected,
    messages.map((m) => ({
      id: m.getId()?.getString() ?? '',
      type: m.getMetadataMap().get('type') ?? '',
      contentType: m.getMetadataMap().get('content-type') ?? 'application/octet-stream',
      data: m.getData_asU8(),
      metadata: m.getCustomMetadata_asU8(),
    })),
  );
  if (outcome.ok) {
    return response.setSuccess(
      new BatchAppendResp.Success()
        .setCurrentRevision(outcome.revision.toString())
        .setPosition(allStreamPosition(outcome.position)),
    );
  }
  if ('deleted' in outcome) {
    return response.setError(
      new Status()
        .setCode(Code.FAILED_PRECONDITION)
        .setMessage(`Event stream '${streamId}' is deleted.`)
        .setDetails(
          packed(
            new StreamDeleted().setStreamIdentifier(streamIdentifier(streamId)),
            'event_store.client.StreamDeleted',
          ),
        ),
    );
  }
  const wrong = new WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentStreamRevision(outcome.current.toString());
  if (expected === 'any') wrong.setExpectedAny(new Empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedStreamPosition(expected.toString());
  return response.setError(
    new Status()
      .setCode(Code.FAILED_PRECONDITION)
      .setMessage('WrongExpectedVersion')
      .setDetails(packed(wrong, 'event_store.client.WrongExpectedVersion')),
  );
};
