import { Transform } from 'node:stream';
import {
  UnavailableError,
  type AllStreamRecordedEvent,
  type Position,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { allSubscription } from './allSubscription';
import { serialiseMetadata } from './mapping';

type Response = Readonly<{ event: AllStreamRecordedEvent }> | Readonly<{ checkpoint: Position }>;

const at = (n: number): Position => ({
  commit: 2n ** 53n + BigInt(n),
  prepare: 2n ** 53n + BigInt(n),
});

const recorded = (n: number, type = 'MessageReceived'): AllStreamRecordedEvent => ({
  streamId: 'dialog-1',
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  isJson: true,
  revision: BigInt(n),
  type,
  created: new Date(0),
  data: { n },
  metadata: serialiseMetadata({
    correlationId: 'c',
    causationId: null,
    actor: { type: 'system' },
    recordedAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  }),
  position: at(n),
});

/**
 * The client's Subscription in miniature: a Transform that turns server responses into
 * resolved events and awaits checkpointReached while transforming a checkpoint response.
 */
const fakeClient = () => {
  let unsubscribed = false;
  let stream!: Transform & { unsubscribe(): Promise<void> };
  const open = (onCheckpoint: (position: Position) => void) => {
    stream = Object.assign(
      new Transform({
        objectMode: true,
        transform(response: Response, _encoding, next) {
          if ('checkpoint' in response) {
            onCheckpoint(response.checkpoint);
            next();
          } else {
            next(null, { event: response.event });
          }
        },
      }),
      {
        unsubscribe: async () => {
          unsubscribed = true;
        },
      },
    );
    return stream;
  };
  return {
    open,
    server: () => stream,
    wasUnsubscribed: () => unsubscribed,
  };
};

const sourceOf = (client: ReturnType<typeof fakeClient>) => ({
  open: (_from: Position | null, onCheckpoint: (position: Position) => void) =>
    client.open(onCheckpoint),
  from: null,
});

const summary = (item: SubscriptionItem): string =>
  item.type === 'event' ? `event ${item.event.revision}` : `checkpoint ${item.checkpoint}`;

describe('the port subscription over the client one', () => {
  it('yields events and server checkpoints in the order the server sent them', async () => {
    const client = fakeClient();
    const subscription = allSubscription(sourceOf(client));
    const server = client.server();
    server.write({ event: recorded(1) });
    server.write({ event: recorded(2) });
    server.write({ checkpoint: at(40) });
    server.write({ event: recorded(41) });

    const seen: string[] = [];
    for await (const item of subscription) {
      seen.push(summary(item));
      if (seen.length === 4) break;
    }
    expect(seen).toEqual([
      'event 1',
      'event 2',
      `checkpoint C:${at(40).commit}/P:${at(40).prepare}`,
      'event 41',
    ]);
    expect(client.wasUnsubscribed()).toBe(true);
  });

  it('turns a system event into a checkpoint past it', async () => {
    const client = fakeClient();
    const subscription = allSubscription(sourceOf(client));
    client.server().write({ event: recorded(3, '$metadata') });
    const { value } = await subscription[Symbol.asyncIterator]().next();
    expect(value).toEqual({
      type: '$checkpoint',
      checkpoint: `C:${at(3).commit}/P:${at(3).prepare}`,
    });
    await subscription.unsubscribe();
  });

  it('ends quietly when unsubscribed while waiting for the server', async () => {
    const client = fakeClient();
    const subscription = allSubscription(sourceOf(client));
    const outcome = (async () => {
      const items: SubscriptionItem[] = [];
      for await (const item of subscription) items.push(item);
      return items;
    })();
    await new Promise((r) => setTimeout(r, 20));
    await subscription.unsubscribe();
    expect(await outcome).toEqual([]);
    expect(client.wasUnsubscribed()).toBe(true);
  });

  it('ends with EventStoreUnavailableError when the connection drops', async () => {
    const client = fakeClient();
    const subscription = allSubscription(sourceOf(client));
    client.server().destroy(new UnavailableError(undefined, 'connection reset'));
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('ends with EventStoreUnavailableError when the server ends it', async () => {
    const client = fakeClient();
    const subscription = allSubscription(sourceOf(client));
    client.server().end();
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(
      'EventStoreDB ended the subscription',
    );
  });

  it('tells its owner when it stops', async () => {
    let stopped = 0;
    const subscription = allSubscription({ ...sourceOf(fakeClient()), onStop: () => stopped++ });
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    expect(stopped).toBe(1);
  });

  it('reopens a stalled subscription after the last item it handed on', async () => {
    const opened: (Position | null)[] = [];
    const clients: ReturnType<typeof fakeClient>[] = [];
    const subscription = allSubscription({
      open: (from, onCheckpoint) => {
        opened.push(from);
        const client = fakeClient();
        clients.push(client);
        return client.open(onCheckpoint);
      },
      from: null,
      // the log is ahead of anything this subscription has handed on
      idle: { ms: 20, head: async () => at(99) },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    clients[0]?.server().write({ event: recorded(1) });
    expect(summary((await iterator.next()).value as SubscriptionItem)).toBe('event 1');
    // the first subscription goes silent; the second one is opened after event 1
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 60));
    // reopened, each time after event 1, for as long as it stays silent
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(opened).toEqual([null, ...opened.slice(1).map(() => at(1))]);
    clients[clients.length - 1]?.server().write({ event: recorded(2) });
    expect(summary((await next).value as SubscriptionItem)).toBe('event 2');
    await subscription.unsubscribe();
  });

  it('keeps a quiet subscription when the log has nothing after it', async () => {
    let opens = 0;
    const client = fakeClient();
    const subscription = allSubscription({
      open: (_from, onCheckpoint) => {
        opens++;
        return client.open(onCheckpoint);
      },
      from: at(5),
      idle: { ms: 10, head: async () => at(5) },
    });
    const next = subscription[Symbol.asyncIterator]().next();
    await new Promise((r) => setTimeout(r, 60));
    expect(opens).toBe(1);
    client.server().write({ event: recorded(6) });
    expect(summary((await next).value as SubscriptionItem)).toBe('event 6');
    await subscription.unsubscribe();
  });
});
