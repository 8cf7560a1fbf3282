import type { RecordedEvent } from '../../application/ports/eventStore';
import type { EventDigest } from './eventDigest';

/**
 * One line of an export (NDJSON): a header, every event with the notary's record of it,
 * each signed checkpoint right after the record it covers, and an end line. Enough to verify
 * the file with nothing but the public key, and to import it into another store.
 */
export type DigestJson = Readonly<{
  seq: string;
  position: string;
  stream: string;
  revision: string;
  event_id: string;
  type: string;
  data_digest: string;
  metadata_digest: string;
  leaf: string;
  stream_head: string;
  global_head: string;
}>;

export type EventJson = Readonly<{
  position: string;
  stream: string;
  revision: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  /** when the source store committed it */
  created: string;
  /** the notary's record; null while the notary has not reached the event */
  digest: DigestJson | null;
}>;

export type HeaderLine = Readonly<{
  kind: 'header';
  format: 'parley-audit-export';
  version: 1;
  exported_at: string;
  after: string | null;
  /** set when the export was filtered: such a file imports but does not verify as a whole */
  types: readonly string[] | null;
  stream_prefix: string | null;
  public_key: string;
  /** the record before the first event: where the chains of a partial export start */
  chain_start: Readonly<{ seq: string; global_head: string }>;
}>;

export type ExportLine =
  | HeaderLine
  | (EventJson & Readonly<{ kind: 'event' }>)
  | Readonly<{ kind: 'checkpoint'; seq: string; payload: string; signature: string }>
  | Readonly<{ kind: 'end'; events: number; next_cursor: string | null }>;

export const digestJson = (d: EventDigest): DigestJson => ({
  seq: d.seq.toString(),
  position: d.position,
  stream: d.stream,
  revision: d.revision.toString(),
  event_id: d.eventId,
  type: d.type,
  data_digest: d.dataDigest,
  metadata_digest: d.metadataDigest,
  leaf: d.leaf,
  stream_head: d.streamHead,
  global_head: d.globalHead,
});

export const digestOfJson = (d: DigestJson): EventDigest => ({
  seq: BigInt(d.seq),
  position: d.position,
  stream: d.stream,
  revision: BigInt(d.revision),
  eventId: d.event_id,
  type: d.type,
  dataDigest: d.data_digest,
  metadataDigest: d.metadata_digest,
  leaf: d.leaf,
  streamHead: d.stream_head,
  globalHead: d.global_head,
});

export const eventJson = (event: RecordedEvent, digest: EventDigest | null): EventJson => ({
  position: event.checkpoint,
  stream: event.streamId,
  revision: event.revision.toString(),
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  created: event.created.toISOString(),
  digest: digest === null ? null : digestJson(digest),
});
