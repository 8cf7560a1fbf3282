import Router from '@koa/router';
import * as t from 'io-ts';
import type { Middleware } from 'koa';
import type { AggregateDeps } from '../../../application/aggregates';
import type { Clock } from '../../../application/ports/clock';
import {
  createOperator,
  issueOperatorToken,
  loadOperator,
  revokeOperatorToken,
} from '../../../application/operators/manageOperators';
import type { Operator } from '../../../domain/operator/state';
import { positionOf } from '../../../application/position';
import type { OperatorSummary } from '../../../projections/operators/operatorQueries';
import { streams } from '../../../application/streams';
import { requireAdmin, type StaffState } from '../auth/staffAuth';
import { name } from '../codecs/common';
import { decodeOrThrow } from '../decodeRequest';
import { HttpError } from '../httpError';
import { commandContextOf, idParam, orThrow, respond } from '../staffRequest';

export type OperatorRoutesDeps = AggregateDeps &
  Readonly<{
    clock: Clock;
    auth: Middleware<StaffState>;
    /** every operator, oldest first, from a read model */
    listOperators: () => Promise<readonly OperatorSummary[]>;
  }>;

const createBody = t.exact(t.type({ name: name(200) }));

const NOT_FOUND = { code: 'E_OPERATOR_NOT_FOUND', message: 'operator not found' } as const;

const operatorJson = (operator: Exclude<Operator, { status: 'absent' }>) => ({
  id: operator.operatorId,
  name: operator.name,
  created_at: operator.createdAt,
  tokens: operator.tokens.map((token) => ({
    id: token.tokenId,
    prefix: token.prefix,
    issued_at: token.issuedAt,
  })),
});

/** Operators: admin only. A token is shown once, when issued; only its hash is recorded. */
export const operatorRoutes = (deps: OperatorRoutesDeps): Router => {
  const router = new Router<StaffState>();
  const admin = [deps.auth, requireAdmin()] as const;

  router.post('/api/operators', ...admin, async (ctx) => {
    const body = decodeOrThrow(createBody, ctx.request.body);
    const context = commandContextOf(ctx, deps.clock.now());
    const created = orThrow(await createOperator(deps, body, context));
    respond(
      ctx,
      201,
      {
        id: created.operatorId,
        name: body.name,
        created_at: context.now.toISOString(),
        token_id: created.tokenId,
        token: created.token,
      },
      created.handled.checkpoint,
    );
  });

  router.get('/api/operators', ...admin, async (ctx) => {
    const operators = await deps.listOperators();
    ctx.body = {
      items: operators.map((o) => ({ id: o.operatorId, name: o.name, created_at: o.createdAt })),
    };
  });

  router.get('/api/operators/:id', ...admin, async (ctx) => {
    const operator = await loadOperator(deps, idParam(ctx.params.id, NOT_FOUND));
    if (operator.status === 'absent') throw new HttpError(NOT_FOUND.code, NOT_FOUND.message);
    ctx.body = operatorJson(operator);
  });

  router.post('/api/operators/:id/tokens', ...admin, async (ctx) => {
    const operatorId = idParam(ctx.params.id, NOT_FOUND);
    const issued = orThrow(
      await issueOperatorToken(deps, operatorId, commandContextOf(ctx, deps.clock.now())),
    );
    respond(ctx, 201, { id: issued.tokenId, token: issued.token }, issued.handled.checkpoint);
  });

  router.delete('/api/operators/:id/tokens/:tokenId', ...admin, async (ctx) => {
    const operatorId = idParam(ctx.params.id, NOT_FOUND);
    const tokenId = idParam(ctx.params.tokenId, {
      code: 'E_TOKEN_NOT_FOUND',
      message: 'no live token with this id on the operator',
    });
    const handled = orThrow(
      await revokeOperatorToken(deps, operatorId, tokenId, commandContextOf(ctx, deps.clock.now())),
    );
    respond(
      ctx,
      204,
      undefined,
      await positionOf(deps.store, streams.operator(operatorId), handled),
    );
  });

  return router;
};
