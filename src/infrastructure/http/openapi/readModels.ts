import { bearer, errors, idParam, json, ref, retryAfter, type Schema } from './schema';

const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const time = (description: string, canBeNull = true): Schema => ({
  type: canBeNull ? ['string', 'null'] : 'string',
  format: 'date-time',
  description,
});

export const readModelSchemas: Record<string, Schema> = {
  Dialog: {
    type: 'object',
    properties: {
      dialog_id: { type: 'string' },
      channel_id: { type: 'string' },
      channel_name: nullable('string'),
      reference: nullable('string'),
      title: nullable('string'),
      status: { enum: ['open', 'closed'] },
      assignee_id: nullable('string'),
      assignee_name: nullable('string'),
      contact_id: { type: 'string', description: 'after merges, the surviving contact' },
      contact_name: nullable('string', { description: "the contact's name now" }),
      last_message: {
        type: ['object', 'null'],
        description: 'the latest message by arrival, either direction; null before the first',
        properties: {
          message_id: { type: 'string' },
          direction: { enum: ['incoming', 'outgoing'] },
          preview: { type: 'string', description: 'plain text, at most 140 characters' },
          contact_id: nullable('string', { description: 'incoming: the sender, as recorded' }),
          operator_id: nullable('string', { description: 'outgoing: who wrote it' }),
          author_name: nullable('string', { description: "the sender's name now" }),
          at: time('when it was received or sent', false),
        },
      },
      waiting_since: time("open and the customer wrote last: that message's time; else null"),
      integration_data: nullable('string', {
        description: 'the latest non-null integration_data of an incoming message',
      }),
      messages_in: { type: 'integer' },
      messages_out: { type: 'integer' },
      first_message_at: time('when Parley received the first message'),
      last_message_at: time('when the latest message was received or sent'),
      first_response_at: time('when the first operator reply was sent'),
      first_response_seconds: nullable('number'),
      opened_at: time('', false),
      updated_at: time('last change of the dialog', false),
      closed_at: time('null while open'),
    },
  },
  Message: {
    type: 'object',
    properties: {
      message_id: { type: 'string' },
      dialog_id: { type: 'string' },
      direction: { enum: ['incoming', 'outgoing'] },
      contact_id: nullable('string', { description: 'incoming: the sender, as recorded' }),
      operator_id: nullable('string', { description: 'outgoing: the operator who replied' }),
      text: nullable('string'),
      html: nullable('string', { description: 'sanitized' }),
      attachments: { type: 'array', items: ref('MessageAttachment') },
      integration_data: nullable('string'),
      timestamp: { type: 'integer', description: "the sender's timestamp, ms since the epoch" },
      created_at: time("the sender's timestamp (a reply: when it was sent)", false),
      received_at: time('when Parley received it', false),
    },
  },
  Contact: {
    type: 'object',
    properties: {
      contact_id: { type: 'string' },
      channel_id: { type: 'string', description: 'where the contact was first seen' },
      name: { type: 'string' },
      description: nullable('string'),
      status: { enum: ['active', 'merged', 'deleted'] },
      contacts: { type: 'array', items: ref('ContactDataWithId') },
      merged_ids: {
        type: 'array',
        items: { type: 'string' },
        description: 'contacts merged into this one; their ids resolve here',
      },
      created_at: time('', false),
      updated_at: time('', false),
    },
  },
};

const page = (item: Schema): Schema => ({
  type: 'object',
  properties: {
    items: { type: 'array', items: item },
    next_cursor: nullable('string', { description: 'pass as `cursor` for the next page' }),
  },
});

const query = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const limit = query(
  'limit',
  { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  'items per page',
);
const cursor = query('cursor', { type: 'string' }, 'the `next_cursor` of the previous page');
const minPosition = query(
  'min_position',
  { type: 'string' },
  'an `X-Parley-Position` from a write: wait (up to MIN_POSITION_TIMEOUT_MS) until the read model has applied it',
);

const readErrors = {
  ...errors(400, ['E_VALIDATION'], 'a bad or unknown query parameter; `details` names it'),
  ...errors(401, ['E_UNAUTHORIZED'], 'no or a wrong bearer token'),
};
const notCaughtUp = {
  '503': {
    ...json(ref('Error'), 'E_UNAVAILABLE: the read model did not reach min_position in time'),
    headers: retryAfter,
  },
};

export const readModelPaths = {
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: 'Prometheus metrics: projection lag and activity, process',
      responses: {
        '200': {
          description: 'text exposition format 0.0.4',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/api/dialogs': {
    get: {
      tags: ['dialogs'],
      summary: 'Dialogs matching every filter given, most recently updated first',
      security: bearer,
      parameters: [
        query('channel_id', { type: 'string' }, 'of this channel'),
        query('status', { enum: ['open', 'closed'] }, 'open or closed'),
        query('reference', { type: 'string' }, 'the external key, within a channel'),
        query('contact_id', { type: 'string' }, "a contact's (a merged id finds its survivor's)"),
        query('assignee_id', { type: 'string' }, 'assigned to this operator'),
        query('assigned', { enum: ['true', 'false'] }, 'false: only unassigned; true: assigned'),
        query('waiting', { enum: ['true', 'false'] }, 'true: open, the customer wrote last'),
        query(
          'q',
          { type: 'string', maxLength: 200 },
          "text in the title, reference, last message, contact's name or any contact data value",
        ),
        query('updated_since', { type: 'string', format: 'date-time' }, 'updated at or after'),
        limit,
        cursor,
        minPosition,
      ],
      responses: { '200': json(page(ref('Dialog')), 'a page'), ...readErrors, ...notCaughtUp },
    },
  },
  '/api/dialogs/{id}': {
    get: {
      tags: ['dialogs'],
      summary: 'A dialog',
      security: bearer,
      parameters: [idParam('id', 'dialog id'), minPosition],
      responses: {
        '200': json(ref('Dialog'), 'the dialog'),
        ...readErrors,
        ...errors(404, ['E_DIALOG_NOT_FOUND'], 'no such dialog'),
        ...notCaughtUp,
      },
    },
  },
  '/api/dialogs/{id}/messages': {
    get: {
      tags: ['dialogs'],
      summary: "A dialog's messages, by the sender's timestamp, then by arrival",
      security: bearer,
      parameters: [idParam('id', 'dialog id'), limit, cursor, minPosition],
      responses: {
        '200': json(page(ref('Message')), 'a page'),
        ...readErrors,
        ...errors(404, ['E_DIALOG_NOT_FOUND'], 'no such dialog'),
        ...notCaughtUp,
      },
    },
  },
  '/api/contacts/search': {
    get: {
      tags: ['contacts'],
      summary:
        'Fuzzy search over names, descriptions and contact values (phone digits too), best first',
      security: bearer,
      parameters: [
        { ...query('q', { type: 'string', maxLength: 200 }, 'what to look for'), required: true },
        limit,
        cursor,
        minPosition,
      ],
      responses: {
        '200': json(
          page({ allOf: [ref('Contact'), { properties: { score: { type: 'number' } } }] }),
          'a page of live contacts',
        ),
        ...readErrors,
        ...notCaughtUp,
      },
    },
  },
  '/api/contacts/{id}': {
    get: {
      tags: ['contacts'],
      summary: 'A contact; a merged id answers its survivor (Content-Location names it)',
      security: bearer,
      parameters: [idParam('id', 'contact id'), minPosition],
      responses: {
        '200': json(ref('Contact'), 'the contact, or the survivor of a merged one'),
        ...readErrors,
        ...errors(404, ['E_CONTACT_NOT_FOUND', 'E_CONTACT_DELETED'], 'no such contact, or deleted'),
        ...notCaughtUp,
      },
    },
  },
  '/api/channels': {
    get: {
      tags: ['channels'],
      summary: 'Every channel, deleted ones included (admin; from the read model)',
      security: bearer,
      parameters: [minPosition],
      responses: {
        '200': json(
          { type: 'object', properties: { items: { type: 'array', items: ref('Channel') } } },
          'the channels',
        ),
        ...readErrors,
        ...errors(403, ['E_FORBIDDEN'], 'not the admin token'),
        ...notCaughtUp,
      },
    },
  },
};
