import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { contactDecider } from '../../domain/contact/decide';
import { domainError, type DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import type { CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import type { Checkpoint } from '../ports/eventStore';
import { streams } from '../streams';
import { resolveContact } from './contactDirectory';

/**
 * Deletes a contact; a merged id deletes its survivor, the contact it stands for. Its data
 * stops matching: the next message carrying it creates a new contact.
 */
export const deleteContact = async (
  deps: Pick<CommandDeps, 'commands'>,
  contactId: string,
  context: CommandContext,
): Promise<Either<DomainError, Readonly<{ contactId: string; checkpoint: Checkpoint | null }>>> => {
  if (!isObjectId(contactId)) return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  const resolved = await resolveContact(deps.commands, contactId);
  if (resolved.kind === 'pending')
    return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  if (resolved.kind === 'deleted')
    return left(domainError('E_CONTACT_DELETED', 'contact was deleted'));
  const target = resolved.contact.contactId;
  const deleted = await deps.commands.handle(
    streams.contact(target),
    contactDecider,
    { type: 'DeleteContact', data: { now: context.now.toISOString() } },
    context,
  );
  if (isLeft(deleted)) return deleted;
  return right({ contactId: target, checkpoint: deleted.right.checkpoint });
};
