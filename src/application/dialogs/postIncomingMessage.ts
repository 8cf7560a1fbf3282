import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { dialogReferenceDecider } from '../../domain/claims/dialogReference';
import { dialogDecider } from '../../domain/dialog/decide';
import { resolveContact } from '../contacts/contactDirectory';
import type { MessageBody } from '../../domain/dialog/message';
import { domainError, type DomainError } from '../../domain/errors';
import type { CommandDeps, CommandHandler } from '../commandHandler';
import type { CommandContext } from '../context';
import type { Checkpoint } from '../ports/eventStore';
import { streams } from '../streams';

/** Where a message goes, found before the request appends anything. */
export type DialogTarget =
  | Readonly<{ kind: 'by-id'; dialogId: string }>
  | Readonly<{
      kind: 'by-reference';
      reference: string;
      dialogId: string | null;
      /** the dialog that held the reference for a contact since erased: a new one takes it over */
      replacing: string | null;
    }>
  | Readonly<{ kind: 'new' }>;

/** `dialog_id` wins over `reference` (the seed); an unknown id or another channel's is 404. */
export const locateDialog = async (
  commands: Pick<CommandHandler, 'load'>,
  channelId: string,
  request: Readonly<{ dialogId: string | null; reference: string | null }>,
): Promise<Either<DomainError, DialogTarget>> => {
  if (request.dialogId !== null) {
    const { state } = await commands.load(streams.dialog(request.dialogId), dialogDecider);
    if (state.status === 'absent' || state.channelId !== channelId) {
      return left(domainError('E_DIALOG_NOT_FOUND', 'dialog_id names no dialog of this channel'));
    }
    return right({ kind: 'by-id', dialogId: request.dialogId });
  }
  if (request.reference !== null) {
    const claim = await commands.load(
      streams.dialogReference(channelId, request.reference),
      dialogReferenceDecider,
      // a free reference is claimed with `no_stream`, which finds a claim we did not read
      { newUnlessCached: true },
    );
    const holder = claim.state.dialogId;
    const erased = holder !== null && (await isErasedContactsDialog(commands, holder));
    return right({
      kind: 'by-reference',
      reference: request.reference,
      dialogId: erased ? null : holder,
      replacing: erased ? holder : null,
    });
  }
  return right({ kind: 'new' });
};

/**
 * Was the dialog's contact erased? Its reference is personal data of that person (SPEC §8):
 * it names them no more, so a message with it opens a new dialog, as the same contact data
 * makes a new contact. A dialog not opened yet (a claim whose request stopped) is nobody's.
 */
const isErasedContactsDialog = async (
  commands: Pick<CommandHandler, 'load'>,
  dialogId: string,
): Promise<boolean> => {
  const { state } = await commands.load(streams.dialog(dialogId), dialogDecider);
  if (state.status === 'absent') return false;
  const contact = await resolveContact(commands, state.contactId);
  return contact.kind === 'deleted' && contact.erased;
};

export type IncomingMessage = MessageBody &
  Readonly<{
    channelId: string;
    title: string | null;
    contactId: string;
    integrationData: string | null;
    /** the sender's creation time */
    createdAt: string;
    requestHash: string | null;
  }>;

export type PostedMessage = Readonly<{
  dialogId: string;
  messageId: string;
  reference: string | null;
  dialogCreated: boolean;
  checkpoint: Checkpoint | null;
}>;

/** The dialog a reference names: claimed with `no_stream`, so concurrent requests agree on one. */
const dialogForReference = async (
  deps: Pick<CommandDeps, 'commands'>,
  channelId: string,
  reference: string,
  candidate: string,
  contactId: string,
  replacing: string | null,
  context: CommandContext,
): Promise<string> => {
  const claimed = await deps.commands.handle(
    streams.dialogReference(channelId, reference),
    dialogReferenceDecider,
    {
      type: 'ClaimDialogReference',
      data: { channelId, reference, dialogId: candidate, replacing },
    },
    context,
    // locateDialog found the reference free, or held by an erased contact's dialog
    replacing === null ? { expectNew: true, subject: contactId } : { subject: contactId },
  );
  if (!isLeft(claimed)) return candidate;
  const holder = claimed.left.details?.[0] as { dialogId?: string } | undefined;
  if (holder?.dialogId === undefined)
    throw new Error(`reference claim refused: ${claimed.left.message}`);
  return holder.dialogId;
};

/** Opens or continues the dialog with the message; reopens it when closed. */
export const postIncomingMessage = async (
  deps: Pick<CommandDeps, 'commands'>,
  target: DialogTarget,
  message: IncomingMessage,
  options: Readonly<{ context: CommandContext; newId: (purpose: string) => string }>,
): Promise<Either<DomainError, PostedMessage>> => {
  const { context } = options;
  let dialogId: string;
  // a dialog id this request made up names no dialog yet (unless a crashed attempt used it)
  let expectNew = false;
  if (target.kind === 'by-id') dialogId = target.dialogId;
  else if (target.kind === 'by-reference' && target.dialogId !== null) dialogId = target.dialogId;
  else if (target.kind === 'by-reference') {
    const candidate = options.newId('dialog');
    dialogId = await dialogForReference(
      deps,
      message.channelId,
      target.reference,
      candidate,
      message.contactId,
      target.replacing,
      context,
    );
    expectNew = dialogId === candidate;
  } else {
    dialogId = options.newId('dialog');
    expectNew = true;
  }
  const messageId = options.newId('message');
  const handled = await deps.commands.handle(
    streams.dialog(dialogId),
    dialogDecider,
    {
      type: 'ReceiveMessage',
      data: {
        dialogId,
        channelId: message.channelId,
        mustExist: target.kind === 'by-id',
        reference: target.kind === 'by-reference' ? target.reference : null,
        title: message.title,
        contactId: message.contactId,
        messageId,
        text: message.text,
        html: message.html,
        attachments: message.attachments,
        integrationData: message.integrationData,
        createdAt: message.createdAt,
        now: context.now.toISOString(),
        requestHash: message.requestHash,
      },
    },
    context,
    { expectNew },
  );
  if (isLeft(handled)) return handled;
  const { state, events, checkpoint } = handled.right;
  return right({
    dialogId,
    messageId,
    reference: state.status === 'absent' ? null : state.reference,
    dialogCreated: events.some((e) => e.type === 'DialogOpened'),
    checkpoint,
  });
};
