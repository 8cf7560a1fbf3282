import type { Either } from 'fp-ts/Either';
import type { DomainError } from '../errors';

/** A fact that happened, in the help desk's words: past tense, immutable, JSON-serialisable. */
export type Event<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** An intent; may be refused with a DomainError. */
export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/**
 * An aggregate as three pure functions (Emmett's and Jérémie Chassaing's decider):
 * state is only ever the left fold of evolve over the stream's events.
 */
export type Decider<C extends Command, E extends Event, S> = Readonly<{
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => Either<DomainError, readonly E[]>;
}>;

export const fold = <E extends Event, S>(
  decider: Pick<Decider<Command, E, S>, 'initialState' | 'evolve'>,
  events: readonly E[],
): S => events.reduce(decider.evolve, decider.initialState());
