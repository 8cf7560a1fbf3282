import type { ChannelId } from '../shared/ids';
import type { ChannelEvent } from './events';

export type ChannelToken = Readonly<{
  tokenId: string;
  tokenHash: string;
  prefix: string;
  issuedAt: string;
}>;

export type Channel =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      status: 'active' | 'deleted';
      channelId: ChannelId;
      name: string;
      createdAt: string;
      enabled: boolean;
      /** live tokens only: a revoked token is gone from state, its events stay for audit */
      tokens: readonly ChannelToken[];
    }>;

export const initialState = (): Channel => ({ status: 'absent' });

export const evolve = (state: Channel, event: ChannelEvent): Channel => {
  if (event.type === 'ChannelCreated') {
    const { channelId, name, createdAt } = event.data;
    return { status: 'active', channelId, name, createdAt, enabled: true, tokens: [] };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'ChannelRenamed':
      return { ...state, name: event.data.name };
    case 'ChannelEnabled':
      return { ...state, enabled: true };
    case 'ChannelDisabled':
      return { ...state, enabled: false };
    case 'ChannelDeleted':
      return { ...state, status: 'deleted' };
    case 'ChannelTokenIssued': {
      const { tokenId, tokenHash, prefix, issuedAt } = event.data;
      return { ...state, tokens: [...state.tokens, { tokenId, tokenHash, prefix, issuedAt }] };
    }
    case 'ChannelTokenRevoked':
      return { ...state, tokens: state.tokens.filter((t) => t.tokenId !== event.data.tokenId) };
  }
};
