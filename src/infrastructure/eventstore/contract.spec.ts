import type { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/database';
import { describeEventStoreContract } from './contract.suite';
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

if (process.env.EVENTSTORE_URL) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { eventStoreDbContractSubject } = require('./eventstoredb/contractSubject') as {
    eventStoreDbContractSubject: () => Promise<import('./contract.suite').ContractSubject>;
  };
  describeEventStoreContract('EventStoreDB', eventStoreDbContractSubject);
} else {
  describe('event store contract: EventStoreDB', () => {
    it('runs whenever EVENTSTORE_URL points at a server', () => {
      // eslint-disable-next-line no-console
      console.info(
        'EventStoreDB contract suite skipped: EVENTSTORE_URL is not set (no EventStoreDB server here)',
      );
      expect(process.env.EVENTSTORE_URL).toBeFalsy();
    });
  });
}
