import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { ChannelCommand, IssueChannelToken, RevokeChannelToken } from './commands';
import type { ChannelEvent } from './events';
import { evolve, initialState, type Channel } from './state';

type Decision = Either<DomainError, readonly ChannelEvent[]>;
type Existing = Exclude<Channel, { status: 'absent' }>;

const notFound = (): Decision => left(domainError('E_CHANNEL_NOT_FOUND', 'channel not found'));
const deleted = (): Decision => left(domainError('E_CHANNEL_DELETED', 'channel was deleted'));

/** Commands other than CreateChannel need a live channel. */
const onLiveChannel = (state: Channel, decision: (channel: Existing) => Decision): Decision => {
  if (state.status === 'absent') return notFound();
  if (state.status === 'deleted') return deleted();
  return decision(state);
};

const issueToken = ({ data }: IssueChannelToken, channel: Existing): Decision =>
  channel.tokens.some((t) => t.tokenId === data.tokenId)
    ? right([])
    : right([
        {
          type: 'ChannelTokenIssued',
          data: {
            channelId: channel.channelId,
            tokenId: data.tokenId,
            tokenHash: data.tokenHash,
            prefix: data.prefix,
            issuedAt: data.now,
          },
        },
      ]);

const revokeToken = ({ data }: RevokeChannelToken, channel: Existing): Decision =>
  channel.tokens.some((t) => t.tokenId === data.tokenId)
    ? right([
        {
          type: 'ChannelTokenRevoked',
          data: { channelId: channel.channelId, tokenId: data.tokenId, revokedAt: data.now },
        },
      ])
    : left(domainError('E_TOKEN_NOT_FOUND', 'no live token with this id on the channel'));

export const decide = (command: ChannelCommand, state: Channel): Decision => {
  switch (command.type) {
    case 'CreateChannel': {
      if (state.status !== 'absent') {
        return left(domainError('E_ALREADY_EXISTS', 'channel already exists'));
      }
      const { channelId, name, now } = command.data;
      return right([{ type: 'ChannelCreated', data: { channelId, name, createdAt: now } }]);
    }
    case 'RenameChannel':
      return onLiveChannel(state, (channel) =>
        channel.name === command.data.name
          ? right([])
          : right([
              {
                type: 'ChannelRenamed',
                data: {
                  channelId: channel.channelId,
                  name: command.data.name,
                  previousName: channel.name,
                },
              },
            ]),
      );
    case 'EnableChannel':
      return onLiveChannel(state, (channel) =>
        right(
          channel.enabled
            ? []
            : [{ type: 'ChannelEnabled', data: { channelId: channel.channelId } }],
        ),
      );
    case 'DisableChannel':
      return onLiveChannel(state, (channel) =>
        right(
          channel.enabled
            ? [{ type: 'ChannelDisabled', data: { channelId: channel.channelId } }]
            : [],
        ),
      );
    case 'DeleteChannel':
      return onLiveChannel(state, (channel) =>
        right([
          {
            type: 'ChannelDeleted',
            data: { channelId: channel.channelId, deletedAt: command.data.now },
          },
        ]),
      );
    case 'IssueChannelToken':
      return onLiveChannel(state, (channel) => issueToken(command, channel));
    case 'RevokeChannelToken':
      return onLiveChannel(state, (channel) => revokeToken(command, channel));
    default:
      return absurd(command);
  }
};

export const channelDecider: Decider<ChannelCommand, ChannelEvent, Channel> = {
  initialState,
  evolve,
  decide,
};
