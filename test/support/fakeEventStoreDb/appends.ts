import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { Expected, FakeLog } from './log';
import { allStreamPosition, streamIdentifier, streamNameOf, uuid } from './messages';

/** One BatchAppend request, all its chunks gathered: appended, or refused with the versions. */
export const appendBatch = (
  log: FakeLog,
  correlationId: string,
  options: BatchAppendReq.Options,
  messages: readonly BatchAppendReq.ProposedMessage[],
): BatchAppendResp => {
  const streamId = streamNameOf(options.getStreamIdentifier());
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
  const response = new BatchAppendResp()
    .setCorrelationId(uuid(correlationId))
    .setStreamIdentifier(streamIdentifier(streamId));
  if (outcome.ok) {
    return response.setSuccess(
      new BatchAppendResp.Success()
        .setCurrentRevision(outcome.revision.toString())
        .setPosition(allStreamPosition(outcome.position)),
    );
  }
  const wrong = new WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentStreamRevision(outcome.current.toString());
  if (expected === 'any') wrong.setExpectedAny(new Empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedStreamPosition(expected.toString());
  const details = new Any();
  details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return response.setError(
    new Status()
      .setCode(Code.FAILED_PRECONDITION)
      .setMessage('WrongExpectedVersion')
      .setDetails(details),
  );
};
