import * as t from 'io-ts';
import { named } from '../openapi/fromContracts';
import {
  absoluteUrl,
  dateTime,
  integer,
  nonNegativeInt,
  nullable,
  pageOf,
  parleyId,
} from './answers';

const direction = t.keyof({ incoming: null, outgoing: null });

/** An attachment as stored: the metadata the sender gave (never downloaded). */
export const attachmentAnswer = named(
  'Attachment',
  t.exact(t.type({ url: absoluteUrl, size: nonNegativeInt, name: t.string, mimeType: t.string })),
  {
    url: { description: 'absolute http(s) URL; stored as metadata, never downloaded' },
    size: { description: 'bytes' },
  },
);

/**
 * An attachment as the message named it, with its id and whether Parley has kept the file
 * (SPEC §2.1; routes/dialogQueries.ts attachmentJson). The kept state is in a dialog's message
 * list; a time-travel or export snapshot has the metadata and id alone.
 */
export const messageAttachmentAnswer = named(
  'MessageAttachment',
  t.intersection([
    t.exact(
      t.type({
        id: parleyId,
        url: absoluteUrl,
        size: nonNegativeInt,
        name: t.string,
        mimeType: t.string,
      }),
    ),
    t.exact(
      t.partial({
        state: t.keyof({ pending: null, stored: null, failed: null, linked: null }),
        reason: nullable(t.string),
        stored_size: nullable(nonNegativeInt),
        sha256: nullable(t.string),
        sniffed_type: nullable(t.string),
        download: nullable(t.string),
      }),
    ),
  ]),
  {
    '': {
      description:
        'an attachment as the message named it, and whether Parley has kept the file (SPEC §2.1)',
    },
    url: { description: 'as the message named it (an upload: Parley’s own)' },
    size: { description: 'bytes, as declared' },
    mimeType: { description: 'as declared' },
    state: {
      description:
        'pending: being fetched; stored: kept; failed: given up on (see reason); linked: an operator’s attachment given by URL, passed on as it is',
    },
    reason: { description: 'failed only: why' },
    stored_size: { description: 'bytes kept' },
    sha256: { description: 'of the kept file' },
    sniffed_type: {
      description: 'what the file’s first bytes say it is; null: none of the known types',
    },
    download: { description: 'stored only: GET it with a bearer token' },
  },
);

const lastMessage = t.exact(
  t.type({
    message_id: t.string,
    direction,
    preview: t.string,
    contact_id: nullable(t.string),
    operator_id: nullable(t.string),
    author_name: nullable(t.string),
    at: dateTime,
  }),
);

/** A dialog from the dialogs read model (routes/dialogQueries.ts dialogJson). */
export const dialogAnswer = named(
  'Dialog',
  t.exact(
    t.type({
      dialog_id: t.string,
      channel_id: t.string,
      channel_name: nullable(t.string),
      reference: nullable(t.string),
      title: nullable(t.string),
      status: t.keyof({ open: null, closed: null }),
      assignee_id: nullable(t.string),
      assignee_name: nullable(t.string),
      contact_id: t.string,
      contact_name: nullable(t.string),
      last_message: nullable(lastMessage),
      waiting_since: nullable(dateTime),
      integration_data: nullable(t.string),
      messages_in: integer,
      messages_out: integer,
      first_message_at: nullable(dateTime),
      last_message_at: nullable(dateTime),
      first_response_at: nullable(dateTime),
      first_response_seconds: nullable(t.number),
      opened_at: dateTime,
      updated_at: dateTime,
      closed_at: nullable(dateTime),
    }),
  ),
  {
    contact_id: { description: 'after merges, the surviving contact' },
    contact_name: { description: "the contact's name now" },
    last_message: {
      description: 'the latest message by arrival, either direction; null before the first',
    },
    'last_message.preview': { description: 'plain text, at most 140 characters' },
    'last_message.contact_id': { description: 'incoming: the sender, as recorded' },
    'last_message.operator_id': { description: 'outgoing: who wrote it' },
    'last_message.author_name': { description: "the sender's name now" },
    'last_message.at': { description: 'when it was received or sent' },
    waiting_since: { description: "open and the customer wrote last: that message's time" },
    integration_data: {
      description: 'the latest non-null integration_data of an incoming message',
    },
    first_message_at: { description: 'when Parley received the first message' },
    last_message_at: { description: 'when the latest message was received or sent' },
    first_response_at: { description: 'when the first operator reply was sent' },
    updated_at: { description: 'last change of the dialog' },
    closed_at: { description: 'null while open' },
  },
);

/** A message of a dialog (routes/dialogQueries.ts messageJson). */
export const messageAnswer = named(
  'Message',
  t.exact(
    t.type({
      message_id: t.string,
      dialog_id: t.string,
      direction,
      contact_id: nullable(t.string),
      operator_id: nullable(t.string),
      text: nullable(t.string),
      html: nullable(t.string),
      attachments: t.readonlyArray(messageAttachmentAnswer),
      integration_data: nullable(t.string),
      timestamp: integer,
      created_at: dateTime,
      received_at: dateTime,
      status: nullable(t.keyof({ sent: null, delivered: null, read: null, failed: null })),
      status_reason: nullable(t.string),
      status_at: nullable(dateTime),
    }),
  ),
  {
    status: {
      description:
        'outgoing: sent until the integration reports delivered, read or failed (never backwards); incoming: null',
    },
    status_reason: { description: 'failed: the reason reported' },
    status_at: { description: 'when the status was reached (the report’s timestamp)' },
    contact_id: { description: 'incoming: the sender, as recorded' },
    operator_id: { description: 'outgoing: the operator who replied' },
    html: { description: 'sanitized' },
    timestamp: { description: "the sender's timestamp, ms since the epoch" },
    created_at: { description: "the sender's timestamp (a reply: when it was sent)" },
    received_at: { description: 'when Parley received it' },
  },
);

export const dialogPage = pageOf(dialogAnswer);
export const messagePage = pageOf(messageAnswer);

/** A reply as sent. */
export const replySentAnswer = t.exact(
  t.type({ dialog_id: t.string, message_id: t.string, direction: t.literal('outgoing') }),
);

/** Who the dialog is assigned to now. */
export const assignedAnswer = t.exact(
  t.type({ dialog_id: t.string, assignee_id: nullable(t.string) }),
);
export const unassignedAnswer = t.exact(t.type({ dialog_id: t.string, assignee_id: t.null }));

/** The dialog's status now. */
export const statusAnswer = <S extends 'open' | 'closed'>(status: S) =>
  t.exact(t.type({ dialog_id: t.string, status: t.literal(status) }));
