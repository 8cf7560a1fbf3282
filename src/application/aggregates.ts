import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { DomainError } from '../domain/errors';
import type { Command, Decider, Event } from '../domain/shared/decider';
import { metadataFor, type CommandContext } from './context';
import {
  isWrongExpectedVersion,
  type Checkpoint,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from './ports/eventStore';
import type { IdGenerator } from './ports/ids';
import type { StreamLocks } from './streamLocks';

export type Loaded<S> = Readonly<{
  state: S;
  /** the stream's last revision, or null when it does not exist */
  revision: bigint | null;
}>;

export type Handled<E, S> = Readonly<{
  /** what this command appended; empty when it changed nothing (a retry, a no-op) */
  events: readonly E[];
  state: S;
  revision: bigint | null;
  /** the global position of the last appended event, for read-your-writes */
  checkpoint: Checkpoint | null;
}>;

export type AggregateDeps = Readonly<{ store: EventStore; ids: IdGenerator; locks: StreamLocks }>;

/** Stored events are the domain's events: `{ type, data }` as written. */
export const toDomainEvent = <E extends Event>(recorded: RecordedEvent): E =>
  ({ type: recorded.type, data: recorded.data }) as E;

export const loadAggregate = async <E extends Event, S>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<Command, E, S>, 'initialState' | 'evolve'>,
): Promise<Loaded<S>> => {
  const recorded = await store.readStream(streamId);
  const state = recorded.reduce(
    (s, r) => decider.evolve(s, toDomainEvent<E>(r)),
    decider.initialState(),
  );
  const last = recorded[recorded.length - 1];
  return { state, revision: last === undefined ? null : last.revision };
};

const MAX_ATTEMPTS = 25;

/**
 * load → decide → append with the loaded revision; on a concurrent append, load again and
 * decide again. `command` may depend on the state (for example ids already claimed).
 */
export const handleCommand = async <C extends Command, E extends Event, S>(
  deps: AggregateDeps,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C | ((state: S) => C),
  context: CommandContext,
): Promise<Either<DomainError, Handled<E, S>>> =>
  deps.locks.withLock(streamId, async () => {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await loadAggregate(deps.store, streamId, decider);
      const decision = decider.decide(
        typeof command === 'function' ? command(state) : command,
        state,
      );
      if (isLeft(decision)) return left(decision.left);
      const events = decision.right;
      if (events.length === 0) return right({ events, state, revision, checkpoint: null });
      const metadata = metadataFor(context);
      const toAppend: EventToAppend[] = events.map((e) => ({
        id: deps.ids.uuid(),
        type: e.type,
        data: e.data,
        metadata,
      }));
      try {
        const appended = await deps.store.appendToStream(streamId, toAppend, {
          expectedRevision: revision ?? 'no_stream',
        });
        return right({
          events,
          state: events.reduce(decider.evolve, state),
          revision: appended.nextExpectedRevision,
          checkpoint: appended.checkpoint,
        });
      } catch (error) {
        if (!isWrongExpectedVersion(error) || attempt >= MAX_ATTEMPTS) throw error;
        await backOff(attempt);
      }
    }
  });

/** Short, jittered pause so competing processes do not retry in lock step. */
const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
