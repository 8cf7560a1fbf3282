import { absurd } from 'fp-ts/function';
import { right, type Either } from 'fp-ts/Either';
import type { DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { AttachmentCommand } from './commands';
import type { AttachmentEvent } from './events';
import { evolve, initialState, type AttachmentState } from './state';

type Decision = Either<DomainError, readonly AttachmentEvent[]>;

/**
 * An attachment's outcome is recorded once: the first one wins. A worker whose lease ran out
 * while another worker finished the same file records nothing, so the stream never says both
 * `stored` and `failed`.
 */
export const decide = (command: AttachmentCommand, state: AttachmentState): Decision => {
  if (state.status !== 'pending') return right([]);
  switch (command.type) {
    case 'RecordAttachmentStored':
      return right([{ type: 'AttachmentStored', data: command.data }]);
    case 'RecordAttachmentFailure':
      return right([{ type: 'AttachmentFetchFailed', data: command.data }]);
    default:
      return absurd(command);
  }
};

export const attachmentDecider: Decider<AttachmentCommand, AttachmentEvent, AttachmentState> = {
  initialState,
  evolve,
  decide,
};
