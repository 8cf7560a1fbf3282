import type { Event } from '../shared/decider';
import type { ChannelId } from '../shared/ids';

export type ChannelCreated = Event<
  'ChannelCreated',
  { channelId: ChannelId; name: string; createdAt: string }
>;
export type ChannelRenamed = Event<
  'ChannelRenamed',
  { channelId: ChannelId; name: string; previousName: string }
>;
export type ChannelEnabled = Event<'ChannelEnabled', { channelId: ChannelId }>;
export type ChannelDisabled = Event<'ChannelDisabled', { channelId: ChannelId }>;
export type ChannelDeleted = Event<'ChannelDeleted', { channelId: ChannelId; deletedAt: string }>;
/** Only the SHA-256 of a token is ever recorded; `prefix` lets an admin tell tokens apart. */
export type ChannelTokenIssued = Event<
  'ChannelTokenIssued',
  { channelId: ChannelId; tokenId: string; tokenHash: string; prefix: string; issuedAt: string }
>;
export type ChannelTokenRevoked = Event<
  'ChannelTokenRevoked',
  { channelId: ChannelId; tokenId: string; revokedAt: string }
>;

export type ChannelEvent =
  | ChannelCreated
  | ChannelRenamed
  | ChannelEnabled
  | ChannelDisabled
  | ChannelDeleted
  | ChannelTokenIssued
  | ChannelTokenRevoked;

export const channelEventTypes: readonly ChannelEvent['type'][] = [
  'ChannelCreated',
  'ChannelRenamed',
  'ChannelEnabled',
  'ChannelDisabled',
  'ChannelDeleted',
  'ChannelTokenIssued',
  'ChannelTokenRevoked',
];
