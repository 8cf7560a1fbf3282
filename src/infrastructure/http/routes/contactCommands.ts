import Router from '@koa/router';
import { deleteContact } from '../../../application/contacts/deleteContact';
import type { CommandDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { commandContext, orThrow, setPosition } from '../respond';

/** What these routes use, and nothing more. */
export type ContactCommandRouteDeps = StaffAuthDeps & CommandDeps;

/** Contact changes by staff; reads and search are in the read-model routes. */
export const contactCommandRoutes = (deps: ContactCommandRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/contacts' });
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens));

  router.delete('/:id', async (ctx) => {
    const deleted = orThrow(
      await deleteContact(
        deps,
        (ctx.params.id ?? '').toLowerCase(),
        commandContext(ctx, deps.clock, ctx.state.actor),
      ),
    );
    setPosition(ctx, deleted.checkpoint);
    ctx.body = { id: deleted.contactId, deleted: true };
  });
  return router;
};
