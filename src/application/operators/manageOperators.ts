import { map, type Either } from 'fp-ts/Either';
import type { DomainError } from '../../domain/errors';
import { operatorDecider } from '../../domain/operator/decide';
import type { OperatorEvent } from '../../domain/operator/events';
import type { Operator } from '../../domain/operator/state';
import { handleCommand, loadAggregate, type AggregateDeps, type Handled } from '../aggregates';
import type { CommandContext } from '../context';
import { streams } from '../streams';
import { newOperatorToken } from './operatorToken';

export type IssuedToken = Readonly<{
  operatorId: string;
  tokenId: string;
  /** shown once: only its hash is recorded */
  token: string;
  handled: Handled<OperatorEvent, Operator>;
}>;

export const createOperator = async (
  deps: AggregateDeps,
  input: Readonly<{ name: string }>,
  context: CommandContext,
): Promise<Either<DomainError, IssuedToken>> => {
  const operatorId = deps.ids.objectId();
  const tokenId = deps.ids.objectId();
  const { token, spec } = newOperatorToken(operatorId, tokenId);
  const result = await handleCommand(
    deps,
    streams.operator(operatorId),
    operatorDecider,
    {
      type: 'CreateOperator',
      data: { operatorId, name: input.name, token: spec, now: context.now.toISOString() },
    },
    context,
  );
  return map((handled: Handled<OperatorEvent, Operator>) => ({
    operatorId,
    tokenId,
    token,
    handled,
  }))(result);
};

export const issueOperatorToken = async (
  deps: AggregateDeps,
  operatorId: string,
  context: CommandContext,
): Promise<Either<DomainError, IssuedToken>> => {
  const tokenId = deps.ids.objectId();
  const { token, spec } = newOperatorToken(operatorId, tokenId);
  const result = await handleCommand(
    deps,
    streams.operator(operatorId),
    operatorDecider,
    { type: 'IssueOperatorToken', data: { token: spec, now: context.now.toISOString() } },
    context,
  );
  return map((handled: Handled<OperatorEvent, Operator>) => ({
    operatorId,
    tokenId,
    token,
    handled,
  }))(result);
};

export const revokeOperatorToken = (
  deps: AggregateDeps,
  operatorId: string,
  tokenId: string,
  context: CommandContext,
): Promise<Either<DomainError, Handled<OperatorEvent, Operator>>> =>
  handleCommand(
    deps,
    streams.operator(operatorId),
    operatorDecider,
    { type: 'RevokeOperatorToken', data: { tokenId, now: context.now.toISOString() } },
    context,
  );

/** The operator as its stream says, never as a read model that may lag. */
export const loadOperator = async (
  deps: Pick<AggregateDeps, 'store'>,
  operatorId: string,
): Promise<Operator> =>
  (await loadAggregate(deps.store, streams.operator(operatorId), operatorDecider)).state;
