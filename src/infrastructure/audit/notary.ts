import type { ClientBase } from 'pg';
import type { Checkpoint, EventStore, RecordedEvent } from '../../application/ports/eventStore';
import type { Projection } from '../../projections/projection';
import { createAuditTables } from './auditTables';
import { digestEvent, GENESIS, type AuditedEvent, type EventDigest } from './eventDigest';
import { lockStateAndHeads, saveBatch } from './notaryBatch';

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

type Order = EventStore['compareCheckpoints'];

/**
 * Chains a batch of the log, in commit order, onto the notary's chains: one digest per event,
 * the heads of the streams it touched, the global head. Events at or before the notary's
 * position (a replay: a first build in bulk that was cut short) are left as they are. Two
 * statements per batch, whatever its size: the lock with the heads, and the records.
 */
const notarize = async (
  db: ClientBase,
  events: readonly RecordedEvent[],
  order: Order,
): Promise<void> => {
  const { state, heads } = await lockStateAndHeads(db, [...new Set(events.map((e) => e.streamId))]);
  const at = state.position as Checkpoint | null;
  // in log order: when the first event is past the notary's position, so is every other
  const [first] = events;
  const fresh =
    first !== undefined && order(first.checkpoint, at) > 0
      ? events
      : events.filter((e) => order(e.checkpoint, at) > 0);
  if (fresh.length === 0) return;
  const digests: EventDigest[] = [];
  const lasts = new Map<string, EventDigest>();
  let { seq, globalHead } = state;
  for (const event of fresh) {
    seq += 1n;
    const previous = heads.get(event.streamId) ?? GENESIS;
    const digest = digestEvent(auditedOf(event), seq, previous, globalHead);
    globalHead = digest.globalHead;
    heads.set(event.streamId, digest.streamHead);
    lasts.set(event.streamId, digest);
    digests.push(digest);
  }
  const last = fresh[fresh.length - 1] as RecordedEvent;
  await saveBatch(db, digests, [...lasts.values()], { seq, position: last.checkpoint, globalHead });
};

export const NOTARY_VERSION = 1;

/**
 * The notary runs on the projection runner (checkpoint in the batch's transaction, one active
 * process, status in projection_checkpoints) but is no read model: its tables are in schema
 * `audit`, it sees every event of every type, and it is never rebuilt, since a rebuild would
 * notarise a tampered log afresh. It orders positions as the store does.
 */
export const notaryProjection = (store: Pick<EventStore, 'compareCheckpoints'>): Projection => ({
  name: NOTARY,
  version: NOTARY_VERSION,
  tables: [],
  createTables: createAuditTables,
  handlers: {},
  applyRecorded: (db, events) => notarize(db, events, (a, b) => store.compareCheckpoints(a, b)),
  // its chains are the log's alone: a batch lost to a server crash is chained again, the same
  derivedOnly: true,
});
