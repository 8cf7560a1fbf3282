import { channelDecider } from '../../domain/channel/decide';
import type { ChannelEvent } from '../../domain/channel/events';
import type { Channel } from '../../domain/channel/state';
import { contactDecider } from '../../domain/contact/decide';
import type { ContactEvent } from '../../domain/contact/events';
import type { Contact } from '../../domain/contact/state';
import { operatorDecider } from '../../domain/operator/decide';
import type { OperatorEvent } from '../../domain/operator/events';
import type { Event } from '../../domain/shared/decider';
import { toDomainEvent } from '../commandHandler';
import type { Checkpoint, EventStore, RecordedEvent } from '../ports/eventStore';
import { streams } from '../streams';

/** A moment in the log: an instant (events recorded at or before it) or a position (inclusive). */
export type Cut =
  Readonly<{ kind: 'time'; at: Date }> | Readonly<{ kind: 'position'; at: Checkpoint }>;

const within = (store: EventStore, cut: Cut, event: RecordedEvent): boolean =>
  cut.kind === 'time'
    ? Date.parse(event.metadata.recordedAt) <= cut.at.getTime()
    : store.compareCheckpoints(event.checkpoint, cut.at) <= 0;

/**
 * A stream as it was at the cut: the longest prefix of its events inside it, so the state folded
 * from it is one the stream really went through (recording clocks of two processes may disagree).
 */
export const readStreamAsOf = async (
  store: EventStore,
  streamId: string,
  cut: Cut,
): Promise<readonly RecordedEvent[]> => {
  const events = await store.readStream(streamId);
  const outside = events.findIndex((e) => !within(store, cut, e));
  return outside === -1 ? events : events.slice(0, outside);
};

export const domainEvents = <E extends Event>(recorded: readonly RecordedEvent[]): E[] =>
  recorded.map((r) => toDomainEvent<E>(r));

/** A contact as it was at the cut, folded by the domain's own evolve. */
export const contactAsOfCut = async (
  store: EventStore,
  contactId: string,
  cut: Cut,
): Promise<Readonly<{ state: Contact; events: readonly RecordedEvent[] }>> => {
  const events = await readStreamAsOf(store, streams.contact(contactId), cut);
  return {
    state: domainEvents<ContactEvent>(events).reduce(
      contactDecider.evolve,
      contactDecider.initialState(),
    ),
    events,
  };
};

/** The contact an id stood for at the cut: merged contacts resolve to their survivor, chains too. */
export const survivorAsOf = async (
  store: EventStore,
  contactId: string,
  cut: Cut,
): Promise<string> => {
  const seen = new Set<string>();
  let id = contactId;
  for (;;) {
    seen.add(id);
    const { state } = await contactAsOfCut(store, id, cut);
    const next = state.status === 'merged' ? state.survivorId : null;
    // a cycle would be a write-side bug; never loop on it (the projection does the same)
    if (next === null || seen.has(next)) return id;
    id = next;
  }
};

/** A channel as it was at the cut, folded by the domain's own evolve. */
export const channelAsOf = async (
  store: EventStore,
  channelId: string,
  cut: Cut,
): Promise<Channel> =>
  domainEvents<ChannelEvent>(await readStreamAsOf(store, streams.channel(channelId), cut)).reduce(
    channelDecider.evolve,
    channelDecider.initialState(),
  );

/** A name as it stood at the cut: of a channel, a contact or an operator; null before it existed. */
export const nameAsOf = async (
  store: EventStore,
  of: Readonly<{ channelId: string } | { contactId: string } | { operatorId: string }>,
  cut: Cut,
): Promise<string | null> => {
  if ('channelId' in of) {
    const channel = await channelAsOf(store, of.channelId, cut);
    return channel.status === 'absent' ? null : channel.name;
  }
  if ('contactId' in of) {
    const { state } = await contactAsOfCut(store, of.contactId, cut);
    return state.status === 'absent' ? null : state.name;
  }
  const operator = domainEvents<OperatorEvent>(
    await readStreamAsOf(store, streams.operator(of.operatorId), cut),
  ).reduce(operatorDecider.evolve, operatorDecider.initialState());
  return operator.status === 'absent' ? null : operator.name;
};
