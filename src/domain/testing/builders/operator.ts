import type { OperatorCommand } from '../../operator/commands';
import type { OperatorEvent } from '../../operator/events';
import { OPERATOR, T0, T1 } from './ids';
import { builderOf } from './builder';

const event = builderOf<OperatorEvent>();
const command = builderOf<OperatorCommand>();

export const OPERATOR_TOKEN = {
  tokenId: 'f0000000000000000000001a',
  tokenHash: 'e'.repeat(64),
  prefix: `pop_${OPERATOR}_abcd`,
};
export const OTHER_OPERATOR_TOKEN = {
  tokenId: 'f0000000000000000000001b',
  tokenHash: 'f'.repeat(64),
  prefix: `pop_${OPERATOR}_wxyz`,
};

export const operatorCreated = event('OperatorCreated', () => ({
  operatorId: OPERATOR,
  name: 'Masha',
  createdAt: T0,
}));
export const operatorTokenIssued = event('OperatorTokenIssued', () => ({
  operatorId: OPERATOR,
  ...OPERATOR_TOKEN,
  issuedAt: T0,
}));
export const operatorTokenRevoked = event('OperatorTokenRevoked', () => ({
  operatorId: OPERATOR,
  tokenId: OPERATOR_TOKEN.tokenId,
  revokedAt: T1,
}));

export const createOperator = command('CreateOperator', () => ({
  operatorId: OPERATOR,
  name: 'Masha',
  token: OPERATOR_TOKEN,
  now: T0,
}));
export const issueOperatorToken = command('IssueOperatorToken', () => ({
  token: OTHER_OPERATOR_TOKEN,
  now: T1,
}));
export const revokeOperatorToken = command('RevokeOperatorToken', () => ({
  tokenId: OPERATOR_TOKEN.tokenId,
  now: T1,
}));
