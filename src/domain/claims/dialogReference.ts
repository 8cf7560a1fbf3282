import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Command, Decider, Event } from '../shared/decider';
import type { ChannelId, DialogId } from '../shared/ids';

/**
 * A reference names at most one dialog per channel. The claim is its own tiny stream appended
 * with `no_stream`, so uniqueness holds without reading any (possibly lagging) read model.
 */
export type DialogReferenceClaimed = Event<
  'DialogReferenceClaimed',
  { channelId: ChannelId; reference: string; dialogId: DialogId }
>;
export type DialogReferenceEvent = DialogReferenceClaimed;

export type ClaimDialogReference = Command<
  'ClaimDialogReference',
  { channelId: ChannelId; reference: string; dialogId: DialogId }
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
    if (state.dialogId === null)
      return right([{ type: 'DialogReferenceClaimed', data: command.data }]);
    if (state.dialogId === command.data.dialogId) return right([]);
    return left(
      domainError('E_CLAIM_HELD', 'reference names another dialog', [{ dialogId: state.dialogId }]),
    );
  },
};
