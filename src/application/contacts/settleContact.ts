import { isLeft, right, type Either } from 'fp-ts/Either';
import type { DomainError } from '../../domain/errors';
import type { Command, Event } from '../../domain/shared/decider';
import type { CommandHandler, HandleOptions } from '../commandHandler';
import type { CommandContext } from '../context';
import { ContentionError } from '../contentionError';
import type { Checkpoint } from '../ports/eventStore';
import type { LiveContact } from './contactDirectory';
import { settle, type Answer, type Expected, type Step, type StepOn } from './settlement';
import type { ContactPlan } from './planContact';

export type ContactSettlement = Readonly<{
  contactId: string;
  created: boolean;
  contact: LiveContact;
  /** the global position of the last event appended, for read-your-writes */
  checkpoint: Checkpoint | null;
}>;

const MAX_ROUNDS = 12;

/** Whoever appended ContactCreated reports it, so concurrent requests report it once. */
const settlementOf = (contact: LiveContact, answers: readonly Answer[]): ContactSettlement => ({
  contactId: contact.contactId,
  created: answers.some(
    ({ step: { command } }) =>
      command.type === 'CreateContact' && command.data.contactId === contact.contactId,
  ),
  contact,
  checkpoint: answers.reduce<Checkpoint | null>((last, a) => a.checkpoint ?? last, null),
});

const optionsFor = <S>(expected: Expected<S>): HandleOptions<S> =>
  expected === 'no_stream'
    ? { expectNew: true }
    : expected === 'current'
      ? {}
      : { known: expected };

/** Runs the steps in order, recording what the store answered; false at the first refusal. */
const runSteps = async (
  commands: CommandHandler,
  steps: readonly Step[],
  context: CommandContext,
  answers: Answer[],
): Promise<boolean> => {
  for (const step of steps) {
    // one cast: a step's decider, command and state belong together (see Step)
    const { stream, decider, command, expected } = step as StepOn<Command, Event, unknown>;
    const handled = await commands.handle(stream, decider, command, context, optionsFor(expected));
    if (isLeft(handled)) return false;
    const { state, revision, checkpoint } = handled.right;
    answers.push({ step, state, revision, checkpoint });
  }
  return true;
};

/**
 * Creates, updates or merges the contact a request is from (SPEC 1.1 and 2): runs the steps
 * `settle` decides until it says the contact is settled. A refused step means another request
 * changed what the plan was made on: plan again and start over, at most MAX_ROUNDS times (then
 * 503). `plan` comes from planContact, made before the request's first append.
 */
export const settleContact = async (
  commands: CommandHandler,
  plan: ContactPlan,
  planAgain: () => Promise<Either<DomainError, ContactPlan>>,
  context: CommandContext,
): Promise<Either<DomainError, ContactSettlement>> => {
  const answers: Answer[] = []; // every step this request ran, in all rounds
  let current = plan;
  let since = 0; // the answers to the current plan's steps start here
  for (let round = 1; ;) {
    const next = settle(current, answers.slice(since));
    if (next.kind === 'settled') return right(settlementOf(next.contact, answers));
    if (await runSteps(commands, next.steps, context, answers)) continue;
    const again = await planAgain();
    if (isLeft(again)) return again;
    if (++round > MAX_ROUNDS) throw new ContentionError('contact', MAX_ROUNDS);
    current = again.right;
    since = answers.length;
  }
};
