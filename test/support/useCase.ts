import { isLeft, type Either } from 'fp-ts/Either';
import { commandHandler, type CommandHandler } from '../../src/application/commandHandler';
import type { CommandContext } from '../../src/application/context';
import type { Checkpoint, EventStore } from '../../src/application/ports/eventStore';
import type { IdGenerator } from '../../src/application/ports/ids';
import type { DomainError, ErrorCode } from '../../src/domain/errors';
import type { Event } from '../../src/domain/shared/decider';
import { MemoryEventStore } from '../../src/infrastructure/eventstore/memory/memoryEventStore';

/** What a use case runs on in a spec: the in-memory store, ids in order of issue, a fixed time. */
export type World = Readonly<{
  store: EventStore;
  commands: CommandHandler;
  ids: IdGenerator;
  context: CommandContext;
}>;

/** An event and the stream that holds it. */
export type InStream = Readonly<{ stream: string; type: string; data: object }>;

export const inStream = (stream: string, ...events: readonly Event[]): InStream[] =>
  events.map((e) => ({ stream, type: e.type, data: e.data }));

export const NOW = '2026-01-05T08:00:00.000Z';

/** 24 hex digits, in order: f00000000000000000000001, f00000000000000000000002, … */
const idsInOrder = (): IdGenerator => {
  let issued = 0;
  return {
    objectId: () => `f${(++issued).toString(16).padStart(23, '0')}`,
    uuid: () => `00000000-0000-4000-8000-${(++issued).toString(16).padStart(12, '0')}`,
  };
};

const worldOf = (store: EventStore): World => {
  const ids = idsInOrder();
  return {
    store,
    commands: commandHandler({ store, ids }),
    ids,
    context: {
      correlationId: 'spec',
      causationId: null,
      actor: { type: 'system' },
      now: new Date(NOW),
    },
  };
};

/**
 * Given/when/then for use cases, on the in-memory event store:
 *
 *   given({ [streams.contact(CONTACT)]: [contactCreated(), contactDataAdded()] })
 *     .when((world) => settle(world, contactObject('abc')))
 *     .then((settled) => ({ result: { contactId: CONTACT }, events: [] }));
 *
 * `events` are the events the request appended, in log order, compared in full; `result`
 * is compared with toMatchObject. `thenFails` checks the code and that nothing was appended.
 * `wrap` puts a test double around the store after the history is written (a concurrent writer).
 */
export const given = (
  history: Readonly<Record<string, readonly Event[]>> = {},
  wrap: (store: EventStore) => EventStore = (store) => store,
) => ({
  when: <R>(act: (world: World) => Promise<Either<DomainError, R>>) => {
    const run = async () => {
      const store = new MemoryEventStore();
      const seeding = worldOf(store);
      for (const [stream, events] of Object.entries(history)) {
        await store.appendToStream(
          stream,
          events.map((e) => ({
            id: seeding.ids.uuid(),
            type: e.type,
            data: e.data,
            metadata: {
              correlationId: 'given',
              causationId: null,
              actor: { type: 'system' },
              recordedAt: NOW,
              schemaVersion: 1,
            },
          })),
          { expectedRevision: 'any' },
        );
      }
      const { checkpoint } = await store.readAll();
      const result = await act(worldOf(wrap(store)));
      const appended = await store.readAll({ from: checkpoint as Checkpoint | null });
      const events = appended.events.map(({ streamId, type, data }) => ({
        stream: streamId,
        type,
        data,
      }));
      return { result, events };
    };
    return {
      then: async (
        expected: (result: R) => Readonly<{ result?: object; events: readonly InStream[] }>,
      ): Promise<void> => {
        const { result, events } = await run();
        if (isLeft(result))
          throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
        const wanted = expected(result.right);
        if (wanted.result !== undefined) expect(result.right).toMatchObject(wanted.result);
        expect(events).toEqual(wanted.events);
      },
      thenFails: async (code: ErrorCode): Promise<void> => {
        const { result, events } = await run();
        expect(isLeft(result) && result.left.code).toBe(code);
        expect(events).toEqual([]);
      },
    };
  },
});
