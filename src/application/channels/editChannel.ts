import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { ChannelCommand } from '../../domain/channel/commands';
import { domainError, type DomainError } from '../../domain/errors';
import type { CommandDeps } from '../commandHandler';
import type { EventStore } from '../ports/eventStore';
import type { CommandContext } from '../context';
import { changeChannel, getChannel, type ChannelChange } from './manageChannels';

/** A PATCH of a channel: rename, enable or disable, any of them at once. */
export type ChannelEdit = Readonly<{ name?: string; enabled?: boolean }>;

/** The commands an edit makes, rename first; none is a request that changes nothing. */
export const editCommands = (edit: ChannelEdit): ChannelCommand[] => [
  ...(edit.name === undefined
    ? []
    : [{ type: 'RenameChannel', data: { name: edit.name.trim() } } as const]),
  ...(edit.enabled === undefined
    ? []
    : [
        edit.enabled
          ? ({ type: 'EnableChannel', data: {} } as const)
          : ({ type: 'DisableChannel', data: {} } as const),
      ]),
];

/**
 * Runs an edit's commands one after the other. The checkpoint is the last one appended: a
 * refusal of a later command leaves the earlier ones recorded, as separate requests would.
 */
export const editChannel = async (
  deps: CommandDeps & Readonly<{ store: EventStore }>,
  channelId: string,
  edit: ChannelEdit,
  context: CommandContext,
): Promise<Either<DomainError, ChannelChange>> => {
  const commands = editCommands(edit);
  if (commands.length === 0)
    return left(
      domainError('E_VALIDATION', 'nothing to change', [
        { path: '(body)', message: 'give name or enabled' },
      ]),
    );
  const found = await getChannel(deps.store, channelId);
  if (isLeft(found)) return found;
  let change: ChannelChange = { channel: found.right, checkpoint: null };
  for (const command of commands) {
    const changed = await changeChannel(deps, change.channel.channelId, command, context);
    if (isLeft(changed)) return changed;
    change = {
      channel: changed.right.channel,
      checkpoint: changed.right.checkpoint ?? change.checkpoint,
    };
  }
  return right(change);
};
