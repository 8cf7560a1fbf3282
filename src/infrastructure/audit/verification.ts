import type { KeyObject } from 'node:crypto';
import {
  chained,
  GENESIS,
  leafFieldsOf,
  leafOf,
  type AuditedEvent,
  type EventDigest,
} from './eventDigest';
import { openCheckpoint, type CheckpointPayload, type SignedCheckpoint } from './signedCheckpoint';

export type FindingKind =
  /** an event's type, data, metadata (or position, stream, revision, id) is not what was notarised */
  | 'changed'
  /** a notarised event is gone from a stream that still has events */
  | 'deleted'
  /** every event of a notarised stream is gone */
  | 'stream_deleted'
  /** an event sits among notarised ones but was never notarised */
  | 'inserted'
  /** two notarised events exchanged places */
  | 'swapped'
  /** the notary's own records do not chain: its tables were edited */
  | 'digest_altered'
  /** a signed checkpoint disagrees with the records, or its signature is not the key's */
  | 'checkpoint_mismatch'
  /** a re-anchoring (protect-existing, docs/privacy.md) is not signed or not the notary's chain */
  | 'reanchoring_mismatch';

export type Place = Readonly<{
  stream: string | null;
  revision: string | null;
  position: string | null;
}>;

export type Finding = Place &
  Readonly<{
    kind: FindingKind;
    /** for `changed`: which parts differ */
    fields?: readonly string[];
    /** for `swapped`: the other event */
    with?: Place;
    /** for `deleted`: inside the stream or at its end */
    where?: 'middle' | 'end';
    detail: string;
  }>;

export type VerifyItem =
  | Readonly<{ kind: 'event'; event: AuditedEvent | null; digest: EventDigest | null }>
  | Readonly<{ kind: 'checkpoint'; checkpoint: SignedCheckpoint }>;

export type Verification = Readonly<{
  ok: boolean;
  events_checked: number;
  events_notarized: number;
  /** events after the notary's last record: not notarised yet */
  events_pending: number;
  checkpoints_checked: number;
  last_checkpoint: Readonly<{ seq: string; position: string; signed_at: string }> | null;
  /** notarised events after the last signed checkpoint: what a signature does not cover yet */
  events_unsigned: number;
  findings: readonly Finding[];
  findings_truncated: boolean;
}>;

/** Where a partial export's chains start: the record before its first event. */
export type ChainStart = Readonly<{ seq: bigint; globalHead: string }>;

const MAX_FINDINGS = 1_000;

const placeOf = (d: Readonly<{ stream: string; revision: bigint; position: string }>): Place => ({
  stream: d.stream,
  revision: d.revision.toString(),
  position: d.position,
});

/**
 * Checks a log against the notary's records and signed checkpoints, in one pass in commit
 * order. Every check is local (one record against the one before it, one record against its
 * event, one checkpoint against the records before it), so one tampered event is one finding,
 * not a cascade.
 */
export class Verifier {
  private readonly findings: Finding[] = [];
  private truncated = false;
  private events = 0;
  private notarized = 0;
  private checkpoints = 0;
  private lastSeq: bigint;
  private globalHead: string;
  private lastCheckpoint: CheckpointPayload | null = null;
  /** the heads of the notary's records, per stream */
  private readonly streams = new Map<string, { revision: bigint; head: string }>();
  /** the highest revision of each stream in the log as it is now */
  private readonly live = new Map<string, bigint>();
  private unmatched: AuditedEvent[] = [];
  private readonly gone: EventDigest[] = [];
  private readonly misplaced: { event: AuditedEvent; digest: EventDigest }[] = [];
  private readonly deletedStreams = new Set<string>();

  constructor(
    private readonly key: KeyObject,
    private readonly start: ChainStart = { seq: 0n, globalHead: GENESIS },
  ) {
    this.lastSeq = start.seq;
    this.globalHead = start.globalHead;
  }

  push(item: VerifyItem): void {
    if (item.kind === 'checkpoint') return this.checkpoint(item.checkpoint);
    const { event, digest } = item;
    if (event !== null) {
      this.events++;
      const top = this.live.get(event.stream);
      if (top === undefined || event.revision > top) this.live.set(event.stream, event.revision);
    }
    if (digest === null) {
      if (event !== null) this.unmatched.push(event);
      return;
    }
    // events before this record that it does not account for were slipped in
    for (const inserted of this.unmatched)
      this.report({
        kind: 'inserted',
        ...placeOf(inserted),
        detail: `event ${inserted.id} (${inserted.type}) was never notarised, yet notarised events follow it`,
      });
    this.unmatched = [];
    this.record(digest);
    if (event === null) this.gone.push(digest);
    else this.compare(event, digest);
  }

  finish(): Verification {
    this.classifyGone();
    this.pairMisplaced();
    const last = this.lastCheckpoint;
    return {
      ok: this.findings.length === 0,
      events_checked: this.events,
      events_notarized: this.notarized,
      events_pending: this.unmatched.length,
      checkpoints_checked: this.checkpoints,
      last_checkpoint:
        last === null
          ? null
          : { seq: last.seq, position: last.position, signed_at: last.signed_at },
      events_unsigned: Number(this.lastSeq - BigInt(last?.seq ?? this.start.seq)),
      findings: this.findings,
      findings_truncated: this.truncated,
    };
  }

  private report(finding: Finding): void {
    if (this.findings.length < MAX_FINDINGS) this.findings.push(finding);
    else this.truncated = true;
  }

  /** The record against the one before it: seq, leaf, both chains. */
  private record(digest: EventDigest): void {
    this.notarized++;
    const altered = (detail: string) =>
      this.report({
        kind: 'digest_altered',
        ...placeOf(digest),
        detail: `record ${digest.seq}: ${detail}`,
      });
    // records missing before this one: events removed together with their records (from an
    // export, or from the log and the notary's table); the streams are named below or by the
    // next checkpoint
    const gap = digest.seq > this.lastSeq + 1n;
    if (gap)
      this.report({
        kind: 'deleted',
        stream: null,
        revision: null,
        position: digest.position,
        detail: `records ${this.lastSeq + 1n} to ${digest.seq - 1n} are gone, with their events, before this position`,
      });
    else if (digest.seq <= this.lastSeq) altered(`follows record ${this.lastSeq}: out of order`);
    if (leafOf({ ...digest, id: digest.eventId }) !== digest.leaf)
      altered('its leaf is not the digest of its fields');
    else if (!gap && chained(this.globalHead, digest.leaf) !== digest.globalHead)
      altered('does not chain onto the previous record');
    const stream = this.streams.get(digest.stream);
    // a partial export starts inside streams: their first record there is taken as it is
    const partialStart = stream === undefined && this.start.seq > 0n && digest.revision > 0n;
    const expected = stream === undefined ? 0n : stream.revision + 1n;
    if (!partialStart && digest.revision > expected)
      this.report({
        kind: 'deleted',
        stream: digest.stream,
        revision: expected.toString(),
        position: null,
        where: 'middle',
        detail: `revisions ${expected} to ${digest.revision - 1n} of ${digest.stream} are gone with their records`,
      });
    else if (!partialStart && digest.revision < expected)
      altered(`revision ${digest.revision} of ${digest.stream} follows revision ${expected - 1n}`);
    else if (!partialStart && chained(stream?.head ?? GENESIS, digest.leaf) !== digest.streamHead)
      altered(`does not chain onto revision ${expected - 1n} of ${digest.stream}`);
    this.streams.set(digest.stream, { revision: digest.revision, head: digest.streamHead });
    this.lastSeq = digest.seq;
    this.globalHead = digest.globalHead;
  }

  /** The event as the log holds it now against what the notary recorded at its position. */
  private compare(event: AuditedEvent, digest: EventDigest): void {
    const now = leafFieldsOf(event);
    if (
      now.id !== digest.eventId ||
      now.stream !== digest.stream ||
      now.revision !== digest.revision
    ) {
      this.misplaced.push({ event, digest });
      return;
    }
    const fields = [
      now.type !== digest.type ? 'type' : null,
      now.dataDigest !== digest.dataDigest ? 'data' : null,
      now.metadataDigest !== digest.metadataDigest ? 'metadata' : null,
      now.position !== digest.position ? 'position' : null,
    ].filter((f): f is string => f !== null);
    if (fields.length > 0)
      this.report({
        kind: 'changed',
        ...placeOf(digest),
        fields,
        detail: `event ${digest.eventId}: ${fields.join(', ')} changed since it was notarised`,
      });
  }

  /** A signed checkpoint against the records up to its seq. */
  private checkpoint(checkpoint: SignedCheckpoint): void {
    this.checkpoints++;
    const payload = openCheckpoint(checkpoint, this.key);
    const mismatch = (detail: string, place?: Partial<Place>) =>
      this.report({
        kind: 'checkpoint_mismatch',
        stream: null,
        revision: null,
        position: null,
        ...place,
        detail,
      });
    if (payload === null) return mismatch('a checkpoint whose signature is not the audit key’s');
    const seq = BigInt(payload.seq);
    const previous = this.lastCheckpoint;
    if (previous !== null && seq <= BigInt(previous.seq))
      return mismatch(`checkpoint ${seq} follows checkpoint ${previous.seq}`);
    // which streams a checkpoint lists depends on the one before it: a partial export's
    // first checkpoint is compared on its head only
    const comparable = previous !== null || this.start.seq === 0n;
    this.lastCheckpoint = payload;
    if (this.lastSeq < seq)
      // the last records it covers are gone with their events: the streams are named below
      this.report({
        kind: 'deleted',
        stream: null,
        revision: null,
        position: payload.position,
        detail: `records ${this.lastSeq + 1n} to ${seq} are gone, with their events, though checkpoint ${seq} signed them`,
      });
    else if (this.lastSeq !== seq || this.globalHead !== payload.global_head)
      mismatch(
        `checkpoint ${seq} signed head ${payload.global_head.slice(0, 12)}… at position ${payload.position}; the records give ${this.globalHead.slice(0, 12)}… at record ${this.lastSeq}`,
        { position: payload.position },
      );
    if (!comparable) return;
    for (const signed of payload.streams) {
      const revision = BigInt(signed.revision);
      const stream = this.streams.get(signed.stream);
      const at = { stream: signed.stream, revision: signed.revision, position: null };
      if (stream === undefined && !this.deletedStreams.has(signed.stream)) {
        this.deletedStreams.add(signed.stream);
        this.report({
          kind: 'stream_deleted',
          ...at,
          detail: `checkpoint ${seq} signed ${signed.stream} at revision ${revision}; neither its events nor their records remain`,
        });
      } else if (stream === undefined) continue;
      else if (stream.revision < revision)
        this.report({
          kind: 'deleted',
          ...at,
          revision: (stream.revision + 1n).toString(),
          where: 'end',
          detail: `checkpoint ${seq} signed ${signed.stream} at revision ${revision}; events and records stop at ${stream.revision}`,
        });
      else if (stream.revision !== revision || stream.head !== signed.head)
        mismatch(
          `checkpoint ${seq} signed another history of ${signed.stream} up to revision ${revision}`,
          at,
        );
    }
  }

  /** Records whose events are gone: a whole stream, its end, or its middle. */
  private classifyGone(): void {
    const whole = new Map<string, EventDigest[]>();
    for (const digest of this.gone) {
      const top = this.live.get(digest.stream);
      if (top === undefined) {
        whole.set(digest.stream, [...(whole.get(digest.stream) ?? []), digest]);
        continue;
      }
      const where = digest.revision > top ? 'end' : 'middle';
      this.report({
        kind: 'deleted',
        ...placeOf(digest),
        where,
        detail: `event ${digest.eventId} (${digest.type}) was deleted from the ${where} of ${digest.stream}`,
      });
    }
    for (const [stream, digests] of whole) {
      const first = digests[0] as EventDigest;
      this.report({
        kind: 'stream_deleted',
        ...placeOf(first),
        detail: `${stream} is gone: ${digests.length} notarised event(s), revisions ${first.revision} to ${(digests[digests.length - 1] as EventDigest).revision}`,
      });
    }
  }

  /** Events found where another notarised event was: two that traded places are one swap. */
  private pairMisplaced(): void {
    const paired = new Set<number>();
    this.misplaced.forEach((a, i) => {
      if (paired.has(i)) return;
      const j = this.misplaced.findIndex(
        (b, k) =>
          k !== i &&
          !paired.has(k) &&
          b.event.id === a.digest.eventId &&
          a.event.id === b.digest.eventId,
      );
      if (j >= 0) {
        const b = this.misplaced[j] as (typeof this.misplaced)[number];
        paired.add(i).add(j);
        this.report({
          kind: 'swapped',
          ...placeOf(a.digest),
          with: placeOf(b.digest),
          detail: `events ${a.digest.eventId} and ${b.digest.eventId} traded places`,
        });
        return;
      }
      const now = a.event;
      const fields = [
        now.id !== a.digest.eventId ? 'id' : null,
        now.stream !== a.digest.stream ? 'stream' : null,
        now.revision !== a.digest.revision ? 'revision' : null,
      ].filter((f): f is string => f !== null);
      this.report({
        kind: 'changed',
        ...placeOf(a.digest),
        fields,
        detail: `the event at this position is ${now.stream}@${now.revision} (${now.id}), not the notarised ${a.digest.eventId}`,
      });
    });
  }
}

/** Runs a Verifier over items already in commit order. */
export const verifyItems = async (
  items: AsyncIterable<VerifyItem>,
  key: KeyObject,
  start?: ChainStart,
): Promise<Verification> => {
  const verifier = new Verifier(key, start);
  for await (const item of items) verifier.push(item);
  return verifier.finish();
};
