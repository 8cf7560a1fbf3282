import Router from '@koa/router';
import * as t from 'io-ts';
import {
  createAuditor,
  loadAuditors,
  removeAuditor,
} from '../../../application/audit/manageAuditors';
import { findAuditor, type Auditor } from '../../../domain/auditor/state';
import type { ParleyDeps } from '../../parley';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import { nonEmptyString } from '../codecs/primitives';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const createAuditorBody = t.type({ name: nonEmptyString(200) });

const auditorView = (auditor: Auditor) => ({
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

/**
 * Auditors (SPEC §3, §7): the admin creates and removes them; auditors may read the list like
 * every admin surface. A token is shown once, when issued; the log keeps its hash.
 */
export const auditorRoutes = (deps: ParleyDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/auditors' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  router.post('/', body, async (ctx) => {
    const { name } = decodeOrThrow(createAuditorBody, ctx.request.body, 'auditor');
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const created = orThrow(await createAuditor(deps, { name: name.trim() }, context));
    const auditor = findAuditor(created.state, created.auditorId);
    if (auditor === undefined) throw new Error('a created auditor is on the roster');
    setPosition(ctx, created.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/auditors/${created.auditorId}`);
    ctx.body = { ...auditorView(auditor), token: { id: created.tokenId, token: created.token } };
  });

  router.get('/', async (ctx) => {
    ctx.body = { items: (await loadAuditors(deps.store)).auditors.map(auditorView) };
  });

  router.delete('/:id', async (ctx) => {
    const id = auditorId(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    setPosition(ctx, orThrow(await removeAuditor(deps, id, context)));
    ctx.status = 204;
  });

  return router;
};
