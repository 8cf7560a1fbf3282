import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { ChannelCommand } from '../../domain/channel/commands';
import { channelDecider } from '../../domain/channel/decide';
import { domainError, type DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import { loadAggregate, type CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import type { Checkpoint, EventStore } from '../ports/eventStore';
import { hashToken, newToken } from '../secrets';
import { streams } from '../streams';
import type { LiveChannel } from './integrationAccess';

/** A channel token as shown once, at issue. */
export type IssuedToken = Readonly<{ tokenId: string; token: string; prefix: string }>;

export type ChannelChange = Readonly<{ channel: LiveChannel; checkpoint: Checkpoint | null }>;

const TOKEN_PREFIX = 'pct_';

const channelNotFound = () => left(domainError('E_CHANNEL_NOT_FOUND', 'channel not found'));

export const getChannel = async (
  store: EventStore,
  channelId: string,
): Promise<Either<DomainError, LiveChannel>> => {
  if (!isObjectId(channelId)) return channelNotFound();
  const { state } = await loadAggregate(store, streams.channel(channelId), channelDecider);
  return state.status === 'absent' ? channelNotFound() : right(state);
};

const run = async (
  deps: CommandDeps,
  channelId: string,
  command: ChannelCommand,
  context: CommandContext,
): Promise<Either<DomainError, ChannelChange>> => {
  if (!isObjectId(channelId)) return channelNotFound();
  const handled = await deps.commands.handle(
    streams.channel(channelId),
    channelDecider,
    command,
    context,
  );
  if (isLeft(handled)) return handled;
  const { state, checkpoint } = handled.right;
  return state.status === 'absent' ? channelNotFound() : right({ channel: state, checkpoint });
};

/** Rename, enable, disable, delete, revoke a token: one command on the channel. */
export const changeChannel = run;

export const issueChannelToken = async (
  deps: CommandDeps,
  channelId: string,
  context: CommandContext,
): Promise<Either<DomainError, ChannelChange & { token: IssuedToken }>> => {
  const token = newToken(TOKEN_PREFIX);
  const issued: IssuedToken = {
    tokenId: deps.ids.objectId(),
    token,
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
  };
  const changed = await run(
    deps,
    channelId,
    {
      type: 'IssueChannelToken',
      data: {
        tokenId: issued.tokenId,
        tokenHash: hashToken(token),
        prefix: issued.prefix,
        now: context.now.toISOString(),
      },
    },
    context,
  );
  return isLeft(changed) ? changed : right({ ...changed.right, token: issued });
};

/** A new channel, enabled, with its first token. */
export const createChannel = async (
  deps: CommandDeps,
  name: string,
  context: CommandContext,
): Promise<Either<DomainError, ChannelChange & { token: IssuedToken }>> => {
  const channelId = deps.ids.objectId();
  const created = await run(
    deps,
    channelId,
    { type: 'CreateChannel', data: { channelId, name, now: context.now.toISOString() } },
    context,
  );
  if (isLeft(created)) return created;
  return issueChannelToken(deps, channelId, context);
};
