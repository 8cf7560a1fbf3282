import type { ContractSubject } from '../contract.suite';
import { EventStoreDbEventStore } from './eventStoreDbEventStore';

/**
 * The shared contract suite's subject when EVENTSTORE_URL is set. The suite's stream ids are
 * random, so any server will do, shared or not; nothing is deleted afterwards.
 */
export const eventStoreDbContractSubject = async (): Promise<ContractSubject> => {
  const url = process.env.EVENTSTORE_URL;
  if (url === undefined || url === '') throw new Error('EVENTSTORE_URL is not set');
  // checkpoints often, so the suite's subscribers see progress through a busy shared log
  const store = await EventStoreDbEventStore.connect(url, { checkpointInterval: 1 });
  return { store, teardown: () => store.close() };
};
