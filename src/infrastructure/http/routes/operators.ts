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
import { nonEmptyString } from '../codecs/primitives';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const createOperatorBody = t.type({ name: nonEmptyString(200) });

const operatorView = (operator: Exclude<Operator, { status: 'absent' }>) => ({
  id: operator.operatorId,
  name: operator.name,
  created_at: operator.createdAt,
  tokens: operator.tokens.map((t) => ({ id: t.tokenId, prefix: t.prefix, issued_at: t.issuedAt })),
});

const operatorId = (id: string | undefined) =>
  pathId(id, 'E_OPERATOR_NOT_FOUND', 'operator not found');

/** What these routes use, and nothing more. */
export type OperatorRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'config' | 'pool'>;

/** Operators, admin only (SPEC §3). A token is shown once, when issued; the log keeps its hash. */
export const operatorRoutes = (deps: OperatorRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/operators' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  router.post('/', body, async (ctx) => {
    const { name } = decodeOrThrow(createOperatorBody, ctx.request.body, 'operator');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const created = orThrow(await createOperator(deps, { name: name.trim() }, context));
    const { state } = created.handled;
    if (state.status === 'absent') throw new Error('a created operator has state');
    setPosition(ctx, created.handled.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/operators/${created.operatorId}`);
    ctx.body = { ...operatorView(state), token: { id: created.tokenId, token: created.token } };
  });

  router.get('/', async (ctx) => {
    ctx.body = {
      items: (await listOperators(deps.pool)).map((o) => ({
        id: o.operatorId,
        name: o.name,
        created_at: o.createdAt,
      })),
    };
  });

  router.get('/:id', async (ctx) => {
    const operator = await loadOperator(deps, operatorId(ctx.params.id));
    if (operator.status === 'absent')
      throw new HttpError('E_OPERATOR_NOT_FOUND', 'operator not found');
    ctx.body = operatorView(operator);
  });

  router.post('/:id/tokens', async (ctx) => {
    const id = operatorId(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const issued = orThrow(await issueOperatorToken(deps, id, context));
    setPosition(ctx, issued.handled.checkpoint);
    ctx.status = 201;
    ctx.body = { id: issued.tokenId, token: issued.token };
  });

  router.delete('/:id/tokens/:tokenId', async (ctx) => {
    const id = operatorId(ctx.params.id);
    const tokenId = pathId(ctx.params.tokenId, 'E_TOKEN_NOT_FOUND', 'no live token with this id');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const handled = orThrow(await revokeOperatorToken(deps, id, tokenId, context));
    setPosition(ctx, await positionOf(deps.store, streams.operator(id), handled));
    ctx.status = 204;
  });

  return router;
};
