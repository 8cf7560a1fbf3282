import Router from '@koa/router';
import * as t from 'io-ts';
import type { Context, Middleware } from 'koa';
import { replyWithFiles } from '../../../application/dialogs/replyWithFiles';
import { keptFileList } from '../../attachments/fetchQueue';
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
import { replyBody, replyForm, uploadedFile } from '../codecs/reply';
import {
  assignedAnswer,
  replySentAnswer,
  statusAnswer,
  unassignedAnswer,
} from '../codecs/dialogAnswers';
import { serve, type RouteContract } from '../contract';
import { named } from '../openapi/fromContracts';
import { idempotencyKeyHeader, positionHeader } from '../openapi/schema';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, idempotencyKeyOf, orThrow, setPosition } from '../respond';

export const assigneeBody = t.intersection([
  jsonObject,
  t.type({ operator_id: t.union([objectIdCodec, t.null]) }),
]);

const dialogIdOf = (id: string | undefined) => pathId(id, 'E_DIALOG_NOT_FOUND', 'dialog not found');

const command = {
  tags: ['dialogs'],
  security: 'bearer',
  params: { id: 'dialog id' },
  errorNotes: { 400: 'bad request', 401: 'no or a wrong bearer token', 404: 'no such dialog' },
} as const;
const positioned = { headers: positionHeader } as const;

export const replyContract: RouteContract = {
  ...command,
  method: 'post',
  path: '/api/dialogs/{id}/messages',
  summary: 'Reply (admin or operator): MessageSent, reopening a closed dialog',
  description:
    'With an `Idempotency-Key` header the message id is derived from the key: a retry with the same body records nothing new and answers the same; another body under the key is 409. As multipart/form-data the reply carries files (SPEC §2.1): a file, or the files together, over ATTACHMENT_MAX_BYTES is 413 E_PAYLOAD_TOO_LARGE; a body neither JSON nor multipart is 415.',
  headers: [idempotencyKeyHeader()],
  // an operator's files (SPEC §2.1), stored before the reply is appended
  bodyMedia: { 'multipart/form-data': replyForm },
  body: (limits) =>
    named('Reply', replyBody(limits), {
      '': {
        description: 'at least one of a non-empty text, html or attachments (E_MESSAGE_EMPTY)',
      },
      text: { description: `at most ${limits.textBytes} bytes (MAX_TEXT_BYTES)` },
      html: {
        description: `at most ${limits.htmlBytes} bytes (MAX_HTML_BYTES); kept as written, sanitized when served`,
      },
    }),
  response: { status: 201, description: 'sent', codec: replySentAnswer, ...positioned },
  errors: [
    'E_VALIDATION',
    'E_MALFORMED_JSON',
    'E_MESSAGE_EMPTY',
    'E_UNAUTHORIZED',
    'E_DIALOG_NOT_FOUND',
    'E_IDEMPOTENCY_CONFLICT',
    'E_CONTACT_ERASED',
    'E_PAYLOAD_TOO_LARGE',
    'E_UNSUPPORTED_MEDIA_TYPE',
  ],
  errorNotes: {
    ...command.errorNotes,
    400: 'bad or empty reply',
    409: 'the key was used for another reply',
    410: "the dialog's contact was erased",
  },
};

export const assignContract: RouteContract = {
  ...command,
  method: 'put',
  path: '/api/dialogs/{id}/assignee',
  summary: 'Assign to an operator, or unassign with null (admin or operator)',
  body: assigneeBody,
  response: { status: 200, description: 'assigned', codec: assignedAnswer, ...positioned },
  errors: [
    'E_VALIDATION',
    'E_MALFORMED_JSON',
    'E_UNAUTHORIZED',
    'E_DIALOG_NOT_FOUND',
    'E_OPERATOR_NOT_FOUND',
  ],
  errorNotes: { ...command.errorNotes, 404: 'no such dialog or operator' },
};

export const unassignContract: RouteContract = {
  ...command,
  method: 'delete',
  path: '/api/dialogs/{id}/assignee',
  summary: 'Unassign (admin or operator)',
  response: { status: 200, description: 'unassigned', codec: unassignedAnswer, ...positioned },
  errors: ['E_UNAUTHORIZED', 'E_DIALOG_NOT_FOUND'],
};

const statusContract = (action: 'close' | 'reopen', status: 'closed' | 'open'): RouteContract => ({
  ...command,
  method: 'post',
  path: `/api/dialogs/{id}/${action}`,
  summary: `${action === 'close' ? 'Close' : 'Reopen'} a dialog (admin or operator); again changes nothing`,
  response: {
    status: 200,
    description: 'the dialog’s status now',
    codec: statusAnswer(status),
    ...positioned,
  },
  errors: ['E_UNAUTHORIZED', 'E_DIALOG_NOT_FOUND'],
});

export const closeContract = statusContract('close', 'closed');
export const reopenContract = statusContract('reopen', 'open');

export const dialogCommandContracts = [
  replyContract,
  assignContract,
  unassignContract,
  closeContract,
  reopenContract,
];

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
  const router = new Router<StaffState>();
  const body = jsonBody(deps.config.limits.bodyBytes);
  const reply = replyBody(deps.config.limits);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens));

  const replyDeps = {
    ...deps,
    storage: deps.attachmentStorage,
    keptFiles: keptFileList(deps.pool),
  };
  const uploadLimits = {
    fileBytes: deps.config.attachments.maxBytes,
    totalBytes: deps.config.attachments.maxBytes,
    files: deps.config.limits.attachments,
    fieldBytes: Math.max(deps.config.limits.textBytes, deps.config.limits.htmlBytes),
    fields: 8,
  };

  /** A multipart reply: text and html as fields, files under any field name. */
  const multipartReply = async (ctx: Context) => {
    const form = await readMultipart(ctx, uploadLimits);
    const fields = Object.fromEntries(
      ['text', 'html'].flatMap((f) => (form.fields[f] === undefined ? [] : [[f, form.fields[f]]])),
    );
    const decoded = decodeOrThrow(reply, fields, 'reply');
    // a part's file name and type reach the log: what the JSON reply's attachments may hold
    for (const file of form.files)
      decodeOrThrow(uploadedFile, { name: file.name, mimeType: file.mimeType }, 'file');
    return { body: decoded, files: form.files };
  };

  serve(router, replyContract, jsonOrMultipart(body), async (ctx) => {
    const dialogId = dialogIdOf(ctx.params.id);
    const idempotencyKey = idempotencyKeyOf(ctx);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const withFiles = isMultipart(ctx) ? await multipartReply(ctx) : null;
    const b = withFiles?.body ?? decodeOrThrow(reply, ctx.request.body, 'reply');
    const request = {
      dialogId,
      text: b.text ?? null,
      html: b.html ?? null,
      attachments: b.attachments ?? [],
      idempotencyKey,
    };
    const sent = orThrow(
      withFiles === null
        ? await replyToDialog(deps, request, context)
        : await replyWithFiles(replyDeps, { ...request, files: withFiles.files }, context),
    );
    setPosition(ctx, await positionOf(deps.store, streams.dialog(dialogId), sent.handled));
    ctx.status = 201;
    const answer: t.TypeOf<typeof replySentAnswer> = {
      dialog_id: dialogId,
      message_id: sent.messageId,
      direction: 'outgoing',
    };
    ctx.body = answer;
  });

  const assign = async (ctx: Context & { state: StaffState }, assigneeId: string | null) => {
    const id = dialogIdOf(ctx.params.id);
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const handled = orThrow(await assignDialog(deps, { dialogId: id, assigneeId }, context));
    setPosition(ctx, await positionOf(deps.store, streams.dialog(id), handled));
    const answer: t.TypeOf<typeof assignedAnswer> = { dialog_id: id, assignee_id: assigneeId };
    ctx.body = answer;
  };
  serve(router, assignContract, body, async (ctx) =>
    assign(ctx, decodeOrThrow(assigneeBody, ctx.request.body, 'assignee').operator_id),
  );
  serve(router, unassignContract, async (ctx) => assign(ctx, null));

  for (const [contract, to] of [
    [closeContract, 'closed'],
    [reopenContract, 'open'],
  ] as const) {
    serve(router, contract, async (ctx) => {
      const id = dialogIdOf(ctx.params.id);
      const context = commandContext(ctx, deps.clock, ctx.state.actor);
      const handled = orThrow(await changeDialogStatus(deps, { dialogId: id, to }, context));
      setPosition(ctx, await positionOf(deps.store, streams.dialog(id), handled));
      ctx.body = { dialog_id: id, status: to };
    });
  }

  return router;
};
