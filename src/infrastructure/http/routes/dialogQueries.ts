import Router from '@koa/router';
import * as t from 'io-ts';
import { isObjectId } from '../../../domain/shared/ids';
import {
  getDialog,
  listDialogs,
  type DialogView,
} from '../../../projections/dialogs/dialogQueries';
import { listMessages, type MessageView } from '../../../projections/dialogs/messageQueries';
import { idOfAttachment } from '../../../application/attachments/attachmentId';
import type { Attachment } from '../../../domain/dialog/message';
import { bigintString, iso, isoDate } from '../codecs';
import {
  dialogAnswer,
  dialogPage,
  messageAnswer,
  messageAttachmentAnswer,
  messagePage,
} from '../codecs/dialogAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { cursorParam, decodeQuery, objectIdParam, textParam, timestampParam } from '../queryParams';
import {
  DEFAULT_LIMIT,
  pageLimit,
  readContract,
  readParams,
  type QueryRouteDeps,
} from './queryRouteDeps';

const dialogCursor = cursorParam(t.type({ u: isoDate, id: t.string }));
const messageCursor = cursorParam(t.type({ c: isoDate, r: bigintString }));

const flag = t.keyof({ true: null, false: null });
const flagValue = (value: 'true' | 'false' | undefined): boolean | undefined =>
  value === undefined ? undefined : value === 'true';

const listParams = t.partial({
  channel_id: objectIdParam,
  status: t.keyof({ open: null, closed: null }),
  reference: textParam(512),
  contact_id: objectIdParam,
  assignee_id: objectIdParam,
  assigned: flag,
  waiting: flag,
  q: textParam(200),
  updated_since: timestampParam,
  limit: pageLimit,
  cursor: dialogCursor,
  min_position: t.string,
});

const messageParams = t.partial({
  limit: pageLimit,
  cursor: messageCursor,
  min_position: t.string,
});

const tags = ['dialogs'];
/** the dialog a path names */
const oneDialog = {
  params: { id: 'dialog id' },
  errors: ['E_DIALOG_NOT_FOUND'],
  errorNotes: { 404: 'no such dialog' },
} as const;

export const listDialogsContract: RouteContract = readContract({
  tags,
  path: '/api/dialogs',
  summary: 'Dialogs matching every filter given, most recently updated first',
  query: {
    codec: listParams,
    notes: {
      channel_id: 'of this channel',
      status: 'open or closed',
      reference: 'the external key, within a channel',
      contact_id: "a contact's (a merged id finds its survivor's)",
      assignee_id: 'assigned to this operator',
      assigned: 'false: only unassigned; true: assigned',
      waiting: 'true: open, the customer wrote last',
      q: "text in the title, reference, last message, contact's name or any contact data value",
      updated_since: 'updated at or after',
    },
  },
  response: { status: 200, description: 'a page', codec: dialogPage },
});

export const getDialogContract: RouteContract = readContract({
  ...oneDialog,
  tags,
  path: '/api/dialogs/{id}',
  summary: 'A dialog',
  response: { status: 200, description: 'the dialog', codec: dialogAnswer },
});

export const listMessagesContract: RouteContract = readContract({
  ...oneDialog,
  tags,
  path: '/api/dialogs/{id}/messages',
  summary: "A dialog's messages, by the sender's timestamp, then by arrival",
  query: { codec: messageParams },
  response: { status: 200, description: 'a page', codec: messagePage },
});

export const dialogQueryContracts = [listDialogsContract, getDialogContract, listMessagesContract];

export const dialogJson = (d: DialogView): t.TypeOf<typeof dialogAnswer> => ({
  dialog_id: d.dialogId,
  channel_id: d.channelId,
  channel_name: d.channelName,
  reference: d.reference,
  title: d.title,
  status: d.status,
  assignee_id: d.assigneeId,
  assignee_name: d.assigneeName,
  contact_id: d.contactId,
  contact_name: d.contactName,
  last_message:
    d.lastMessage === null
      ? null
      : {
          message_id: d.lastMessage.messageId,
          direction: d.lastMessage.direction,
          preview: d.lastMessage.preview,
          contact_id: d.lastMessage.contactId,
          operator_id: d.lastMessage.operatorId,
          author_name: d.lastMessage.authorName,
          at: iso(d.lastMessage.at),
        },
  waiting_since: iso(d.waitingSince),
  integration_data: d.integrationData,
  messages_in: d.messagesIn,
  messages_out: d.messagesOut,
  first_message_at: iso(d.firstMessageAt),
  last_message_at: iso(d.lastMessageAt),
  first_response_at: iso(d.firstResponseAt),
  first_response_seconds: d.firstResponseSeconds,
  opened_at: iso(d.openedAt),
  updated_at: iso(d.updatedAt),
  closed_at: iso(d.closedAt),
});

/**
 * An attachment as the message named it, with its id and, from the read model, whether Parley
 * has kept the file (`pending`, `stored`, `failed` with the reason; `linked` for an operator's
 * attachment given by URL, passed on as it is). Operators download a stored one at `download`.
 */
const attachmentJson = (
  messageId: string,
  { id: _uploaded, ...a }: Attachment,
  position: number,
  states: MessageView['attachmentStates'],
): t.TypeOf<typeof messageAttachmentAnswer> => {
  const attachmentId = idOfAttachment(messageId, { id: _uploaded, ...a }, position);
  if (states === undefined) return { id: attachmentId, ...a };
  const kept = states.find((s) => s.position === position);
  return {
    id: attachmentId,
    ...a,
    state: kept?.state ?? 'linked',
    reason: kept?.reason ?? null,
    stored_size: kept?.size ?? null,
    sha256: kept?.sha256 ?? null,
    sniffed_type: kept?.sniffed_type ?? null,
    download: kept?.state === 'stored' ? `/api/attachments/${attachmentId}` : null,
  };
};

export const messageJson = (m: MessageView): t.TypeOf<typeof messageAnswer> => ({
  message_id: m.messageId,
  dialog_id: m.dialogId,
  direction: m.direction,
  contact_id: m.contactId,
  operator_id: m.operatorId,
  text: m.text,
  html: m.html,
  attachments: m.attachments.map((a, position) =>
    attachmentJson(m.messageId, a, position, m.attachmentStates),
  ),
  integration_data: m.integrationData,
  timestamp: m.createdAt.getTime(),
  created_at: iso(m.createdAt),
  received_at: iso(m.receivedAt),
  // outgoing only: sent until the integration reports delivered, read or failed
  status: m.delivery?.status ?? null,
  status_reason: m.delivery?.reason ?? null,
  status_at: m.delivery === null ? null : iso(m.delivery.at),
});

const dialogNotFound = (): HttpError => new HttpError('E_DIALOG_NOT_FOUND', 'dialog not found');

/** GET /api/dialogs, /api/dialogs/{id}, /api/dialogs/{id}/messages from the dialogs read model. */
export const dialogQueryRoutes = ({ pool, auth, readYourWrites }: QueryRouteDeps): Router => {
  const router = new Router();
  // the names a dialog shows come from the contacts, channels and operators read models
  router.use(auth, readYourWrites(['dialogs', 'contacts', 'channels', 'operators']));

  serve(router, listDialogsContract, async (ctx) => {
    const q = decodeQuery(listParams, ctx.query);
    const limit = q.limit ?? DEFAULT_LIMIT;
    const page = await listDialogs(
      pool,
      {
        channelId: q.channel_id,
        status: q.status,
        reference: q.reference,
        contactId: q.contact_id,
        assigneeId: q.assignee_id,
        assigned: flagValue(q.assigned),
        waiting: flagValue(q.waiting),
        search: q.q?.trim(),
        updatedSince: q.updated_since,
      },
      {
        limit,
        after: q.cursor === undefined ? null : { updatedAt: q.cursor.u, dialogId: q.cursor.id },
      },
    );
    const last = page.items[page.items.length - 1];
    ctx.body = {
      items: page.items.map(dialogJson),
      next_cursor:
        page.more && last !== undefined
          ? dialogCursor.encode({ u: last.updatedAt, id: last.dialogId })
          : null,
    };
  });

  serve(router, getDialogContract, async (ctx) => {
    decodeQuery(readParams, ctx.query);
    const id = ctx.params.id ?? '';
    const dialog = isObjectId(id) ? await getDialog(pool, id) : null;
    if (dialog === null) throw dialogNotFound();
    ctx.body = dialogJson(dialog);
  });

  serve(router, listMessagesContract, async (ctx) => {
    const q = decodeQuery(messageParams, ctx.query);
    const id = ctx.params.id ?? '';
    if (!isObjectId(id) || (await getDialog(pool, id)) === null) throw dialogNotFound();
    const page = await listMessages(pool, id, {
      limit: q.limit ?? DEFAULT_LIMIT,
      after: q.cursor === undefined ? null : { createdAt: q.cursor.c, revision: q.cursor.r },
    });
    const last = page.items[page.items.length - 1];
    ctx.body = {
      items: page.items.map(messageJson),
      next_cursor:
        page.more && last !== undefined
          ? messageCursor.encode({ c: last.createdAt, r: last.revision })
          : null,
    };
  });

  return router;
};
