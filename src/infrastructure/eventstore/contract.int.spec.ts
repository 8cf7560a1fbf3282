import { ALLOWED_SKIPS, describeWhen } from '../../../test/support/skips';
import type { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/database';
import { describeEventStoreContract } from './contract.suite';
import { eventStoreDbContractSubject } from './eventstoredb/contractSubject';
import { MemoryEventStore } from './memory/memoryEventStore';
import { PostgresEventStore } from './postgres/postgresEventStore';
import { slowCommittingPool } from '../../../test/support/slowCommittingPool';

describeEventStoreContract('in-memory', async () => {
  const store = new MemoryEventStore();
  return { store, teardown: () => store.close() };
});

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase({ poolSize: 30 });
  const store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
  const slowStore = new PostgresEventStore(
    slowCommittingPool(db.pool as Pool, { minMs: 5, maxMs: 40 }),
  );
  return {
    store,
    slowStore,
    teardown: async () => {
      await store.close();
      await slowStore.close();
      await db.drop();
    },
  };
});

describeWhen(
  Boolean(process.env.EVENTSTORE_URL),
  ALLOWED_SKIPS.eventStoreDbServer,
  'event store contract: EventStoreDB server',
  () => {
    describeEventStoreContract('EventStoreDB', eventStoreDbContractSubject);
  },
);
