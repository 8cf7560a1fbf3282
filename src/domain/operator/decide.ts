import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { OperatorCommand, OperatorTokenSpec } from './commands';
import type { OperatorEvent } from './events';
import { evolve, initialState, type Operator } from './state';

type Decision = Either<DomainError, readonly OperatorEvent[]>;
type Existing = Exclude<Operator, { status: 'absent' }>;

const tokenIssued = (operatorId: string, token: OperatorTokenSpec, now: string): OperatorEvent => ({
  type: 'OperatorTokenIssued',
  data: { operatorId, ...token, issuedAt: now },
});

const onOperator = (state: Operator, decision: (operator: Existing) => Decision): Decision =>
  state.status === 'absent'
    ? left(domainError('E_OPERATOR_NOT_FOUND', 'operator not found'))
    : decision(state);

export const decide = (command: OperatorCommand, state: Operator): Decision => {
  switch (command.type) {
    case 'CreateOperator': {
      if (state.status !== 'absent')
        return left(domainError('E_ALREADY_EXISTS', 'operator already exists'));
      const { operatorId, name, token, now } = command.data;
      return right([
        { type: 'OperatorCreated', data: { operatorId, name, createdAt: now } },
        tokenIssued(operatorId, token, now),
      ]);
    }
    case 'IssueOperatorToken':
      return onOperator(state, (operator) =>
        operator.tokens.some((t) => t.tokenId === command.data.token.tokenId)
          ? right([])
          : right([tokenIssued(operator.operatorId, command.data.token, command.data.now)]),
      );
    case 'RevokeOperatorToken':
      return onOperator(state, (operator) =>
        operator.tokens.some((t) => t.tokenId === command.data.tokenId)
          ? right([
              {
                type: 'OperatorTokenRevoked',
                data: {
                  operatorId: operator.operatorId,
                  tokenId: command.data.tokenId,
                  revokedAt: command.data.now,
                },
              },
            ])
          : left(domainError('E_TOKEN_NOT_FOUND', 'no live token with this id on the operator')),
      );
    default:
      return absurd(command);
  }
};

export const operatorDecider: Decider<OperatorCommand, OperatorEvent, Operator> = {
  initialState,
  evolve,
  decide,
};
