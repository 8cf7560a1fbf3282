import type { Pool } from 'pg';
import type { EventStore } from '../../application/ports/eventStore';
import type { Config } from '../config';
import { PostgresEventStore } from './postgres/postgresEventStore';

/** PostgreSQL by default; EventStoreDB when EVENTSTORE_URL is set. */
export const createEventStore = async (
  config: Config,
  pool: Pool,
  /** the log's reads, on connections of their own (PostgresEventStoreOptions.readPool) */
  readPool?: Pool,
): Promise<EventStore> => {
  if (config.eventStoreUrl === null)
    return new PostgresEventStore(pool, readPool === undefined ? {} : { readPool });
  // loaded only when configured: the gRPC client is heavy and the embedded default never needs it
  const { EventStoreDbEventStore } = await import('./eventstoredb/eventStoreDbEventStore');
  return EventStoreDbEventStore.connect(config.eventStoreUrl);
};
