import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Channel, ChannelToken } from './state';

/**
 * May an integration post into this channel with this token?
 * A wrong token or an unknown channel is 401 whatever the channel's state, so that a caller
 * without a valid token learns nothing about the channel. `matches` compares in constant time and every token is compared, matched or not.
 */
export const integrationAccess = (
  channel: Channel,
  matches: (token: ChannelToken) => boolean,
): Either<DomainError, Exclude<Channel, { status: 'absent' }>> => {
  if (channel.status === 'absent' || !channel.tokens.map(matches).includes(true)) {
    return left(
      domainError(
        'E_INVALID_TOKEN',
        'token is missing, wrong or revoked, or the channel is unknown',
      ),
    );
  }
  if (channel.status === 'deleted') {
    return left(domainError('E_CHANNEL_DELETED', 'channel was deleted; its tokens are dead'));
  }
  if (!channel.enabled) {
    return left(domainError('E_CHANNEL_NOT_ENABLED', 'channel is disabled; enable it to continue'));
  }
  return right(channel);
};
