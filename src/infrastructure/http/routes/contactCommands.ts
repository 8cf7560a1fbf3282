import Router from '@koa/router';
import { deleteContact } from '../../../application/contacts/deleteContact';
import { eraseContact } from '../../../application/contacts/eraseContact';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { commandContext, idempotencyKeyOf, orThrow, setPosition } from '../respond';

/** What these routes use, and nothing more. */
export type ContactCommandRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'subjectKeys'>;

/** Contact changes by staff; reads and search are in the read-model routes. */
export const contactCommandRoutes = (deps: ContactCommandRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/contacts' });

  // the admin's alone (SPEC §8): it cannot be undone; operators and auditors get 403
  router.post(
    '/:id/erase',
    staffAuth(deps.adminTokenHash, deps.operatorTokens, 'admin'),
    async (ctx) => {
      const erased = orThrow(
        await eraseContact(
          deps,
          (ctx.params.id ?? '').toLowerCase(),
          commandContext(ctx, deps.clock, ctx.state.actor),
          idempotencyKeyOf(ctx),
        ),
      );
      setPosition(ctx, erased.checkpoint);
      ctx.body = {
        id: erased.contactId,
        erased: true,
        erased_contact_ids: erased.erasedContactIds,
      };
    },
  );

  router.delete('/:id', staffAuth(deps.adminTokenHash, deps.operatorTokens), async (ctx) => {
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
