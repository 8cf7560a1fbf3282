import Router from '@koa/router';
import * as t from 'io-ts';
import type { Middleware } from 'koa';
import type { AggregateDeps } from '../../../application/aggregates';
import { assignDialog } from '../../../application/dialogs/assignDialog';
import { changeDialogStatus } from '../../../application/dialogs/changeDialogStatus';
import { replyToDialog } from '../../../application/dialogs/replyToDialog';
import type { Clock } from '../../../application/ports/clock';
import { positionOf } from '../../../application/position';
import { streams } from '../../../application/streams';
import type { Limits } from '../../config';
import type { StaffState } from '../auth/staffAuth';
import { objectId } from '../codecs/common';
import { IDEMPOTENCY_KEY, replyBody } from '../codecs/reply';
import { decodeOrThrow } from '../decodeRequest';
import { HttpError } from '../httpError';
import { commandContextOf, idParam, orThrow, respond, type StaffContext } from '../staffRequest';

export type DialogCommandDeps = AggregateDeps &
  Readonly<{ clock: Clock; limits: Limits; auth: Middleware<StaffState> }>;

const NOT_FOUND = { code: 'E_DIALOG_NOT_FOUND', message: 'dialog not found' } as const;
const assigneeBody = t.exact(t.type({ operator_id: t.union([objectId, t.null]) }));

const idempotencyKeyOf = (ctx: StaffContext): string | null => {
  const key = ctx.get('idempotency-key');
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError('E_VALIDATION', 'the Idempotency-Key header is not valid', [
      { path: '$.headers.idempotency-key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return key;
};

/** What operators do to dialogs: reply, assign, close and reopen. Admin or operator token. */
export const dialogCommandRoutes = (deps: DialogCommandDeps): Router => {
  const router = new Router<StaffState>();
  const reply = replyBody(deps.limits);

  router.post('/api/dialogs/:id/messages', deps.auth, async (ctx) => {
    const dialogId = idParam(ctx.params.id, NOT_FOUND);
    const body = decodeOrThrow(reply, ctx.request.body);
    const sent = orThrow(
      await replyToDialog(
        deps,
        {
          dialogId,
          text: body.text ?? null,
          html: body.html ?? null,
          attachments: body.attachments ?? [],
          idempotencyKey: idempotencyKeyOf(ctx),
        },
        commandContextOf(ctx, deps.clock.now()),
      ),
    );
    respond(
      ctx,
      201,
      { dialog_id: dialogId, message_id: sent.messageId, direction: 'outgoing' },
      await positionOf(deps.store, streams.dialog(dialogId), sent.handled),
    );
  });

  const assign = async (ctx: StaffContext, assigneeId: string | null) => {
    const dialogId = idParam(ctx.params.id, NOT_FOUND);
    const handled = orThrow(
      await assignDialog(deps, { dialogId, assigneeId }, commandContextOf(ctx, deps.clock.now())),
    );
    respond(
      ctx,
      200,
      { dialog_id: dialogId, assignee_id: assigneeId },
      await positionOf(deps.store, streams.dialog(dialogId), handled),
    );
  };
  router.put('/api/dialogs/:id/assignee', deps.auth, async (ctx) =>
    assign(ctx, decodeOrThrow(assigneeBody, ctx.request.body).operator_id),
  );
  router.delete('/api/dialogs/:id/assignee', deps.auth, async (ctx) => assign(ctx, null));

  for (const [action, to] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    router.post(`/api/dialogs/:id/${action}`, deps.auth, async (ctx) => {
      const dialogId = idParam(ctx.params.id, NOT_FOUND);
      const handled = orThrow(
        await changeDialogStatus(deps, { dialogId, to }, commandContextOf(ctx, deps.clock.now())),
      );
      respond(
        ctx,
        200,
        { dialog_id: dialogId, status: to },
        await positionOf(deps.store, streams.dialog(dialogId), handled),
      );
    });
  }

  return router;
};
