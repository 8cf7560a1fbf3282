import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { contactDecider } from '../../domain/contact/decide';
import { domainError, type DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import type { CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import { metadataFor } from '../context';
import { findRecorded, type Recorded } from '../inbound/idempotency';
import { isWrongExpectedVersion } from '../ports/eventStore';
import type { Event } from '../../domain/shared/decider';
import type { Checkpoint, EventStore } from '../ports/eventStore';
import type { SubjectKeys } from '../ports/subjectKeys';
import { streams } from '../streams';
import { loadContact, resolveContact, type StreamReader } from './contactDirectory';

export type EraseDeps = CommandDeps & Readonly<{ store: EventStore; subjectKeys: SubjectKeys }>;

export type Erased = Readonly<{
  /** the contact the erasure was recorded on: the survivor the asked id stands for */
  contactId: string;
  /** it and every contact merged into it, transitively: the subjects whose keys are gone */
  erasedContactIds: readonly string[];
  /** null when it was erased before (a retry): nothing was appended */
  checkpoint: Checkpoint | null;
}>;

/** The contact and every contact merged into it, and into those, in the order found. */
export const withMerged = async (reader: StreamReader, contactId: string): Promise<string[]> => {
  const found = [contactId];
  for (let i = 0; i < found.length; i++) {
    const { state } = await loadContact(reader, found[i] as string);
    if (state.status === 'absent') continue;
    for (const id of state.absorbed) if (!found.includes(id)) found.push(id);
  }
  return found;
};

/**
 * Erases a person (SPEC §8): a merged id erases its survivor, the contact it stands for, and a
 * deleted contact can be erased too (its data is still in the log). The data keys of the
 * contact and of every contact merged into it are destroyed first, then ContactErased is
 * recorded on it: if the append fails the keys are gone anyway and a retry records it. Erasing
 * an erased contact destroys nothing new and appends nothing, so a retry answers the same.
 */
export const eraseContact = async (
  deps: EraseDeps,
  contactId: string,
  context: CommandContext,
  idempotencyKey: string | null = null,
): Promise<Either<DomainError, Erased>> => {
  if (idempotencyKey === null) return erase(deps, contactId, context);
  // the answer holds ids only; the key names one contact, so a reuse for another is a conflict
  const recorded = await findRecorded(deps.store, ERASE_SCOPE, idempotencyKey);
  if (recorded !== null)
    return recorded.requestHash === contactId
      ? right({ ...(recorded.response as Erased), checkpoint: null })
      : left(domainError('E_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key erased another contact'));
  const erased = await erase(deps, contactId, context);
  if (isLeft(erased)) return erased;
  const { checkpoint, ...response } = erased.right;
  await recordErasure(deps, idempotencyKey, { requestHash: contactId, response }, context);
  return right({ ...response, checkpoint });
};

/** The scope of erase requests' Idempotency-Keys: the admin's, across channels. */
const ERASE_SCOPE = 'contact-erase';

/**
 * What an erase request with an Idempotency-Key answered, on the key's idempotency stream as
 * IdempotentRequestRecorded is. A type of its own: its answer is ids only, so the store has
 * nothing to seal (an inbound answer repeats contact data and is sealed with the contact's key,
 * which an erasure has just destroyed).
 */
export type EraseRequestRecorded = Event<
  'EraseRequestRecorded',
  { scope: string; requestHash: string; response: Omit<Erased, 'checkpoint'> }
>;

const recordErasure = async (
  deps: EraseDeps,
  key: string,
  recorded: Recorded & { response: EraseRequestRecorded['data']['response'] },
  context: CommandContext,
): Promise<void> => {
  const event: EraseRequestRecorded = {
    type: 'EraseRequestRecorded',
    data: { scope: ERASE_SCOPE, ...recorded },
  };
  try {
    await deps.store.appendToStream(
      streams.idempotency(ERASE_SCOPE, key),
      [{ id: deps.ids.uuid(), type: event.type, data: event.data, metadata: metadataFor(context) }],
      { expectedRevision: 'no_stream' },
    );
  } catch (error) {
    // a concurrent twin recorded the same answer first: the erasure is the same
    if (!isWrongExpectedVersion(error)) throw error;
  }
};

const erase = async (
  deps: EraseDeps,
  contactId: string,
  context: CommandContext,
): Promise<Either<DomainError, Erased>> => {
  if (!isObjectId(contactId)) return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  const resolved = await resolveContact(deps.commands, contactId);
  if (resolved.kind === 'pending')
    return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  const target = resolved.kind === 'active' ? resolved.contact.contactId : resolved.contactId;
  const contactIds = await withMerged(deps.commands, target);
  await deps.subjectKeys.destroy(contactIds);
  const erased = await deps.commands.handle(
    streams.contact(target),
    contactDecider,
    { type: 'EraseContact', data: { contactIds, now: context.now.toISOString() } },
    context,
  );
  if (isLeft(erased)) return erased;
  return right({
    contactId: target,
    erasedContactIds: contactIds,
    checkpoint: erased.right.checkpoint,
  });
};
