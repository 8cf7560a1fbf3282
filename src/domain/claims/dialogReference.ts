import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Command, Decider, Event } from '../shared/decider';
import type { ChannelId, DialogId } from '../shared/ids';

/**
 * A reference names at most one dialog per channel. The claim is its own tiny stream appended
 * with `no_stream`, so uniqueness holds without reading any (possibly lagging) read model.
 * A reference is personal (SPEC §8): once its dialog's contact is erased it names that person
 * no more, and the next dialog with the reference takes the claim over (`replacing`).
 */
export type DialogReferenceClaimed = Event<
  'DialogReferenceClaimed',
  { channelId: ChannelId; reference: string; dialogId: DialogId }
>;
export type DialogReferenceEvent = DialogReferenceClaimed;

export type ClaimDialogReference = Command<
  'ClaimDialogReference',
  {
    channelId: ChannelId;
    reference: string;
    dialogId: DialogId;
    /** the holder, known to be an erased contact's dialog, whose claim may be taken over */
    replacing: DialogId | null;
  }
>;

export type DialogReference = Readonly<{ dialogId: DialogId | null }>;

export const dialogReferenceDecider: Decider<
  ClaimDialogReference,
  DialogReferenceEvent,
  DialogReference
> = {
  initialState: () => ({ dialogId: null }),
  evolve: (_state, event) => ({ dialogId: event.data.dialogId }),
  decide: (command, state): Either<DomainError, readonly DialogReferenceEvent[]> => {
    const { replacing, ...claim } = command.data;
    if (state.dialogId === claim.dialogId) return right([]);
    if (state.dialogId === null || state.dialogId === replacing)
      return right([{ type: 'DialogReferenceClaimed', data: claim }]);
    return left(
      domainError('E_CLAIM_HELD', 'reference names another dialog', [{ dialogId: state.dialogId }]),
    );
  },
};
