import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { slowCommittingPool } from '../../../../test/support/slowCommittingPool';
import { useTestDatabase } from '../../../../test/support/database';
import { eventually } from '../../../../test/support/eventually';
import { anEvent } from '../../../../test/support/fakeEventStoreDb/anEvent';
import type {
  AllSubscription,
  ReadAllOptions,
  SubscriptionItem,
} from '../../../application/ports/eventStore';
import { PostgresEventStore } from './postgresEventStore';

/** Takes a subscription's items as they come, until it is stopped. */
const collect = (subscription: AllSubscription): SubscriptionItem[] => {
  const items: SubscriptionItem[] = [];
  void (async () => {
    for await (const item of subscription) items.push(item);
  })().catch(() => undefined);
  return items;
};

/** Waits until no read was made for 300 ms. */
const quiet = async (reads: readonly unknown[]): Promise<void> => {
  for (let seen = -1; seen !== reads.length;) {
    seen = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
};

const eventTypesOf = (items: readonly SubscriptionItem[]): string[] =>
  items.flatMap((item) => (item.type === 'event' ? [item.event.type] : []));

describe('the PostgreSQL subscribers of one process at the head', () => {
  const db = useTestDatabase();

  it('given six subscribers of different types at the head, when the log is appended to and they are woken, then one read of the log answers them all (six reads without the shared tail)', async () => {
    const readsAfterWakeUp: Record<string, number> = {};
    for (const sharedTail of [true, false]) {
      // no polls: every read comes from a wake-up
      const store = new PostgresEventStore(db.pool, { sharedTail, pollIntervalMs: 60_000 });
      const reads: ReadAllOptions[] = [];
      const readAll = store.readAll.bind(store);
      store.readAll = (options) => {
        reads.push(options ?? {});
        return readAll(options);
      };
      const { checkpoint: head } = await readAll({ maxCount: 100_000 });
      const tag = randomUUID().slice(0, 8);
      const typeSets = [['A'], ['B'], ['A', 'B'], ['C'], ['D'], undefined].map((types) =>
        types?.map((t) => `${t}-${tag}`),
      );
      const subscriptions = typeSets.map((eventTypes) =>
        store.subscribeToAll({ from: head, ...(eventTypes === undefined ? {} : { eventTypes }) }),
      );
      try {
        const items = subscriptions.map(collect);
        // each has read on its own once: at the head
        await eventually(
          async () => reads.length,
          (n) => n >= subscriptions.length,
        );
        await store.appendToStream(`tail-${tag}`, [anEvent(`A-${tag}`)], {
          expectedRevision: 'no_stream',
        });
        // other test files' open transactions may hide it from the append's own wake-up: once
        // it is visible, one wake-up of every subscriber, as another process's NOTIFY is
        await eventually(
          async () => (await readAll({ from: head, maxCount: 100_000 })).events,
          (events) => events.some((e) => e.type === `A-${tag}`),
        );
        // and the wake-ups of the append itself over (its NOTIFY comes back 10 ms after it)
        await quiet(reads);
        const before = reads.length;
        await db.pool.query(`SELECT pg_notify('event_store_appended', '')`);
        // the A subscribers get the event, the others a checkpoint past it
        await eventually(
          async () => ({ lengths: items.map((i) => i.length), reads: reads.length - before }),
          ({ lengths, reads: n }) => lengths.every((l) => l >= 1) && n >= (sharedTail ? 1 : 6),
        );
        // and no read comes after them
        await quiet(reads);
        readsAfterWakeUp[String(sharedTail)] = reads.length - before;
        expect(items.map(eventTypesOf)).toEqual([
          [`A-${tag}`],
          [],
          [`A-${tag}`],
          [],
          [],
          [`A-${tag}`],
        ]);
      } finally {
        await Promise.all(subscriptions.map((s) => s.unsubscribe()));
        await store.close();
      }
    }
    // one read, or two when a wake-up's timers fall in two turns of the event loop
    expect(readsAfterWakeUp.true).toBeLessThanOrEqual(2);
    expect(readsAfterWakeUp.false).toBe(6);
  });

  it('holds for any appends committing out of order: each subscriber, at the head or behind, gets exactly the events of its types, once each, in the log’s order', async () => {
    const types = ['A', 'B', 'C'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 30 }),
        fc.array(fc.subarray(types), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (appended, typeSets, pageSize) => {
          const tag = randomUUID().slice(0, 8);
          const tagged = (t: string) => `${t}-${tag}`;
          // small pages: subscribers go behind and back to the head as the appends come
          const store = new PostgresEventStore(db.pool, { pollIntervalMs: 50, pageSize });
          const slow = new PostgresEventStore(slowCommittingPool(db.pool, { minMs: 0, maxMs: 40 }));
          const { checkpoint: start } = await store.readAll({ maxCount: 100_000 });
          const subscriptions = typeSets.map((t) =>
            store.subscribeToAll({ from: start, eventTypes: t.map(tagged) }),
          );
          try {
            const items = subscriptions.map(collect);
            await Promise.all(
              appended.map((type, i) =>
                (i % 2 === 0 ? slow : store).appendToStream(
                  `tail-${tag}-${i % 3}-${i}`,
                  [anEvent(tagged(type))],
                  { expectedRevision: 'no_stream' },
                ),
              ),
            );
            const log = (await store.readAll({ from: start, maxCount: 100_000 })).events.filter(
              (e) => e.type.endsWith(tag),
            );
            const wanted = typeSets.map((t) =>
              log.filter((e) => t.map(tagged).includes(e.type)).map((e) => e.id),
            );
            const got = () =>
              items.map((i) => i.flatMap((item) => (item.type === 'event' ? [item.event.id] : [])));
            await eventually(
              async () => got(),
              (ids) => ids.every((list, s) => list.length >= (wanted[s]?.length ?? 0)),
              10_000,
            );
            expect(got()).toEqual(wanted);
          } finally {
            await Promise.all(subscriptions.map((s) => s.unsubscribe()));
            await store.close();
            await slow.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
