import { isLeft } from 'fp-ts/Either';
import type { ErrorCode } from '../errors';
import { fold, type Command, type Decider, type Event } from '../shared/decider';

/**
 * Given/when/then for deciders:
 *
 *   const given = specFor(dialogDecider);
 *   given(dialogOpened(), dialogClosed()).when(receiveMessage()).then(dialogReopened(), messageReceived());
 *   given().when(replyToDialog()).thenFails('E_DIALOG_NOT_FOUND');
 */
export const specFor =
  <C extends Command, E extends Event, S>(decider: Decider<C, E, S>) =>
  (...history: E[]) => ({
    when: (command: C) => {
      const decide = () => decider.decide(command, fold(decider, history));
      const describeFailure = (code: string, message: string) =>
        `expected events, but ${command.type} was refused with ${code}: ${message}`;
      return {
        then: (...expected: E[]): void => {
          const result = decide();
          if (isLeft(result))
            throw new Error(describeFailure(result.left.code, result.left.message));
          expect(result.right).toEqual(expected);
        },
        thenNothingHappens: (): void => {
          const result = decide();
          if (isLeft(result))
            throw new Error(describeFailure(result.left.code, result.left.message));
          expect(result.right).toEqual([]);
        },
        thenFails: (code: ErrorCode): void => {
          const result = decide();
          if (!isLeft(result)) {
            throw new Error(
              `expected ${command.type} to fail with ${code}, but it decided ${JSON.stringify(result.right.map((e) => e.type))}`,
            );
          }
          expect(result.left.code).toBe(code);
        },
      };
    },
  });
