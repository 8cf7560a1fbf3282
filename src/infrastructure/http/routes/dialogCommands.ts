import Router from '@koa/router';
import * as t from 'io-ts';
import type { Context, Middleware } from 'koa';
import { newReplyId } from '../../../application/dialogs/replyToDialog';
import { dialogDecider } from '../../../domain/dialog/decide';
import { recordUploads, storeUploads, type StoredUpload } from '../../attachments/uploads';
import { readMultipart } from '../middleware/multipartBody';
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
import { IDEMPOTENCY_KEY, replyBody } from '../codecs/reply';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const assigneeBody = t.intersection([
  jsonObject,
  t.type({ operator_id: t.union([objectIdCodec, t.null]) }),
]);

const dialogId = (id: string | undefined) => pathId(id, 'E_DIALOG_NOT_FOUND', 'dialog not found');

const idempotencyKeyOf = (ctx: Context): string | null => {
  const key = ctx.get('idempotency-key');
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError('E_VALIDATION', 'the Idempotency-Key header is not valid', [
      { path: '(header) Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return key;
};

/** What these routes use, and nothing more. */
export type DialogCommandRouteDeps = StaffAuthDeps &
  CommandDeps &
  Pick<ParleyDeps, 'config' | 'pool' | 'publicUrl' | 'attachmentStorage' | 'subjectKeys'>;

const isMultipart = (ctx: Context): boolean =>
  ctx.is('multipart/form-data') === 'multipart/form-data';

const jsonOrMultipart =
  (json: Middleware): Middleware =>
  (ctx, next) =>
    isMultipart(ctx) ? next() : json(ctx, next);

/**
 * What operators do to dialogs (SPEC §3): reply, assign, close and reopen. The admin token or
 * an operator's; the bearer is the actor of every event.
 */
export const dialogCommandRoutes = (deps: DialogCommandRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/dialogs' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  const reply = replyBody(deps.config.limits);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens));

  const uploadDeps = {
    pool: deps.pool,
    publicUrl: deps.publicUrl,
    commands: deps.commands,
    storage: deps.attachmentStorage,
    subjectKeys: deps.subjectKeys,
  };
  const uploadLimits = {
    fileBytes: deps.config.attachments.maxBytes,
    totalBytes: deps.config.attachments.maxBytes,
    files: deps.config.limits.attachments,
    fieldBytes: Math.max(deps.config.limits.textBytes, deps.config.limits.htmlBytes),
    fields: 8,
  };

  // a reply is JSON, or multipart/form-data when it carries files (text and html as fields)
  router.post('/:id/messages', jsonOrMultipart(body), async (ctx) => {
    const id = dialogId(ctx.params.id);
    const key = idempotencyKeyOf(ctx);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    let b: t.TypeOf<typeof reply>;
    let uploads: StoredUpload[] = [];
    let messageId: string | undefined;
    if (isMultipart(ctx)) {
      const form = await readMultipart(ctx, uploadLimits);
      const fields = Object.fromEntries(
        ['text', 'html'].flatMap((f) =>
          form.fields[f] === undefined ? [] : [[f, form.fields[f]]],
        ),
      );
      b = decodeOrThrow(reply, fields, 'reply');
      const dialog = await deps.commands.load(streams.dialog(id), dialogDecider);
      if (dialog.state.status === 'absent')
        throw new HttpError('E_DIALOG_NOT_FOUND', 'dialog not found');
      messageId = newReplyId(deps, id, key);
      uploads = await storeUploads(
        uploadDeps,
        { dialogId: id, messageId, contactId: dialog.state.contactId, first: 0 },
        form.files,
      );
    } else {
      b = decodeOrThrow(reply, ctx.request.body, 'reply');
    }
    const sent = orThrow(
      await replyToDialog(
        deps,
        {
          dialogId: id,
          text: b.text ?? null,
          html: b.html ?? null,
          attachments: [...(b.attachments ?? []), ...uploads.map((u) => u.attachment)],
          idempotencyKey: key,
          ...(messageId === undefined ? {} : { messageId }),
        },
        context,
      ),
    );
    await recordUploads(uploadDeps, uploads, context);
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
