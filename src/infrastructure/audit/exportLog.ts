import type { Pool } from 'pg';
import type { Clock } from '../../application/ports/clock';
import type { Checkpoint, EventStore, RecordedEvent } from '../../application/ports/eventStore';
import { checkpointsAfter, digestBefore, digestsAt, notaryHead } from './auditTables';
import { logPages, withCheckpoints } from './auditLog';
import { GENESIS, type EventDigest } from './eventDigest';
import { eventJson, type EventJson, type ExportLine } from './exportFormat';

export type ExportOptions = Readonly<{
  after: Checkpoint | null;
  types?: readonly string[];
  streamPrefix?: string;
}>;

export type ExportDeps = Readonly<{
  pool: Pool;
  store: EventStore;
  clock: Clock;
  publicKey: string;
}>;

export type AuditedPage = Readonly<{
  events: readonly (EventJson & { digestRecord: EventDigest | null })[];
  /** where the page's read ended, whether or not the stream prefix kept its last event */
  next: Checkpoint;
}>;

/** Pages of the log with the notary's record of each event, filtered by stream prefix. */
export async function* auditedPages(
  deps: Pick<ExportDeps, 'pool' | 'store'>,
  options: ExportOptions & Readonly<{ pageSize?: number }>,
): AsyncGenerator<AuditedPage> {
  const pages = logPages(deps.store, options.after, {
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.types === undefined ? {} : { eventTypes: options.types }),
  });
  for await (const page of pages) {
    const events = page.filter(
      (e) => options.streamPrefix === undefined || e.streamId.startsWith(options.streamPrefix),
    );
    const digests = await digestsAt(
      deps.pool,
      events.map((e) => e.id),
    );
    yield {
      events: events.map((e) => {
        const digest = digests.get(e.id) ?? null;
        return { ...eventJson(e, digest), digestRecord: digest };
      }),
      next: (page[page.length - 1] as RecordedEvent).checkpoint,
    };
  }
}

/**
 * The export as NDJSON lines, produced page by page (never the whole log in memory): the
 * header, the events after `after` with their records, the signed checkpoints among them
 * (as far as the notary had signed when the export began), the end line.
 */
export async function* exportLines(
  deps: ExportDeps,
  options: ExportOptions,
): AsyncGenerator<string> {
  const filtered = options.types !== undefined || options.streamPrefix !== undefined;
  const signedUpTo = (await notaryHead(deps.pool)).seq;
  const pages = auditedPages(deps, options);
  const first = await pages.next();
  const firstSeq = first.done
    ? null
    : (first.value.events.find((e) => e.digestRecord !== null)?.digestRecord?.seq ?? null);
  const before = firstSeq === null ? null : await digestBefore(deps.pool, firstSeq);
  const start = { seq: before?.seq ?? 0n, globalHead: before?.globalHead ?? GENESIS };
  const line = (value: ExportLine): string => `${JSON.stringify(value)}\n`;
  yield line({
    kind: 'header',
    format: 'parley-audit-export',
    version: 1,
    exported_at: deps.clock.now().toISOString(),
    after: options.after,
    types: options.types ?? null,
    stream_prefix: options.streamPrefix ?? null,
    public_key: deps.publicKey,
    chain_start: { seq: start.seq.toString(), global_head: start.globalHead },
  });
  let count = 0;
  let last: string | null = options.after;
  async function* events() {
    if (first.done) return;
    for (const event of first.value.events) yield { event, digest: event.digestRecord };
    for await (const page of pages)
      for (const event of page.events) yield { event, digest: event.digestRecord };
  }
  // a filtered export has no whole chain to check against: it carries no checkpoints
  const checkpoints = filtered
    ? (async function* () {})()
    : checkpointsAfter(deps.pool, start.seq, signedUpTo);
  for await (const item of withCheckpoints(events(), checkpoints)) {
    if (item.kind === 'checkpoint') {
      const { seq, payload, signature } = item.checkpoint;
      yield line({ kind: 'checkpoint', seq: seq.toString(), payload, signature });
    } else {
      const { digestRecord: _record, ...event } = item.event;
      count++;
      last = event.position;
      yield line({ kind: 'event', ...event });
    }
  }
  yield line({ kind: 'end', events: count, next_cursor: last });
}
