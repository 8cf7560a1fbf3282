import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { DomainError } from '../domain/errors';
import type { Command, Decider, Event } from '../domain/shared/decider';
import type { AggregateCache } from './aggregateCache';
import { metadataFor, type CommandContext } from './context';
import {
  isWrongExpectedVersion,
  type Checkpoint,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from './ports/eventStore';
import type { IdGenerator } from './ports/ids';
import { StreamLocks } from './streamLocks';

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

/** The ports a command handler binds, once per process (the composition root builds it). */
export type CommandPorts = Readonly<{
  store: EventStore;
  ids: IdGenerator;
  /** one per process; a new one when omitted */
  locks?: StreamLocks;
  /** recently used states, so that commands read only new events (see AggregateCache) */
  cache?: AggregateCache | null;
}>;

export type Folding<E extends Event, S> = Pick<Decider<Command, E, S>, 'initialState' | 'evolve'>;

/** Stored events are the domain's events: `{ type, data }` as written. */
export const toDomainEvent = <E extends Event>(recorded: RecordedEvent): E =>
  ({ type: recorded.type, data: recorded.data }) as E;

/** `from` plus every event appended after it: the stream as it is now. */
const catchUp = async <E extends Event, S>(
  store: EventStore,
  streamId: string,
  decider: Folding<E, S>,
  from: Loaded<S> | null,
  cache: AggregateCache | null,
): Promise<Loaded<S>> => {
  const recorded = await store.readStream(
    streamId,
    from === null || from.revision === null ? undefined : { fromRevision: from.revision + 1n },
  );
  let state = from?.state ?? decider.initialState();
  for (const r of recorded) state = decider.evolve(state, toDomainEvent<E>(r));
  const last = recorded[recorded.length - 1];
  const loaded = { state, revision: last?.revision ?? from?.revision ?? null };
  cache?.set(streamId, decider, loaded.state, loaded.revision);
  return loaded;
};

/** The stream's current state; with a cache, only the events after the cached revision are read. */
const load = async <E extends Event, S>(
  store: EventStore,
  streamId: string,
  decider: Folding<E, S>,
  cache: AggregateCache | null,
): Promise<Loaded<S>> => {
  const cached = cache?.get<S>(streamId, decider) ?? null;
  if (cached !== null && cache?.isSettled(decider)) return cached;
  return catchUp(store, streamId, decider, cached, cache);
};

/** A stream's current state, read in full: for readers outside a command handler. */
export const loadAggregate = <E extends Event, S>(
  store: EventStore,
  streamId: string,
  decider: Folding<E, S>,
): Promise<Loaded<S>> => load(store, streamId, decider, null);

const MAX_ATTEMPTS = 25;

export type HandleOptions<S> = Readonly<{
  /**
   * The stream as the caller read it during this request and has not appended to since: the
   * command is decided on it without another read (an append still checks its revision).
   */
  known?: Loaded<S>;
  /**
   * The caller expects the stream not to exist yet (an id it just made up, a claim it found
   * free): the command is decided on the initial state without a read. Unchecked: the append's
   * `no_stream` checks it, and a decision that appends nothing reads the stream first.
   */
  expectNew?: boolean;
  /** the contact the appended events are about, when the stream's state does not say (see subjectOf) */
  subject?: string;
}>;

/**
 * The contact an aggregate's events are about: its state's `contactId` (a dialog's contact, a
 * contact itself). Recorded as `metadata.subject` so that the store seals the personal fields
 * of events whose data does not name the contact (a reply, a new title) with that contact's key.
 */
const subjectOf = (state: unknown): string | undefined => {
  const contactId = (state as { contactId?: unknown } | null)?.contactId;
  return typeof contactId === 'string' ? contactId : undefined;
};

/**
 * load → decide → append with the loaded revision; on a concurrent append, load again and
 * decide again. `command` may depend on the state (for example ids already claimed).
 * With a cache, the first decision may be made on the cached state without reading: the
 * expected revision of the append checks it (see AggregateCache for why that is safe).
 */
const handle = async <C extends Command, E extends Event, S>(
  { store, ids, locks, cache }: Required<CommandPorts>,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C | ((state: S) => C),
  context: CommandContext,
  options: HandleOptions<S>,
): Promise<Either<DomainError, Handled<E, S>>> =>
  locks.withLock(streamId, async () => {
    const cached =
      options.known ??
      (options.expectNew === true ? { state: decider.initialState(), revision: null } : null) ??
      cache?.get<S>(streamId, decider) ??
      null;
    let loaded = cached ?? (await catchUp(store, streamId, decider, null, cache));
    // an unchecked state may be behind; settled streams cannot be
    let checked =
      cached === null ||
      options.known !== undefined ||
      (options.expectNew !== true && cache?.isSettled(decider) === true);
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = loaded;
      const decision = decider.decide(
        typeof command === 'function' ? command(state) : command,
        state,
      );
      const events = isLeft(decision) ? [] : decision.right;
      if (events.length === 0 && !checked) {
        // nothing to append would check the cached state: read what came after it, decide again
        loaded = await catchUp(store, streamId, decider, loaded, cache);
        checked = true;
        continue;
      }
      if (isLeft(decision)) return left(decision.left);
      if (events.length === 0) return right({ events, state, revision, checkpoint: null });
      const after = events.reduce(decider.evolve, state);
      const subject = options.subject ?? subjectOf(after);
      const metadata = { ...metadataFor(context), ...(subject === undefined ? {} : { subject }) };
      const toAppend: EventToAppend[] = events.map((e) => ({
        id: ids.uuid(),
        type: e.type,
        data: e.data,
        metadata,
      }));
      try {
        const appended = await store.appendToStream(streamId, toAppend, {
          expectedRevision: revision ?? 'no_stream',
        });
        cache?.set(streamId, decider, after, appended.nextExpectedRevision);
        return right({
          events,
          state: after,
          revision: appended.nextExpectedRevision,
          checkpoint: appended.checkpoint,
        });
      } catch (error) {
        if (!isWrongExpectedVersion(error) || attempt >= MAX_ATTEMPTS) {
          // the append may or may not have happened: forget what we knew
          cache?.drop(streamId);
          throw error;
        }
        // a stale cache entry is no contention: no need to give way to the other writer
        if (checked) await backOff(attempt);
        loaded = await catchUp(store, streamId, decider, loaded, cache);
        checked = true;
      }
    }
  });

/** Short, jittered pause so competing processes do not retry in lock step. */
const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/**
 * The one entry point of the write side: every use case loads and changes streams through it.
 * It binds the store, the ids of appended events, the per-process stream locks and the
 * aggregate cache once, so no call site passes them along.
 */
export type CommandHandler = Readonly<{
  /** the stream's current state (with the cache, only the events after it are read) */
  load: <E extends Event, S>(streamId: string, decider: Folding<E, S>) => Promise<Loaded<S>>;
  /** load → decide → append; see `handle` above */
  handle: <C extends Command, E extends Event, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C | ((state: S) => C),
    context: CommandContext,
    options?: HandleOptions<S>,
  ) => Promise<Either<DomainError, Handled<E, S>>>;
}>;

export const commandHandler = (ports: CommandPorts): CommandHandler => {
  const bound: Required<CommandPorts> = {
    store: ports.store,
    ids: ports.ids,
    locks: ports.locks ?? new StreamLocks(),
    cache: ports.cache ?? null,
  };
  return {
    load: (streamId, decider) => load(bound.store, streamId, decider, bound.cache),
    handle: (streamId, decider, command, context, options = {}) =>
      handle(bound, streamId, decider, command, context, options),
  };
};

/** What a use case that changes something needs: the command handler, and ids for what it creates. */
export type CommandDeps = Readonly<{ commands: CommandHandler; ids: IdGenerator }>;
