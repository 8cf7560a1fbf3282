import type { Either } from 'fp-ts/Either';
import { dialogDecider } from '../../domain/dialog/decide';
import type { DialogEvent } from '../../domain/dialog/events';
import type { Dialog } from '../../domain/dialog/state';
import type { DomainError } from '../../domain/errors';
import type { DialogId } from '../../domain/shared/ids';
import type { CommandDeps, Handled } from '../commandHandler';
import type { CommandContext } from '../context';
import { streams } from '../streams';

/** An operator closes a dialog or opens it again; the same request twice changes nothing. */
export const changeDialogStatus = (
  deps: Pick<CommandDeps, 'commands'>,
  input: Readonly<{ dialogId: DialogId; to: 'closed' | 'open' }>,
  context: CommandContext,
): Promise<Either<DomainError, Handled<DialogEvent, Dialog>>> =>
  deps.commands.handle(
    streams.dialog(input.dialogId),
    dialogDecider,
    input.to === 'closed' ? { type: 'CloseDialog', data: {} } : { type: 'ReopenDialog', data: {} },
    context,
  );
