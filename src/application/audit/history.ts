import { contactDecider } from '../../domain/contact/decide';
import type { ContactEvent } from '../../domain/contact/events';
import { fold } from '../../domain/shared/decider';
import { toDomainEvent } from '../commandHandler';
import type { Actor, Checkpoint, EventStore, RecordedEvent } from '../ports/eventStore';
import { streams } from '../streams';
import { summarize } from './summary';

export type HistoryItem = Readonly<{
  position: Checkpoint;
  stream: string;
  revision: bigint;
  type: string;
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  data: unknown;
  summary: string;
}>;

/** Where each stream of a history resumes: the next revision to read. */
export type HistoryCursor = Readonly<Record<string, bigint>>;

export type HistoryPage = Readonly<{ items: readonly HistoryItem[]; next: HistoryCursor | null }>;

/** Fields that must not leave Parley through history, even hashed. */
const SECRET_FIELDS = new Set(['tokenHash']);

const withoutSecrets = (data: unknown): unknown =>
  typeof data === 'object' && data !== null && !Array.isArray(data)
    ? Object.fromEntries(Object.entries(data).filter(([key]) => !SECRET_FIELDS.has(key)))
    : data;

/** Operator names for summaries, read from the operators' own streams (never a read model). */
const operatorNames = async (
  store: EventStore,
  events: readonly RecordedEvent[],
): Promise<(operatorId: string) => string> => {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.metadata.actor.type === 'operator') ids.add(e.metadata.actor.operatorId);
    const data = e.data as Record<string, unknown>;
    for (const field of ['assigneeId', 'operatorId'])
      if (typeof data[field] === 'string') ids.add(data[field] as string);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...ids].map(async (id) => {
      const [created] = await store.readStream(streams.operator(id), { maxCount: 1 });
      const name = (created?.data as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string') names.set(id, name);
    }),
  );
  return (id) => names.get(id) ?? id;
};

/** Events as history items: secrets left out, a summary with operators named. */
export const historyItemsOf = async (
  store: EventStore,
  events: readonly RecordedEvent[],
): Promise<HistoryItem[]> => {
  const names = await operatorNames(store, events);
  return events.map((e) => ({
    position: e.checkpoint,
    stream: e.streamId,
    revision: e.revision,
    type: e.type,
    recordedAt: e.metadata.recordedAt,
    actor: e.metadata.actor,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    data: withoutSecrets(e.data),
    summary: summarize(e, e.metadata.actor, names),
  }));
};

/**
 * A page of the history of one or more streams, in log order, read from the event store so that
 * it is right however far projections lag. Each stream is read from its own cursor revision, at
 * most `limit + 1` events, so a page costs one short read per stream whatever the history's length.
 */
export const readHistory = async (
  store: EventStore,
  streamIds: readonly string[],
  cursor: HistoryCursor,
  limit: number,
): Promise<HistoryPage> => {
  const read = await Promise.all(
    streamIds.map((streamId) =>
      store.readStream(streamId, { fromRevision: cursor[streamId] ?? 0n, maxCount: limit + 1 }),
    ),
  );
  const merged = read.flat().sort((a, b) => store.compareCheckpoints(a.checkpoint, b.checkpoint));
  const page = merged.slice(0, limit);
  const next: Record<string, bigint> = {};
  for (const streamId of streamIds)
    if (cursor[streamId] !== undefined) next[streamId] = cursor[streamId];
  for (const e of page) next[e.streamId] = e.revision + 1n;
  return {
    items: await historyItemsOf(store, page),
    next: merged.length > limit ? next : null,
  };
};

/**
 * The streams of a contact and of every contact merged into it, directly or through a chain
 * (A into B, then B into C), each once.
 */
export const contactStreamsWithMerged = async (
  store: EventStore,
  contactId: string,
): Promise<string[]> => {
  const seen = new Set<string>();
  const visit = async (id: string): Promise<void> => {
    if (seen.has(id)) return;
    seen.add(id);
    const events = await store.readStream(streams.contact(id));
    const state = fold(
      contactDecider,
      events.map((e) => toDomainEvent<ContactEvent>(e)),
    );
    if (state.status !== 'absent') for (const merged of state.absorbed) await visit(merged);
  };
  await visit(contactId);
  return [...seen].map(streams.contact);
};
