import fc from 'fast-check';
import { isLeft, left, right } from 'fp-ts/Either';
import { contactDataRecordDecider } from '../domain/claims/contactDataRecord';
import { dialogReferenceDecider } from '../domain/claims/dialogReference';
import { domainError } from '../domain/errors';
import type { Command, Decider, Event } from '../domain/shared/decider';
import { MemoryEventStore } from '../infrastructure/eventstore/memory/memoryEventStore';
import { AggregateCache } from './aggregateCache';
import { commandHandler, type CommandHandler } from './commandHandler';
import type { CommandContext } from './context';
import type { EventStore } from './ports/eventStore';
import { StreamLocks } from './streamLocks';

/** A door: messages may be posted while it is open. */
type DoorEvent =
  Event<'Opened', { by: string }> | Event<'Closed'> | Event<'Posted', { text: string }>;
type DoorCommand =
  Command<'Open', { by: string }> | Command<'Close'> | Command<'Post', { text: string }>;
type Door = { open: boolean; posts: number };
const door: Decider<DoorCommand, DoorEvent, Door> = {
  initialState: () => ({ open: false, posts: 0 }),
  evolve: (s, e) =>
    e.type === 'Opened'
      ? { ...s, open: true }
      : e.type === 'Closed'
        ? { ...s, open: false }
        : { ...s, posts: s.posts + 1 },
  decide: (c, s) => {
    if (c.type === 'Open')
      return right(s.open ? [] : [{ type: 'Opened', data: { by: c.data.by } }]);
    if (c.type === 'Close') return right(s.open ? [{ type: 'Closed', data: {} }] : []);
    return s.open
      ? right([{ type: 'Posted', data: { text: c.data.text } }])
      : left(domainError('E_CONFLICT', 'closed'));
  },
};

const context: CommandContext = {
  correlationId: 'c',
  causationId: null,
  actor: { type: 'system' },
  now: new Date(0),
};
let ids = 0;
const depsOf = (store: EventStore, cache: AggregateCache): CommandHandler =>
  commandHandler({
    store,
    cache,
    locks: new StreamLocks(),
    ids: {
      objectId: () => String(++ids).padStart(24, '0'),
      uuid: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    },
  });
/** another process: appends with its own reads, bypassing our cache */
const elsewhere = (store: EventStore) => depsOf(store, new AggregateCache());

const types = async (store: EventStore, streamId: string) =>
  (await store.readStream(streamId)).map((e) => e.type);

describe('AggregateCache', () => {
  it('keeps the most recently used streams', () => {
    const cache = new AggregateCache(2);
    cache.set('a', door, { open: true }, 0n);
    cache.set('b', door, { open: true }, 0n);
    cache.get('a', door);
    cache.set('c', door, { open: true }, 0n);
    expect([
      cache.get('a', door) !== null,
      cache.get('b', door) !== null,
      cache.get('c', door) !== null,
    ]).toEqual([true, false, true]);
  });

  it('keeps no stream that does not exist, and no state of another decider', () => {
    const cache = new AggregateCache();
    cache.set('a', door, { open: false }, null);
    cache.set('b', door, { open: false }, 3n);
    expect(cache.get('a', door)).toBeNull();
    expect(cache.get('b', dialogReferenceDecider)).toBeNull();
  });

  it('settled claim streams never append again once written, whatever the command (but a takeover from an erased dialog)', () => {
    const text = fc.string({ minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.tuple(text, text, text),
        fc.tuple(text, text, text),
        ([c1, r1, d1], [c2, r2, d2]) => {
          const first = { channelId: c1, reference: r1, dialogId: d1 };
          const state = dialogReferenceDecider.evolve(dialogReferenceDecider.initialState(), {
            type: 'DialogReferenceClaimed',
            data: first,
          });
          const next = dialogReferenceDecider.decide(
            {
              type: 'ClaimDialogReference',
              data: { channelId: c2, reference: r2, dialogId: d2, replacing: null },
            },
            state,
          );
          return isLeft(next) || next.right.length === 0;
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.tuple(text, text, text),
        fc.tuple(text, text, text),
        ([a, b, c], [x, y, z]) => {
          const state = contactDataRecordDecider.evolve(contactDataRecordDecider.initialState(), {
            type: 'ContactDataRegistered',
            data: { dataId: a, contactId: b, channelId: c, service: 'custom' },
          });
          const next = contactDataRecordDecider.decide(
            {
              type: 'RegisterContactData',
              data: { dataId: x, contactId: y, channelId: z, service: 'custom' },
            },
            state,
          );
          return isLeft(next) || next.right.length === 0;
        },
      ),
    );
  });
});

describe('commands with a cache', () => {
  it('read only the events after the cached revision', async () => {
    const store = new MemoryEventStore();
    const cache = new AggregateCache();
    const deps = depsOf(store, cache);
    await deps.handle('door-1', door, { type: 'Open', data: { by: 'a' } }, context);
    await elsewhere(store).handle('door-1', door, { type: 'Post', data: { text: 'x' } }, context);
    const reads: unknown[] = [];
    const spy: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: (id: string, options?: object) => (
        reads.push(options ?? null),
        store.readStream(id, options)
      ),
    });
    const loaded = await depsOf(spy, cache).load('door-1', door);
    expect(loaded).toEqual({ state: { open: true, posts: 1 }, revision: 1n });
    expect(reads).toEqual([{ fromRevision: 1n }]);
  });

  it('an append decided on a stale state is refused by its expected revision, then decided again', async () => {
    const store = new MemoryEventStore();
    const deps = depsOf(store, new AggregateCache());
    await deps.handle('door-2', door, { type: 'Open', data: { by: 'us' } }, context);
    // another process closes the door: our cache still says open
    await elsewhere(store).handle('door-2', door, { type: 'Close', data: {} }, context);
    const posted = await deps.handle(
      'door-2',
      door,
      { type: 'Post', data: { text: 'late' } },
      context,
    );
    expect(isLeft(posted) && posted.left.code).toBe('E_CONFLICT');
    expect(await types(store, 'door-2')).toEqual(['Opened', 'Closed']);
  });

  it('a refusal or a no-op is never answered from an unchecked state', async () => {
    const store = new MemoryEventStore();
    const deps = depsOf(store, new AggregateCache());
    await deps.handle('door-3', door, { type: 'Close', data: {} }, context); // nothing yet
    await deps.handle('door-3', door, { type: 'Open', data: { by: 'us' } }, context);
    await deps.handle('door-3', door, { type: 'Close', data: {} }, context);
    // our cache says closed; another process opened it again
    await elsewhere(store).handle('door-3', door, { type: 'Open', data: { by: 'them' } }, context);
    const posted = await deps.handle(
      'door-3',
      door,
      { type: 'Post', data: { text: 'hi' } },
      context,
    );
    expect(isLeft(posted)).toBe(false);
    const closed = await deps.handle('door-3', door, { type: 'Open', data: { by: 'us' } }, context);
    expect(!isLeft(closed) && closed.right.events).toEqual([]);
    expect(await types(store, 'door-3')).toEqual(['Opened', 'Closed', 'Opened', 'Posted']);
  });

  it('an append that failed for another reason forgets the stream', async () => {
    const store = new MemoryEventStore();
    const cache = new AggregateCache();
    const deps = depsOf(store, cache);
    await deps.handle('door-4', door, { type: 'Open', data: { by: 'us' } }, context);
    const broken: EventStore = Object.assign(Object.create(store) as EventStore, {
      appendToStream: () => Promise.reject(new Error('connection lost')),
    });
    await expect(
      depsOf(broken, cache).handle('door-4', door, { type: 'Post', data: { text: 'x' } }, context),
    ).rejects.toThrow('connection lost');
    expect(cache.get('door-4', door)).toBeNull();
  });
});
