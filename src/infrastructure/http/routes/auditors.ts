import Router from '@koa/router';
import * as t from 'io-ts';
import {
  createAuditor,
  loadAuditors,
  removeAuditor,
} from '../../../application/audit/manageAuditors';
import { findAuditor, type Auditor } from '../../../domain/auditor/state';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import { auditorAnswer, auditorListAnswer, createdAuditorAnswer } from '../codecs/historyAnswers';
import { serve, type RouteContract } from '../contract';
import { positionHeader } from '../openapi/schema';
import { nonEmptyString } from '../codecs/primitives';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const createAuditorBody = t.type({ name: nonEmptyString(200) });

const auditorView = (auditor: Auditor): t.TypeOf<typeof auditorAnswer> => ({
  id: auditor.auditorId,
  name: auditor.name,
  created_at: auditor.createdAt,
  tokens: auditor.tokens.map((tk) => ({
    id: tk.tokenId,
    prefix: tk.prefix,
    issued_at: tk.issuedAt,
  })),
});

const auditorId = (id: string | undefined) => pathId(id, 'E_NOT_FOUND', 'auditor not found');

const roster = {
  tags: ['audit'],
  security: 'bearer',
  errorNotes: {
    400: 'bad request',
    401: 'no or a wrong bearer token',
    403: 'not the admin token',
    404: 'no such auditor',
  },
} as const;
const adminOnly = ['E_UNAUTHORIZED', 'E_FORBIDDEN'] as const;

export const createAuditorContract: RouteContract = {
  ...roster,
  method: 'post',
  path: '/api/auditors',
  summary: 'Create an auditor (admin), with a token shown once: reads everything, changes nothing',
  body: createAuditorBody,
  response: {
    status: 201,
    description: 'created',
    codec: createdAuditorAnswer,
    headers: positionHeader,
  },
  errors: ['E_VALIDATION', 'E_MALFORMED_JSON', ...adminOnly],
};

export const listAuditorsContract: RouteContract = {
  ...roster,
  method: 'get',
  path: '/api/auditors',
  summary: 'Every current auditor (admin or auditor), from the auditors stream',
  response: { status: 200, description: 'auditors, oldest first', codec: auditorListAnswer },
  errors: adminOnly,
};

export const removeAuditorContract: RouteContract = {
  ...roster,
  method: 'delete',
  path: '/api/auditors/{id}',
  params: { id: 'auditor id' },
  summary: 'Remove an auditor (admin): their tokens stop working at the next request',
  response: { status: 204, description: 'removed', headers: positionHeader },
  errors: [...adminOnly, 'E_NOT_FOUND'],
};

export const auditorContracts = [
  createAuditorContract,
  listAuditorsContract,
  removeAuditorContract,
];

/**
 * Auditors (SPEC §3, §7): the admin creates and removes them; auditors may read the list like
 * every admin surface. A token is shown once, when issued; the log keeps its hash.
 */
/** What this route uses, and nothing more. */
export type AuditorRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'config'>;

export const auditorRoutes = (deps: AuditorRouteDeps): Router => {
  const router = new Router<StaffState>();
  const body = jsonBody(deps.config.limits.bodyBytes);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  serve(router, createAuditorContract, body, async (ctx) => {
    const { name } = decodeOrThrow(createAuditorBody, ctx.request.body, 'auditor');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const created = orThrow(await createAuditor(deps, { name: name.trim() }, context));
    const auditor = findAuditor(created.state, created.auditorId);
    if (auditor === undefined) throw new Error('a created auditor is on the roster');
    setPosition(ctx, created.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/auditors/${created.auditorId}`);
    const answer: t.TypeOf<typeof createdAuditorAnswer> = {
      ...auditorView(auditor),
      token: { id: created.tokenId, token: created.token },
    };
    ctx.body = answer;
  });

  serve(router, listAuditorsContract, async (ctx) => {
    ctx.body = { items: (await loadAuditors(deps.store)).auditors.map(auditorView) };
  });

  serve(router, removeAuditorContract, async (ctx) => {
    const id = auditorId(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    setPosition(ctx, orThrow(await removeAuditor(deps, id, context)));
    ctx.status = 204;
  });

  return router;
};
