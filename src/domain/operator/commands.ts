import type { Command } from '../shared/decider';
import type { OperatorId } from '../shared/ids';

/** A token as the application made it: the token itself never reaches the domain. */
export type OperatorTokenSpec = Readonly<{ tokenId: string; tokenHash: string; prefix: string }>;

/** An operator is created with a first token, so that creating one is enough to let them in. */
export type CreateOperator = Command<
  'CreateOperator',
  { operatorId: OperatorId; name: string; token: OperatorTokenSpec; now: string }
>;
export type IssueOperatorToken = Command<
  'IssueOperatorToken',
  { token: OperatorTokenSpec; now: string }
>;
export type RevokeOperatorToken = Command<'RevokeOperatorToken', { tokenId: string; now: string }>;

export type OperatorCommand = CreateOperator | IssueOperatorToken | RevokeOperatorToken;
