import type { Command } from '../shared/decider';
import type { ChannelId } from '../shared/ids';

export type CreateChannel = Command<
  'CreateChannel',
  { channelId: ChannelId; name: string; now: string }
>;
export type RenameChannel = Command<'RenameChannel', { name: string }>;
export type EnableChannel = Command<'EnableChannel', Record<string, never>>;
export type DisableChannel = Command<'DisableChannel', Record<string, never>>;
export type DeleteChannel = Command<'DeleteChannel', { now: string }>;
export type IssueChannelToken = Command<
  'IssueChannelToken',
  { tokenId: string; tokenHash: string; prefix: string; now: string }
>;
export type RevokeChannelToken = Command<'RevokeChannelToken', { tokenId: string; now: string }>;

export type ChannelCommand =
  | CreateChannel
  | RenameChannel
  | EnableChannel
  | DisableChannel
  | DeleteChannel
  | IssueChannelToken
  | RevokeChannelToken;
