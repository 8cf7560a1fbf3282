import { left, type Either } from 'fp-ts/Either';
import { dialogDecider } from '../../domain/dialog/decide';
import type { DialogEvent } from '../../domain/dialog/events';
import type { Dialog } from '../../domain/dialog/state';
import { domainError, type DomainError } from '../../domain/errors';
import type { DialogId, OperatorId } from '../../domain/shared/ids';
import type { CommandDeps, Handled } from '../commandHandler';
import type { CommandContext } from '../context';
import { loadOperator } from '../operators/manageOperators';
import { streams } from '../streams';

/**
 * Assigns a dialog to an operator, or unassigns it (`null`). The dialog is looked up first and
 * then the operator, both on their streams, before anything is appended.
 */
export const assignDialog = async (
  deps: CommandDeps,
  input: Readonly<{ dialogId: DialogId; assigneeId: OperatorId | null }>,
  context: CommandContext,
): Promise<Either<DomainError, Handled<DialogEvent, Dialog>>> => {
  const streamId = streams.dialog(input.dialogId);
  const { state } = await deps.commands.load(streamId, dialogDecider);
  if (state.status === 'absent') return left(domainError('E_DIALOG_NOT_FOUND', 'dialog not found'));
  if (input.assigneeId !== null) {
    const operator = await loadOperator(deps, input.assigneeId);
    if (operator.status === 'absent')
      return left(domainError('E_OPERATOR_NOT_FOUND', 'no operator with this id'));
  }
  return deps.commands.handle(
    streamId,
    dialogDecider,
    { type: 'AssignDialog', data: { assigneeId: input.assigneeId } },
    context,
  );
};
