import { map, type Either } from 'fp-ts/Either';
import type { DomainError } from '../../domain/errors';
import type { OperatorCommand } from '../../domain/operator/commands';
import { operatorDecider } from '../../domain/operator/decide';
import type { OperatorEvent } from '../../domain/operator/events';
import type { Operator } from '../../domain/operator/state';
import type { CommandDeps, Handled } from '../commandHandler';
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

/** Records a command that carries a new token; answers the token, shown this once. */
const withNewToken = async (
  deps: CommandDeps,
  operatorId: string,
  command: (token: ReturnType<typeof newOperatorToken>['spec']) => OperatorCommand,
  context: CommandContext,
): Promise<Either<DomainError, IssuedToken>> => {
  const tokenId = deps.ids.objectId();
  const { token, spec } = newOperatorToken(operatorId, tokenId);
  const result = await deps.commands.handle(
    streams.operator(operatorId),
    operatorDecider,
    command(spec),
    context,
  );
  return map((handled: Handled<OperatorEvent, Operator>) => ({
    operatorId,
    tokenId,
    token,
    handled,
  }))(result);
};

export const createOperator = (
  deps: CommandDeps,
  input: Readonly<{ name: string }>,
  context: CommandContext,
): Promise<Either<DomainError, IssuedToken>> => {
  const operatorId = deps.ids.objectId();
  return withNewToken(
    deps,
    operatorId,
    (token) => ({
      type: 'CreateOperator',
      data: { operatorId, name: input.name, token, now: context.now.toISOString() },
    }),
    context,
  );
};

export const issueOperatorToken = (
  deps: CommandDeps,
  operatorId: string,
  context: CommandContext,
): Promise<Either<DomainError, IssuedToken>> =>
  withNewToken(
    deps,
    operatorId,
    (token) => ({ type: 'IssueOperatorToken', data: { token, now: context.now.toISOString() } }),
    context,
  );

export const revokeOperatorToken = (
  deps: CommandDeps,
  operatorId: string,
  tokenId: string,
  context: CommandContext,
): Promise<Either<DomainError, Handled<OperatorEvent, Operator>>> =>
  deps.commands.handle(
    streams.operator(operatorId),
    operatorDecider,
    { type: 'RevokeOperatorToken', data: { tokenId, now: context.now.toISOString() } },
    context,
  );

/** The operator as its stream says, never as a read model that may lag. */
export const loadOperator = async (
  deps: Pick<CommandDeps, 'commands'>,
  operatorId: string,
): Promise<Operator> =>
  (await deps.commands.load(streams.operator(operatorId), operatorDecider)).state;
