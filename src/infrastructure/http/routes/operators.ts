import Router from '@koa/router';
import * as t from 'io-ts';
import {
  createOperator,
  issueOperatorToken,
  loadOperator,
  revokeOperatorToken,
} from '../../../application/operators/manageOperators';
import { positionOf } from '../../../application/position';
import { streams } from '../../../application/streams';
import type { Operator } from '../../../domain/operator/state';
import { listOperators } from '../../../projections/operators/operatorQueries';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import {
  createdOperatorAnswer,
  operatorAnswer,
  operatorListAnswer,
  operatorTokenAnswer,
} from '../codecs/operatorAnswers';
import { serve, type RouteContract } from '../contract';
import { positionHeader } from '../openapi/schema';
import { nonEmptyString } from '../codecs/primitives';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const createOperatorBody = t.type({ name: nonEmptyString(200) });

const operatorView = (
  operator: Exclude<Operator, { status: 'absent' }>,
): t.TypeOf<typeof operatorAnswer> => ({
  id: operator.operatorId,
  name: operator.name,
  created_at: operator.createdAt,
  tokens: operator.tokens.map((t) => ({ id: t.tokenId, prefix: t.prefix, issued_at: t.issuedAt })),
});

const operatorId = (id: string | undefined) =>
  pathId(id, 'E_OPERATOR_NOT_FOUND', 'operator not found');

const admin = {
  tags: ['operators'],
  security: 'bearer',
  params: { id: 'operator id' },
  errorNotes: {
    400: 'bad request',
    401: 'no or a wrong bearer token',
    403: 'not the admin token',
    404: 'no such operator',
  },
} as const;
const adminOnly = ['E_UNAUTHORIZED', 'E_FORBIDDEN'] as const;
const positioned = { headers: positionHeader } as const;

export const createOperatorContract: RouteContract = {
  ...admin,
  params: {},
  method: 'post',
  path: '/api/operators',
  summary: 'Create an operator (admin), with a first token shown once',
  body: createOperatorBody,
  response: { status: 201, description: 'created', codec: createdOperatorAnswer, ...positioned },
  errors: ['E_VALIDATION', 'E_MALFORMED_JSON', ...adminOnly],
};

export const listOperatorsContract: RouteContract = {
  ...admin,
  params: {},
  method: 'get',
  path: '/api/operators',
  summary: 'Every operator (admin), from the operators read model',
  response: { status: 200, description: 'operators, oldest first', codec: operatorListAnswer },
  errors: adminOnly,
};

export const getOperatorContract: RouteContract = {
  ...admin,
  method: 'get',
  path: '/api/operators/{id}',
  summary: 'An operator, read from its event stream (admin)',
  response: { status: 200, description: 'the operator', codec: operatorAnswer },
  errors: [...adminOnly, 'E_OPERATOR_NOT_FOUND'],
};

export const issueOperatorTokenContract: RouteContract = {
  ...admin,
  method: 'post',
  path: '/api/operators/{id}/tokens',
  summary: 'Issue another token (admin)',
  response: {
    status: 201,
    description: 'the token, shown once',
    codec: operatorTokenAnswer,
    ...positioned,
  },
  errors: [...adminOnly, 'E_OPERATOR_NOT_FOUND'],
};

export const revokeOperatorTokenContract: RouteContract = {
  ...admin,
  method: 'delete',
  path: '/api/operators/{id}/tokens/{tokenId}',
  params: { ...admin.params, tokenId: 'token id' },
  summary: 'Revoke a token (admin); it stops working at the next request',
  response: { status: 204, description: 'revoked', ...positioned },
  errors: [...adminOnly, 'E_OPERATOR_NOT_FOUND', 'E_TOKEN_NOT_FOUND'],
  errorNotes: { ...admin.errorNotes, 404: 'no such operator or live token' },
};

export const operatorContracts = [
  createOperatorContract,
  listOperatorsContract,
  getOperatorContract,
  issueOperatorTokenContract,
  revokeOperatorTokenContract,
];

/** What these routes use, and nothing more. */
export type OperatorRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'config' | 'pool'>;

/** Operators, admin only (SPEC §3). A token is shown once, when issued; the log keeps its hash. */
export const operatorRoutes = (deps: OperatorRouteDeps): Router => {
  const router = new Router<StaffState>();
  const body = jsonBody(deps.config.limits.bodyBytes);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  serve(router, createOperatorContract, body, async (ctx) => {
    const { name } = decodeOrThrow(createOperatorBody, ctx.request.body, 'operator');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const created = orThrow(await createOperator(deps, { name: name.trim() }, context));
    const { state } = created.handled;
    if (state.status === 'absent') throw new Error('a created operator has state');
    setPosition(ctx, created.handled.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/operators/${created.operatorId}`);
    const answer: t.TypeOf<typeof createdOperatorAnswer> = {
      ...operatorView(state),
      token: { id: created.tokenId, token: created.token },
    };
    ctx.body = answer;
  });

  serve(router, listOperatorsContract, async (ctx) => {
    const answer: t.TypeOf<typeof operatorListAnswer> = {
      items: (await listOperators(deps.pool)).map((o) => ({
        id: o.operatorId,
        name: o.name,
        created_at: o.createdAt,
      })),
    };
    ctx.body = answer;
  });

  serve(router, getOperatorContract, async (ctx) => {
    const operator = await loadOperator(deps, operatorId(ctx.params.id));
    if (operator.status === 'absent')
      throw new HttpError('E_OPERATOR_NOT_FOUND', 'operator not found');
    ctx.body = operatorView(operator);
  });

  serve(router, issueOperatorTokenContract, async (ctx) => {
    const id = operatorId(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const issued = orThrow(await issueOperatorToken(deps, id, context));
    setPosition(ctx, issued.handled.checkpoint);
    ctx.status = 201;
    ctx.body = { id: issued.tokenId, token: issued.token };
  });

  serve(router, revokeOperatorTokenContract, async (ctx) => {
    const id = operatorId(ctx.params.id);
    const tokenId = pathId(ctx.params.tokenId, 'E_TOKEN_NOT_FOUND', 'no live token with this id');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const handled = orThrow(await revokeOperatorToken(deps, id, tokenId, context));
    setPosition(ctx, await positionOf(deps.store, streams.operator(id), handled));
    ctx.status = 204;
  });

  return router;
};
