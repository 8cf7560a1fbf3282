import * as crypto from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/** An event as the audit sees it: what the log holds, whichever store it came from. */
export type AuditedEvent = Readonly<{
  /** the store's checkpoint string of the event */
  position: string;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}>;

/** What the notary recorded for one event, the n-th of the log in commit order. */
export type EventDigest = Readonly<{
  /** 1-based count of the event in the notarised log */
  seq: bigint;
  position: string;
  stream: string;
  revision: bigint;
  eventId: string;
  type: string;
  dataDigest: string;
  metadataDigest: string;
  /** sha256 over the canonical leaf (position, stream, revision, id, type and the two digests) */
  leaf: string;
  /** sha256(previous head of the stream + leaf): the stream's chain */
  streamHead: string;
  /** sha256(previous global head + leaf): the chain of the whole log in commit order */
  globalHead: string;
}>;

/** The head before the first link of any chain. */
export const GENESIS = '0'.repeat(64);

// crypto.hash (Node 20.12 and later) hashes without a Hash object: half the cost of a short input
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (
  crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }
).hash;

export const sha256 = (text: string): string =>
  oneShot === undefined
    ? crypto.createHash('sha256').update(text, 'utf8').digest('hex')
    : oneShot('sha256', text, 'hex');

export const digestOfJson = (value: unknown): string => sha256(canonicalJson(value));

/** The next head of a chain: both are lower-case hex, concatenated as text. */
export const chained = (previous: string, leaf: string): string => sha256(previous + leaf);

export type LeafFields = Readonly<{
  position: string;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  dataDigest: string;
  metadataDigest: string;
}>;

/**
 * sha256 over the canonical JSON of the leaf's fields: written out in their sorted order rather
 * than through canonicalJson, the same bytes (a test holds them equal) without sorting keys.
 */
export const leafOf = (fields: LeafFields): string =>
  sha256(
    `{"data_digest":${JSON.stringify(fields.dataDigest)},"id":${JSON.stringify(fields.id)}` +
      `,"metadata_digest":${JSON.stringify(fields.metadataDigest)}` +
      `,"position":${JSON.stringify(fields.position)}` +
      `,"revision":"${fields.revision.toString()}","stream":${JSON.stringify(fields.stream)}` +
      `,"type":${JSON.stringify(fields.type)}}`,
  );

/** The leaf fields of an event as it is in the log now. */
export const leafFieldsOf = (event: AuditedEvent): LeafFields => ({
  position: event.position,
  stream: event.stream,
  revision: event.revision,
  id: event.id,
  type: event.type,
  dataDigest: digestOfJson(event.data),
  metadataDigest: digestOfJson(event.metadata),
});

/** The notary's record of `event`, given the heads of its stream and of the log before it. */
export const digestEvent = (
  event: AuditedEvent,
  seq: bigint,
  previousStreamHead: string,
  previousGlobalHead: string,
): EventDigest => {
  const fields = leafFieldsOf(event);
  const leaf = leafOf(fields);
  const { id, ...rest } = fields;
  return {
    ...rest,
    seq,
    eventId: id,
    leaf,
    streamHead: chained(previousStreamHead, leaf),
    globalHead: chained(previousGlobalHead, leaf),
  };
};
