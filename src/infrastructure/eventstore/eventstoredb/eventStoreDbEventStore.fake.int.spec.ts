import {
  EventStoreUnavailableError,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { anEvent } from '../../../../test/support/fakeEventStoreDb/anEvent';
import {
  startFakeEventStoreDb,
  type FakeEventStoreDb,
} from '../../../../test/support/fakeEventStoreDb/server';
import { describeEventStoreContract } from '../contract.suite';
import { EventStoreDbEventStore } from './eventStoreDbEventStore';

/*
 * The adapter and the real @eventstore/db-client over real gRPC, against a protocol-level
 * fake server (test/support/fakeEventStoreDb). This proves the adapter drives the client as
 * intended; it is not EventStoreDB. The same suite against a real server runs in
 * contract.spec.ts whenever EVENTSTORE_URL is set.
 */
describeEventStoreContract(
  'EventStoreDB adapter and client, fake server (not EventStoreDB)',
  async () => {
    const server = await startFakeEventStoreDb();
    const store = await EventStoreDbEventStore.connect(server.url, { checkpointInterval: 1 });
    return {
      store,
      teardown: async () => {
        await store.close();
        await server.stop();
      },
    };
  },
);

describe('EventStoreDB adapter against the fake server', () => {
  let server: FakeEventStoreDb;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await startFakeEventStoreDb();
    store = await EventStoreDbEventStore.connect(server.url, { checkpointInterval: 1 });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('keeps positions beyond 2^53 exact in checkpoints', async () => {
    const { checkpoint } = await store.appendToStream('big-1', [anEvent()], {
      expectedRevision: 'no_stream',
    });
    const stored = server.log.streams.get('big-1')?.[0];
    expect(checkpoint).toBe(`C:${stored?.position.commit}/P:${stored?.position.prepare}`);
    expect(stored?.position.commit).toBeGreaterThan(2n ** 53n);
  });

  it('retries an append once on a follower that names the leader', async () => {
    server.refuseAsFollower('append');
    const result = await store.appendToStream('leader-1', [anEvent()], {
      expectedRevision: 'no_stream',
    });
    expect(result.nextExpectedRevision).toBe(0n);
    expect(server.log.streams.get('leader-1')).toHaveLength(1);
  });

  it('answers unavailable when the node keeps refusing as a follower', async () => {
    server.refuseAsFollower('read', 2);
    await expect(store.readStream('anything-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('answers unavailable when the connection drops', async () => {
    server.dropNext('read');
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('reads through stretches of system events and moves its checkpoint past them', async () => {
    await store.appendToStream('mine-1', [anEvent('One')], { expectedRevision: 'no_stream' });
    for (let i = 0; i < 40; i++) server.log.appendSystemEvent('$stats-node', '$statsCollected');
    await store.appendToStream('mine-1', [anEvent('Two')], { expectedRevision: 0n });
    for (let i = 0; i < 5; i++) server.log.appendSystemEvent('$stats-node', '$statsCollected');

    const first = await store.readAll({ maxCount: 1 });
    expect(first.events.map((e) => e.type)).toEqual(['One']);
    const second = await store.readAll({ from: first.checkpoint, maxCount: 1 });
    expect(second.events.map((e) => e.type)).toEqual(['Two']);
    const end = await store.readAll({ from: second.checkpoint, maxCount: 10 });
    expect(end.events).toEqual([]);
    const lastRecord = server.log.all[server.log.all.length - 1];
    expect(end.checkpoint).toBe(
      `C:${lastRecord?.position.commit}/P:${lastRecord?.position.prepare}`,
    );
  });

  it('reports checkpoints in order with events while filtered records go by', async () => {
    const items: SubscriptionItem[] = [];
    const subscription = store.subscribeToAll({ streamPrefixes: ['wanted-'] });
    const collecting = (async () => {
      for await (const item of subscription) {
        items.push(item);
        if (item.type === 'event' && item.event.type === 'Last') break;
      }
    })();
    for (let i = 0; i < 70; i++) {
      await store.appendToStream(`other-${i}`, [anEvent()], { expectedRevision: 'no_stream' });
    }
    await store.appendToStream('wanted-1', [anEvent('Last')], { expectedRevision: 'no_stream' });
    await collecting;
    await subscription.unsubscribe();

    const checkpoints = items.filter((i) => i.type === '$checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    const last = items[items.length - 1];
    expect(last?.type === 'event' && last.event.streamId).toBe('wanted-1');
    // every checkpoint comes before the event that follows it in the log
    const order = items.map((i) => (i.type === 'event' ? i.event.checkpoint : i.checkpoint));
    for (let i = 1; i < order.length; i++) {
      expect(store.compareCheckpoints(order[i - 1] ?? null, order[i] ?? null)).toBe(-1);
    }
  });

  it('ends a subscription with EventStoreUnavailableError when the server goes away', async () => {
    const subscription = store.subscribeToAll();
    const outcome = (async () => {
      for await (const _ of subscription) {
        // keep reading until the server is gone
      }
    })().then(
      () => 'ended quietly',
      (error: unknown) => error,
    );
    await new Promise((r) => setTimeout(r, 100));
    await server.stop();
    expect(await outcome).toBeInstanceOf(EventStoreUnavailableError);
    await subscription.unsubscribe();
  });
});
