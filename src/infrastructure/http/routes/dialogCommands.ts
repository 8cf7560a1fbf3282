import Router from '@koa/router';
import * as t from 'io-ts';
import type { Context } from 'koa';
import { assignDialog } from '../../../application/dialogs/assignDialog';
import { changeDialogStatus } from '../../../application/dialogs/changeDialogStatus';
import { replyToDialog } from '../../../application/dialogs/replyToDialog';
import { positionOf } from '../../../application/position';
import { streams } from '../../../application/streams';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import { objectIdCodec } from '../codecs/ids';
import { jsonObject } from '../codecs/primitives';
import { replyBody } from '../codecs/reply';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, idempotencyKeyOf, orThrow, setPosition } from '../respond';

export const assigneeBody = t.intersection([
  jsonObject,
  t.type({ operator_id: t.union([objectIdCodec, t.null]) }),
]);

const dialogId = (id: string | undefined) => pathId(id, 'E_DIALOG_NOT_FOUND', 'dialog not found');

/** What these routes use, and nothing more. */
export type DialogCommandRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'config'>;

/**
 * What operators do to dialogs (SPEC §3): reply, assign, close and reopen. The admin token or
 * an operator's; the bearer is the actor of every event.
 */
export const dialogCommandRoutes = (deps: DialogCommandRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/dialogs' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  const reply = replyBody(deps.config.limits);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens));

  router.post('/:id/messages', body, async (ctx) => {
    const id = dialogId(ctx.params.id);
    const b = decodeOrThrow(reply, ctx.request.body, 'reply');
    const sent = orThrow(
      await replyToDialog(
        deps,
        {
          dialogId: id,
          text: b.text ?? null,
          html: b.html ?? null,
          attachments: b.attachments ?? [],
          idempotencyKey: idempotencyKeyOf(ctx),
        },
        commandContext(ctx, deps.clock, ctx.state.actor),
      ),
    );
    setPosition(ctx, await positionOf(deps.store, streams.dialog(id), sent.handled));
    ctx.status = 201;
    ctx.body = { dialog_id: id, message_id: sent.messageId, direction: 'outgoing' };
  });

  const assign = async (ctx: Context & { state: StaffState }, assigneeId: string | null) => {
    const id = dialogId(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const handled = orThrow(await assignDialog(deps, { dialogId: id, assigneeId }, context));
    setPosition(ctx, await positionOf(deps.store, streams.dialog(id), handled));
    ctx.body = { dialog_id: id, assignee_id: assigneeId };
  };
  router.put('/:id/assignee', body, async (ctx) =>
    assign(ctx, decodeOrThrow(assigneeBody, ctx.request.body, 'assignee').operator_id),
  );
  router.delete('/:id/assignee', async (ctx) => assign(ctx, null));

  for (const [action, to] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    router.post(`/:id/${action}`, async (ctx) => {
      const id = dialogId(ctx.params.id);
      const context = commandContext(ctx, deps.clock, ctx.state.actor);
      const handled = orThrow(await changeDialogStatus(deps, { dialogId: id, to }, context));
      setPosition(ctx, await positionOf(deps.store, streams.dialog(id), handled));
      ctx.body = { dialog_id: id, status: to };
    });
  }

  return router;
};
