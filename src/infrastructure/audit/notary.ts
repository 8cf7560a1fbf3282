import type { ClientBase } from 'pg';
import type { RecordedEvent } from '../../application/ports/eventStore';
import type { Projection } from '../../projections/projection';
import {
  createAuditTables,
  digestedIds,
  insertDigests,
  lockNotaryState,
  saveNotaryState,
  saveStreamHeads,
  streamHeadsOf,
} from './auditTables';
import { digestEvent, GENESIS, type AuditedEvent, type EventDigest } from './eventDigest';

export const NOTARY = 'audit_notary';

export const auditedOf = (event: RecordedEvent): AuditedEvent => ({
  position: event.checkpoint,
  stream: event.streamId,
  revision: event.revision,
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

/**
 * Chains a batch of the log, in commit order, onto the notary's chains: one digest per event,
 * the heads of the streams it touched, the global head. Events already digested (a replay
 * after a crash between two commits) are left as they are.
 */
const notarize = async (db: ClientBase, events: readonly RecordedEvent[]): Promise<void> => {
  const state = await lockNotaryState(db);
  const done = await digestedIds(
    db,
    events.map((e) => e.id),
  );
  const fresh = events.filter((e) => !done.has(e.id));
  if (fresh.length === 0) return;
  const heads = await streamHeadsOf(db, [...new Set(fresh.map((e) => e.streamId))]);
  const digests: EventDigest[] = [];
  const lasts = new Map<string, EventDigest>();
  let { seq, globalHead } = state;
  for (const event of fresh) {
    seq += 1n;
    const digest = digestEvent(
      auditedOf(event),
      seq,
      heads.get(event.streamId) ?? GENESIS,
      globalHead,
    );
    globalHead = digest.globalHead;
    heads.set(event.streamId, digest.streamHead);
    lasts.set(event.streamId, digest);
    digests.push(digest);
  }
  await insertDigests(db, digests);
  await saveStreamHeads(db, [...lasts.values()]);
  const last = fresh[fresh.length - 1] as RecordedEvent;
  await saveNotaryState(db, { seq, position: last.checkpoint, globalHead });
};

/**
 * The notary runs on the projection runner (checkpoint in the batch's transaction, one active
 * process, status in projection_checkpoints) but is no read model: its tables are in schema
 * `audit`, it sees every event of every type, and it is never rebuilt, since a rebuild would
 * notarise a tampered log afresh.
 */
export const notaryProjection: Projection = {
  name: NOTARY,
  version: 1,
  tables: [],
  createTables: createAuditTables,
  handlers: {},
  applyRecorded: notarize,
};
