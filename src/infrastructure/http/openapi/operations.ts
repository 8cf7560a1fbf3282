import { bearer, errors, idParam, json, positionHeader, unauthorized } from './schema';

const page = (summary: string, type: string) => ({
  get: {
    tags: ['inbox'],
    summary,
    responses: {
      '200': { description: 'the asset', content: { [type]: { schema: { type: 'string' } } } },
    },
  },
});

export const operationPaths = {
  '/': {
    get: {
      tags: ['inbox'],
      summary: 'Sends a browser to the inbox',
      responses: {
        '302': {
          description: 'to /inbox',
          headers: { Location: { schema: { type: 'string', const: '/inbox' } } },
        },
      },
    },
  },
  '/inbox': page(
    'The operators’ web inbox (sign in with an operator or the admin token)',
    'text/html',
  ),
  '/inbox/app.js': page('The inbox script', 'text/javascript'),
  '/inbox/app.css': page('The inbox styles', 'text/css'),
  '/api/me': {
    get: {
      tags: ['operators'],
      summary: 'Who the bearer token is',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              actor: {
                type: 'object',
                properties: {
                  type: { enum: ['admin', 'operator'] },
                  operator_id: { type: 'string' },
                },
              },
            },
          },
          'the admin, or an operator with their id',
        ),
        ...errors(401, ['E_UNAUTHORIZED'], 'no or a wrong bearer token'),
      },
    },
  },
  '/api/inbox/stream-ticket': {
    post: {
      tags: ['inbox'],
      summary: 'A short-lived ticket to GET /api/inbox/events, set as an HttpOnly cookie',
      description:
        'EventSource cannot send Authorization: the inbox trades its bearer token for a ticket in the cookie `parley_inbox_stream` (HttpOnly, SameSite=Strict, Path=/api/inbox/events, 2 minutes) and renews it every minute.',
      security: bearer,
      responses: {
        '200': json(
          { type: 'object', properties: { expires_at: { type: 'string', format: 'date-time' } } },
          'the ticket is in Set-Cookie',
          { 'Set-Cookie': { schema: { type: 'string' } } },
        ),
        ...unauthorized,
      },
    },
  },
  '/api/inbox/directory': {
    get: {
      tags: ['inbox'],
      summary: 'Operators and active channels by name, for assigning and filtering',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              operators: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { operator_id: { type: 'string' }, name: { type: 'string' } },
                },
              },
              channels: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { channel_id: { type: 'string' }, name: { type: 'string' } },
                },
              },
            },
          },
          'names only: no tokens, no settings',
        ),
        ...unauthorized,
      },
    },
  },
  '/api/inbox/events': {
    get: {
      tags: ['inbox'],
      summary: 'Server-Sent Events of dialog changes, from the event log',
      description:
        "Authenticated by the `parley_inbox_stream` cookie. First `event: ready` with `{position}` (read the dialog list with `min_position` = it), then `event: dialog` with `{type, dialog_id, message_id?, position}` for DialogOpened, DialogTitleChanged, DialogReopened, DialogStatusChanged, DialogAssigned, MessageReceived and MessageSent. Each event's `id` is its position: a reconnect with `Last-Event-ID` (or `last_event_id`) resumes after it. A connection ends when its ticket expires; EventSource reconnects.",
      parameters: [
        {
          name: 'last_event_id',
          in: 'query',
          required: false,
          description: 'resume after this event id (the Last-Event-ID header does the same)',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'the stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errors(400, ['E_VALIDATION'], 'an unknown parameter or a bad last event id'),
        ...errors(401, ['E_UNAUTHORIZED'], 'no valid stream ticket'),
      },
    },
  },
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
  '/healthz': {
    get: {
      tags: ['operations'],
      summary: 'The process answers',
      responses: { '200': json({ type: 'object' }, 'alive') },
    },
  },
  '/readyz': {
    get: {
      tags: ['operations'],
      summary: 'Database and event store reachable (and projections' + "'" + ' lag, when they run)',
      responses: {
        '200': json({ type: 'object' }, 'ready'),
        '503': json({ type: 'object' }, 'not ready'),
      },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['operations'],
      summary: 'This document',
      responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') },
    },
  },
  '/api/contacts/{id}': {
    delete: {
      parameters: [idParam('id', 'contact id; a merged id deletes its survivor')],
      tags: ['contacts'],
      summary: 'Delete a contact (admin or operator): its data stops matching',
      security: bearer,
      responses: {
        '200': json(
          { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } },
          'deleted',
          positionHeader,
        ),
        ...errors(401, ['E_UNAUTHORIZED'], 'no or a wrong bearer token'),
        ...errors(
          404,
          ['E_CONTACT_NOT_FOUND', 'E_CONTACT_DELETED'],
          'no such contact, or already deleted',
        ),
      },
    },
  },
};
