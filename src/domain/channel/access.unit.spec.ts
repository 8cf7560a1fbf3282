import { isLeft, isRight } from 'fp-ts/Either';
import { fold } from '../shared/decider';
import {
  channelCreated,
  channelDeleted,
  channelDisabled,
  tokenIssued,
  tokenRevoked,
  TOKEN_HASH,
} from '../testing/builders/channel';
import type { ChannelEvent } from './events';
import { integrationAccess } from './access';
import { channelDecider } from './decide';

const access = (events: ChannelEvent[], hash = TOKEN_HASH) =>
  integrationAccess(fold(channelDecider, events), (token) => token.tokenHash === hash);
const refusal = (events: ChannelEvent[], hash?: string) => {
  const result = access(events, hash);
  return isLeft(result) ? result.left.code : 'granted';
};

describe('integration access to a channel', () => {
  it('grants a live token on an enabled channel', () =>
    expect(isRight(access([channelCreated(), tokenIssued()]))).toBe(true));
  it('refuses a wrong token', () =>
    expect(refusal([channelCreated(), tokenIssued()], 'b'.repeat(64))).toBe('E_INVALID_TOKEN'));
  it('refuses a revoked token', () =>
    expect(refusal([channelCreated(), tokenIssued(), tokenRevoked()])).toBe('E_INVALID_TOKEN'));
  it('refuses an unknown channel', () => expect(refusal([])).toBe('E_INVALID_TOKEN'));
  it('says a disabled channel is not enabled', () =>
    expect(refusal([channelCreated(), tokenIssued(), channelDisabled()])).toBe(
      'E_CHANNEL_NOT_ENABLED',
    ));
  it('says a deleted channel is deleted, to a holder of its token', () =>
    expect(refusal([channelCreated(), tokenIssued(), channelDeleted()])).toBe('E_CHANNEL_DELETED'));
  it('tells nothing about a deleted channel to a wrong token', () =>
    expect(refusal([channelCreated(), tokenIssued(), channelDeleted()], 'c'.repeat(64))).toBe(
      'E_INVALID_TOKEN',
    ));
  it('compares every token, not only up to the first match', () => {
    const compared: string[] = [];
    const state = fold(channelDecider, [
      channelCreated(),
      tokenIssued(),
      tokenIssued({ tokenId: 'f0000000000000000000000b', tokenHash: 'd'.repeat(64) }),
    ]);
    integrationAccess(
      state,
      (token) => (compared.push(token.tokenId), token.tokenHash === TOKEN_HASH),
    );
    expect(compared).toHaveLength(2);
  });
});
