import type { ClientBase } from 'pg';
import type { RecordedEvent } from '../../application/ports/eventStore';
import type { StatementBatch } from '../../projections/statementBatch';
import { leafFieldsOf, leafOf, type AuditedEvent, type LeafFields } from './eventDigest';

export const auditedOf = (event: RecordedEvent): AuditedEvent => ({
  position: event.checkpoint,
  stream: event.streamId,
  revision: event.revision,
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

type Leaf = Readonly<{ fields: LeafFields; leaf: string }>;

/** leaves computed ahead (prepareLeaves), by the event object they were computed from */
const prepared = new WeakMap<RecordedEvent, Leaf>();

const leafOfEvent = (event: RecordedEvent): Leaf => {
  const known = prepared.get(event);
  if (known !== undefined) return known;
  const fields = leafFieldsOf(auditedOf(event));
  const leaf = { fields, leaf: leafOf(fields) };
  prepared.set(event, leaf);
  return leaf;
};

/**
 * An event's leaf depends on the event alone: the runner has a batch's computed while the one
 * before commits (Projection.prepare), a third of the notary's time a batch, which otherwise
 * waited for PostgreSQL and PostgreSQL for it (docs/performance.md).
 */
export const prepareLeaves = (events: readonly RecordedEvent[]): void => {
  for (const event of events) leafOfEvent(event);
};

/** audit.notarize_batch (notarySchema.ts): the function that extends the chains. */
const NOTARIZE_BATCH = `SELECT audit.notarize_batch($1::text[], $2::text[], $3::bigint[],
  $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::boolean[])`;

/**
 * The batch's parameters: what each event's leaf is (computed here: it depends on the event
 * alone) and where its stream's previous link is, in the batch or, when it is the stream's
 * first there, in the stream's latest digest. The last parameter, which said where a head was
 * to be stored, is not read since migration 182 (notarySchema.ts) and goes as NULL.
 */
const parametersOf = (events: readonly RecordedEvent[]): unknown[] => {
  const leaves = events.map(leafOfEvent);
  const fields = leaves.map((l) => l.fields);
  const lastIndex = new Map<string, number>();
  const previous = events.map((e, i) => {
    const before = lastIndex.get(e.streamId) ?? 0;
    lastIndex.set(e.streamId, i + 1);
    return before;
  });
  return [
    fields.map((f) => f.position),
    fields.map((f) => f.stream),
    fields.map((f) => f.revision.toString()),
    fields.map((f) => f.id),
    fields.map((f) => f.type),
    fields.map((f) => f.dataDigest),
    fields.map((f) => f.metadataDigest),
    leaves.map((l) => l.leaf),
    previous,
    null,
  ];
};

/**
 * Chains a batch of the log, in commit order, onto the notary's chains, in one statement: the
 * heads it starts from are read, the digests and state written, where they are. Queued
 * in the runner's batch, the whole transaction is one message; events already chained (a
 * replay) are left as they are.
 */
export const notarizeBatch = async (
  db: ClientBase,
  events: readonly RecordedEvent[],
  batch?: StatementBatch,
): Promise<void> => {
  if (events.length === 0) return;
  const parameters = parametersOf(events);
  if (batch === undefined) await db.query(NOTARIZE_BATCH, parameters);
  else await batch.queue(NOTARIZE_BATCH, parameters);
};
