import type { ChannelCommand } from '../../channel/commands';
import type { ChannelEvent } from '../../channel/events';
import { CHANNEL, T0, T1 } from './ids';
import { builderOf } from './builder';

const event = builderOf<ChannelEvent>();
const command = builderOf<ChannelCommand>();

export const TOKEN_ID = 'f0000000000000000000000a';
export const TOKEN_HASH = 'a'.repeat(64);

export const channelCreated = event('ChannelCreated', () => ({
  channelId: CHANNEL,
  name: 'Avito',
  createdAt: T0,
}));
export const channelRenamed = event('ChannelRenamed', () => ({
  channelId: CHANNEL,
  name: 'Avito DMs',
  previousName: 'Avito',
}));
export const channelEnabled = event('ChannelEnabled', () => ({ channelId: CHANNEL }));
export const channelDisabled = event('ChannelDisabled', () => ({ channelId: CHANNEL }));
export const channelDeleted = event('ChannelDeleted', () => ({
  channelId: CHANNEL,
  deletedAt: T1,
}));
export const tokenIssued = event('ChannelTokenIssued', () => ({
  channelId: CHANNEL,
  tokenId: TOKEN_ID,
  tokenHash: TOKEN_HASH,
  prefix: 'pk_1a2b',
  issuedAt: T0,
}));
export const tokenRevoked = event('ChannelTokenRevoked', () => ({
  channelId: CHANNEL,
  tokenId: TOKEN_ID,
  revokedAt: T1,
}));

export const createChannel = command('CreateChannel', () => ({
  channelId: CHANNEL,
  name: 'Avito',
  now: T0,
}));
export const renameChannel = command('RenameChannel', () => ({ name: 'Avito DMs' }));
export const enableChannel = command('EnableChannel', () => ({}));
export const disableChannel = command('DisableChannel', () => ({}));
export const deleteChannel = command('DeleteChannel', () => ({ now: T1 }));
export const issueToken = command('IssueChannelToken', () => ({
  tokenId: TOKEN_ID,
  tokenHash: TOKEN_HASH,
  prefix: 'pk_1a2b',
  now: T0,
}));
export const revokeToken = command('RevokeChannelToken', () => ({ tokenId: TOKEN_ID, now: T1 }));
