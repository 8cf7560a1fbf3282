import type { OperatorId } from '../shared/ids';
import type { OperatorEvent } from './events';

export type OperatorToken = Readonly<{
  tokenId: string;
  tokenHash: string;
  prefix: string;
  issuedAt: string;
}>;

export type Operator =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      status: 'active';
      operatorId: OperatorId;
      name: string;
      createdAt: string;
      /** live tokens only: a revoked token is gone from state, its events stay for audit */
      tokens: readonly OperatorToken[];
    }>;

export const initialState = (): Operator => ({ status: 'absent' });

export const evolve = (state: Operator, event: OperatorEvent): Operator => {
  if (event.type === 'OperatorCreated') {
    const { operatorId, name, createdAt } = event.data;
    return { status: 'active', operatorId, name, createdAt, tokens: [] };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'OperatorTokenIssued': {
      const { tokenId, tokenHash, prefix, issuedAt } = event.data;
      return { ...state, tokens: [...state.tokens, { tokenId, tokenHash, prefix, issuedAt }] };
    }
    case 'OperatorTokenRevoked':
      return { ...state, tokens: state.tokens.filter((t) => t.tokenId !== event.data.tokenId) };
  }
};
