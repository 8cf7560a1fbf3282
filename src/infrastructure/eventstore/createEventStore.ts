import type { Pool } from 'pg';
import type { EventStore } from '../../application/ports/eventStore';
import type { Config } from '../config';
import { PostgresEventStore } from './postgres/postgresEventStore';

/** PostgreSQL by default; EventStoreDB when EVENTSTORE_URL is set. */
export const createEventStore = async (config: Config, pool: Pool): Promise<EventStore> => {
  if (config.eventStoreUrl === null) return new PostgresEventStore(pool);
  // loaded only when configured: the gRPC client is heavy and the embedded default never needs it
  const { EventStoreDbEventStore } = await import('./eventstoredb/eventStoreDbEventStore');
  return EventStoreDbEventStore.connect(config.eventStoreUrl);
};
