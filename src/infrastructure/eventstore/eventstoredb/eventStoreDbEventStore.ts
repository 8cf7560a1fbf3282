import type { EventStore } from '../../../application/ports/eventStore';

/**
 * EventStoreDB adapter: being built (issue "EventStoreDB: the production event store").
 * Until it lands, EVENTSTORE_URL is refused at start with this message.
 */
export const EventStoreDbEventStore = {
  connect: async (_url: string): Promise<EventStore> => {
    throw new Error('EVENTSTORE_URL is set, but this build has no EventStoreDB adapter yet');
  },
};
