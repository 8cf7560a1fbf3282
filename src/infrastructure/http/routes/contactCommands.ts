import Router from '@koa/router';
import { deleteContact } from '../../../application/contacts/deleteContact';
import { eraseContact } from '../../../application/contacts/eraseContact';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import type * as t from 'io-ts';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { contactDeletedAnswer } from '../codecs/operationAnswers';
import { serve, type RouteContract } from '../contract';
import { erasedAnswer } from '../codecs/privacyAnswers';
import { idempotencyKeyHeader, positionHeader } from '../openapi/schema';
import { commandContext, idempotencyKeyOf, orThrow, setPosition } from '../respond';

/** What these routes use, and nothing more. */
export type ContactCommandRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'subjectKeys'>;

export const deleteContactContract: RouteContract = {
  method: 'delete',
  path: '/api/contacts/{id}',
  tags: ['contacts'],
  summary: 'Delete a contact (admin or operator): its data stops matching',
  security: 'bearer',
  params: { id: 'contact id; a merged id deletes its survivor' },
  response: {
    status: 200,
    description: 'deleted',
    codec: contactDeletedAnswer,
    headers: positionHeader,
  },
  errors: ['E_UNAUTHORIZED', 'E_CONTACT_NOT_FOUND', 'E_CONTACT_DELETED'],
  errorNotes: {
    401: 'no or a wrong bearer token',
    404: 'no such contact, or already deleted',
  },
};

export const eraseContactContract: RouteContract = {
  method: 'post',
  path: '/api/contacts/{id}/erase',
  tags: ['contacts'],
  summary:
    'Erase a person (admin only): destroys the data keys of the contact and of every contact merged into it, records ContactErased',
  description:
    'Cannot be undone. Afterwards the contact answers `410 E_CONTACT_ERASED`, inbound with its `_id` answers `404 E_CONTACT_DELETED`, its dialogs keep times and counts while their messages read `[erased]`, and the same data makes a new contact. Erasing an erased contact answers the same and records nothing. With an `Idempotency-Key` a retry answers the recorded answer; the key used for another contact is 409.',
  security: 'bearer',
  params: { id: 'contact id; a merged id names its survivor' },
  headers: [idempotencyKeyHeader()],
  response: {
    status: 200,
    description: 'erased (or erased before)',
    codec: erasedAnswer,
    headers: positionHeader,
  },
  errors: [
    'E_VALIDATION',
    'E_UNAUTHORIZED',
    'E_FORBIDDEN',
    'E_CONTACT_NOT_FOUND',
    'E_IDEMPOTENCY_CONFLICT',
  ],
  errorNotes: {
    400: 'a malformed Idempotency-Key',
    401: 'no or a wrong bearer token',
    403: 'not the admin token (operators and auditors may not)',
    404: 'no such contact',
    409: 'the key erased another contact',
  },
};

/** Contact changes by staff; reads and search are in the read-model routes. */
export const contactCommandRoutes = (deps: ContactCommandRouteDeps): Router => {
  const router = new Router<StaffState>();

  // the admin's alone (SPEC §8): it cannot be undone; operators and auditors get 403
  serve(
    router,
    eraseContactContract,
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
      const answer: t.TypeOf<typeof erasedAnswer> = {
        id: erased.contactId,
        erased: true,
        erased_contact_ids: erased.erasedContactIds,
      };
      ctx.body = answer;
    },
  );

  serve(
    router,
    deleteContactContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    async (ctx) => {
      const deleted = orThrow(
        await deleteContact(
          deps,
          (ctx.params.id ?? '').toLowerCase(),
          commandContext(ctx, deps.clock, ctx.state.actor),
        ),
      );
      setPosition(ctx, deleted.checkpoint);
      const answer: t.TypeOf<typeof contactDeletedAnswer> = {
        id: deleted.contactId,
        deleted: true,
      };
      ctx.body = answer;
    },
  );
  return router;
};
