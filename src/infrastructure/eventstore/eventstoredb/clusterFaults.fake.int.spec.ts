import {
  EventStoreUnavailableError,
  StreamDeletedError,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { anEvent } from '../../../../test/support/fakeEventStoreDb/anEvent';
import {
  startFakeEventStoreDb,
  type FakeEventStoreDb,
} from '../../../../test/support/fakeEventStoreDb/server';
import type { Fault } from '../../../../test/support/fakeEventStoreDb/faults';
import { EventStoreDbEventStore, type EventStoreDbOptions } from './eventStoreDbEventStore';

/*
 * What a real cluster does to the adapter and that a well-behaved server never shows, one test
 * per defect of issue 12, against the fake cluster (test/support/fakeEventStoreDb; not
 * EventStoreDB itself) with the real @eventstore/db-client 6.2.1 in between.
 */

// a variable, not a literal: the options the adapter grew for these faults
const options: EventStoreDbOptions = { checkpointInterval: 1, subscriptionIdleMs: 300 };

describe('EventStoreDB adapter on a cluster that misbehaves (fake server)', () => {
  let server: FakeEventStoreDb;
  let store: EventStoreDbEventStore;
  const open = async (url: (s: FakeEventStoreDb) => string): Promise<void> => {
    server = await startFakeEventStoreDb();
    store = await EventStoreDbEventStore.connect(url(server), options);
  };
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  describe('1. a failed discovery', () => {
    it('does not keep appends failing once the cluster is back', async () => {
      await open((s) => s.clusterUrl);
      await store.appendToStream('outage-1', [anEvent()], { expectedRevision: 'no_stream' });
      server.setOutage(true);
      // traffic goes on: the first append finds the connection gone, the next ones rediscover
      for (let i = 0; i < 3; i++) {
        await expect(
          store.appendToStream('outage-1', [anEvent()], { expectedRevision: 0n }),
        ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      }
      server.setOutage(false);
      // reads found the cluster again all along; appends must too
      await expect(store.ping()).resolves.toBeUndefined();
      const result = await store.appendToStream('outage-1', [anEvent()], { expectedRevision: 0n });
      expect(result.nextExpectedRevision).toBe(1n);
    });
  });

  describe('2. a node that cannot take a write now', () => {
    it.each<Fault>(['not-ready', 'busy', 'no-leader'])(
      'answers unavailable with a retry delay on a %s reply, then appends',
      async (fault) => {
        await open((s) => s.url);
        server.inject('append', fault);
        const refused = store.appendToStream('refused-1', [anEvent()], {
          expectedRevision: 'no_stream',
        });
        await expect(refused).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
        expect(server.log.streams.get('refused-1')).toBeUndefined();
        await store.appendToStream('refused-1', [anEvent()], { expectedRevision: 'no_stream' });
        expect(server.log.streams.get('refused-1')).toHaveLength(1);
      },
    );

    it('answers unavailable through an election, then appends to the new leader', async () => {
      await open((s) => s.clusterUrl);
      await store.appendToStream('election-1', [anEvent()], { expectedRevision: 'no_stream' });
      server.startElection();
      await expect(
        store.appendToStream('election-1', [anEvent()], { expectedRevision: 0n }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      server.electLeader(1);
      await store.appendToStream('election-1', [anEvent()], { expectedRevision: 0n });
      expect(server.log.streams.get('election-1')).toHaveLength(2);
    });
  });

  describe('3. a reset connection', () => {
    it.each<Fault>(['reset', 'cancelled'])('answers unavailable on a %s append', async (fault) => {
      await open((s) => s.url);
      server.inject('append', fault);
      await expect(
        store.appendToStream('reset-1', [anEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await store.appendToStream('reset-1', [anEvent()], { expectedRevision: 'no_stream' });
      expect(server.log.streams.get('reset-1')).toHaveLength(1);
    });

    it('does not keep appends failing after a reset of the server-features probe', async () => {
      await open((s) => s.url);
      server.inject('features', 'reset');
      await expect(
        store.appendToStream('probe-1', [anEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await store.appendToStream('probe-1', [anEvent()], { expectedRevision: 'no_stream' });
      expect(server.log.streams.get('probe-1')).toHaveLength(1);
    });
  });

  describe('5. the rest', () => {
    it('resubscribes from the last position when a subscription stalls: nothing skipped or repeated', async () => {
      await open((s) => s.url);
      const seen: string[] = [];
      const subscription = store.subscribeToAll();
      const reading = (async () => {
        for await (const item of subscription) {
          if (item.type === 'event') seen.push(item.event.type);
          if (seen.length === 4) break;
        }
      })();
      await store.appendToStream('stall-1', [anEvent('One')], { expectedRevision: 'no_stream' });
      await waitFor(() => seen.length === 1);
      server.stallSubscriptions();
      await store.appendToStream('stall-1', [anEvent('Two'), anEvent('Three')], {
        expectedRevision: 0n,
      });
      await store.appendToStream('stall-1', [anEvent('Four')], { expectedRevision: 2n });
      await reading;
      await subscription.unsubscribe();
      expect(seen).toEqual(['One', 'Two', 'Three', 'Four']);
    });

    it('reads past events other applications wrote on a shared server', async () => {
      await open((s) => s.url);
      await store.appendToStream('mine-1', [anEvent('One')], { expectedRevision: 'no_stream' });
      server.log.appendForeignEvent('billing-7', 'InvoicePaid');
      server.log.appendForeignEvent('images-3', 'Uploaded', 'application/octet-stream');
      await store.appendToStream('mine-1', [anEvent('Two')], { expectedRevision: 0n });

      const page = await store.readAll({ maxCount: 10 });
      expect(page.events.map((e) => e.type)).toEqual(['One', 'Two']);

      const items: SubscriptionItem[] = [];
      const subscription = store.subscribeToAll();
      for await (const item of subscription) {
        items.push(item);
        if (item.type === 'event' && item.event.type === 'Two') break;
      }
      await subscription.unsubscribe();
      expect(items.flatMap((i) => (i.type === 'event' ? [i.event.type] : []))).toEqual([
        'One',
        'Two',
      ]);
    });

    it('answers StreamDeletedError for a tombstoned stream, reading or appending', async () => {
      await open((s) => s.url);
      await store.appendToStream('gone-1', [anEvent()], { expectedRevision: 'no_stream' });
      server.log.tombstone('gone-1');
      await expect(store.readStream('gone-1')).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(
        store.appendToStream('gone-1', [anEvent()], { expectedRevision: 'any' }),
      ).rejects.toMatchObject({ name: 'StreamDeletedError', streamId: 'gone-1' });
    });

    it('reads a small page through a long stretch of system events in few round trips', async () => {
      await open((s) => s.url);
      await store.appendToStream('page-1', [anEvent('One')], { expectedRevision: 'no_stream' });
      for (let i = 0; i < 200; i++) server.log.appendSystemEvent('$stats-node', '$statsCollected');
      await store.appendToStream('page-1', [anEvent('Two')], { expectedRevision: 0n });
      const first = await store.readAll({ maxCount: 1 });
      const before = server.calls.read;
      const second = await store.readAll({ from: first.checkpoint, maxCount: 1 });
      expect(second.events.map((e) => e.type)).toEqual(['Two']);
      expect(server.calls.read - before).toBeLessThanOrEqual(2);
    });
  });

  describe('what the fake does as the server does', () => {
    it('writes a retried append of the same event ids once', async () => {
      await open((s) => s.url);
      const events = [anEvent('One'), anEvent('Two')];
      const first = await store.appendToStream('again-1', events, {
        expectedRevision: 'no_stream',
      });
      const again = await store.appendToStream('again-1', events, {
        expectedRevision: 'no_stream',
      });
      expect(again).toEqual(first);
      expect(server.log.streams.get('again-1')).toHaveLength(2);
    });

    it('refuses an append over MaxAppendSize and writes nothing', async () => {
      await open((s) => s.url);
      const big = { ...anEvent(), data: { text: 'x'.repeat(1024 * 1024) } };
      await expect(
        store.appendToStream('big-1', [big], { expectedRevision: 'no_stream' }),
      ).rejects.toThrow(/MaxAppendSize/);
      expect(server.log.streams.get('big-1')).toBeUndefined();
    });
  });
});

const waitFor = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
