import { randomBytes } from 'node:crypto';
import type { OperatorTokenSpec } from '../../domain/operator/commands';
import type { OperatorId } from '../../domain/shared/ids';
import { hashToken } from '../secrets';

/**
 * `pop_<operatorId>_<secret>`: the operator's id inside the token finds the one stream to check,
 * so authentication needs no index and no read model that may lag.
 */
const OPERATOR_TOKEN = /^pop_([0-9a-f]{24})_[A-Za-z0-9_-]{32,}$/;

export const operatorIdOfToken = (token: string): OperatorId | null =>
  OPERATOR_TOKEN.exec(token)?.[1] ?? null;

export type NewOperatorToken = Readonly<{ token: string; spec: OperatorTokenSpec }>;

export const newOperatorToken = (operatorId: OperatorId, tokenId: string): NewOperatorToken => {
  const token = `pop_${operatorId}_${randomBytes(32).toString('base64url')}`;
  // enough of the token to tell tokens apart in a list, far too little to guess the rest
  const prefix = token.slice(0, 'pop_'.length + operatorId.length + 1 + 4);
  return { token, spec: { tokenId, tokenHash: hashToken(token), prefix } };
};
