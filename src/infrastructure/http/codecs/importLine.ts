import * as t from 'io-ts';
import type { HistoryMessage } from '../../../application/inbound/importHistory';
import { requestHash } from '../../../application/inbound/idempotency';
import type { Limits } from '../../config';
import { decodeOrThrow } from './decode';
import { decodeInboundMessage, inboundMessageCodec } from './inboundMessage';
import { epochMillis, nonEmptyString } from './primitives';

/**
 * One NDJSON line of a history import: the inbound body's fields, plus the message's external
 * id, its direction and its original time (required).
 */
export const importLineCodec = (limits: Limits) =>
  t.intersection([
    inboundMessageCodec(limits),
    t.type({
      external_id: nonEmptyString(255),
      direction: t.keyof({ incoming: null, outgoing: null }),
      timestamp: epochMillis,
    }),
  ]);

/** one codec per configuration: an import decodes thousands of lines with it */
const codecs = new WeakMap<Limits, ReturnType<typeof importLineCodec>>();

/** Decodes a parsed line (400 E_VALIDATION with JSON paths) into the use case's message. */
export const decodeImportLine = (limits: Limits, line: unknown): HistoryMessage => {
  let codec = codecs.get(limits);
  if (codec === undefined) codecs.set(limits, (codec = importLineCodec(limits)));
  const b = decodeOrThrow(codec, line, 'import line');
  const request = decodeInboundMessage(limits, line);
  return {
    externalId: b.external_id,
    direction: b.direction,
    request: { ...request, timestamp: Math.floor(b.timestamp) },
    requestHash: requestHash(line),
  };
};
