import {
  adminOnly,
  annotated,
  bearer,
  errors,
  idParam,
  json,
  jsonBody,
  positionHeader,
  ref,
} from './schema';
import { webhookEventTypes } from '../../../domain/webhook/eventTypes';
import { subscribeBody, updateBody } from '../codecs/webhook';
import { jsonSchemaOf } from './jsonSchema';

const notFound = errors(404, ['E_WEBHOOK_NOT_FOUND'], 'no such webhook');
const webhookId = idParam('id', 'webhook id');
const deliveryId = {
  name: 'deliveryId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};
const nullableString = { type: ['string', 'null'] };
const badUrl = errors(
  400,
  ['E_VALIDATION', 'E_MALFORMED_JSON', 'E_WEBHOOK_URL_FORBIDDEN'],
  'bad request, or a URL resolving to a private, loopback or link-local address',
);

/** OpenAPI 3.1 `webhooks`: what Parley POSTs to subscribers. */
export const webhookEvents = Object.fromEntries(
  webhookEventTypes.map((type) => [
    type,
    {
      post: {
        summary: `${type}: answer any 2xx within 15 s; 410 disables the subscription`,
        requestBody: { content: { 'application/json': { schema: ref('WebhookEvent') } } },
        responses: { '2XX': { description: 'delivered' } },
      },
    },
  ]),
);

export const webhookPaths = {
  '/api/webhooks': {
    post: {
      tags: ['webhooks'],
      summary: 'Subscribe (admin): the signing secret is shown once',
      security: bearer,
      requestBody: jsonBody(
        annotated(jsonSchemaOf(subscribeBody), {
          url: { description: 'http(s), no user:password@ (the event log keeps it)' },
          channel_id: { description: 'only dialogs of this channel; absent or null: all' },
        }),
      ),
      responses: {
        '201': json(
          { allOf: [ref('Webhook'), ref('WebhookSecret')] },
          'subscribed',
          positionHeader,
        ),
        ...badUrl,
        ...adminOnly,
        ...errors(404, ['E_CHANNEL_NOT_FOUND'], 'the channel filter names no live channel'),
      },
    },
    get: {
      tags: ['webhooks'],
      summary: 'Every subscription (admin), as the outbox knows them',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  allOf: [
                    ref('Webhook'),
                    { properties: { updated_at: { type: 'string', format: 'date-time' } } },
                  ],
                },
              },
            },
          },
          'subscriptions',
        ),
        ...adminOnly,
      },
    },
  },
  '/api/webhooks/{id}': {
    parameters: [webhookId],
    get: {
      tags: ['webhooks'],
      summary: 'A subscription, read from its event stream (admin)',
      security: bearer,
      responses: { '200': json(ref('Webhook'), 'the webhook'), ...adminOnly, ...notFound },
    },
    patch: {
      tags: ['webhooks'],
      summary: 'Change URL, events, channel filter; enable or disable (admin)',
      security: bearer,
      requestBody: jsonBody(
        annotated(jsonSchemaOf(updateBody), {
          channel_id: { description: 'null removes the filter' },
        }),
      ),
      responses: {
        '200': json(ref('Webhook'), 'after the change', positionHeader),
        ...badUrl,
        ...adminOnly,
        ...errors(
          404,
          ['E_WEBHOOK_NOT_FOUND', 'E_CHANNEL_NOT_FOUND'],
          'no such webhook or channel',
        ),
      },
    },
    delete: {
      tags: ['webhooks'],
      summary: 'Remove (admin): pending deliveries are cancelled, the secret forgotten',
      security: bearer,
      responses: {
        '204': { description: 'removed', headers: positionHeader },
        ...adminOnly,
        ...notFound,
      },
    },
  },
  '/api/webhooks/{id}/rotate-secret': {
    parameters: [webhookId],
    post: {
      tags: ['webhooks'],
      summary: 'A new secret, shown once; the previous one keeps signing alongside for 24 h',
      security: bearer,
      responses: {
        '200': json(
          { allOf: [{ properties: { id: { type: 'string' } } }, ref('WebhookSecret')] },
          'rotated',
          positionHeader,
        ),
        ...adminOnly,
        ...notFound,
      },
    },
  },
  '/api/webhooks/{id}/deliveries': {
    parameters: [webhookId],
    get: {
      tags: ['webhooks'],
      summary: 'The delivery log, newest first, paged (admin)',
      security: bearer,
      parameters: [
        {
          name: 'status',
          in: 'query',
          schema: { enum: ['pending', 'delivered', 'failed', 'cancelled'] },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor' },
      ],
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              items: { type: 'array', items: ref('Delivery') },
              next_cursor: nullableString,
            },
          },
          'a page',
        ),
        ...errors(400, ['E_VALIDATION'], 'bad query'),
        ...adminOnly,
        ...notFound,
      },
    },
  },
  '/api/webhooks/{id}/events': {
    parameters: [webhookId],
    get: {
      tags: ['webhooks'],
      summary: 'The catch-up feed: every payload this subscription receives, oldest first (admin)',
      description:
        'Resume from the Parley-Feed-Cursor header of the last delivery you received; each item’s payload is the exact body (and webhook-id) its deliveries send, in per-dialog order. docs/webhooks.md, Catching up.',
      security: bearer,
      parameters: [
        {
          name: 'after',
          in: 'query',
          schema: { type: 'string', pattern: '^[0-9]{1,18}$' },
          description: 'a Parley-Feed-Cursor or a next_cursor; absent: from the first',
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      ],
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['items', 'next_cursor', 'has_more'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['cursor', 'id', 'type', 'dialog_id', 'payload'],
                  properties: {
                    cursor: { type: 'string', description: 'this delivery’s Parley-Feed-Cursor' },
                    id: { type: 'string', description: 'the webhook-id' },
                    type: { enum: [...webhookEventTypes] },
                    dialog_id: { type: 'string' },
                    payload: ref('WebhookEvent'),
                  },
                },
              },
              next_cursor: {
                ...nullableString,
                description: 'the last item’s cursor (or `after` again): pass it as `after`',
              },
              has_more: { type: 'boolean' },
            },
          },
          'a page',
        ),
        ...errors(400, ['E_VALIDATION'], 'bad query'),
        ...adminOnly,
        ...notFound,
      },
    },
  },
  '/api/webhooks/{id}/deliveries/{deliveryId}': {
    parameters: [webhookId, deliveryId],
    get: {
      tags: ['webhooks'],
      summary: 'One delivery with every attempt (admin)',
      security: bearer,
      responses: {
        '200': json(
          {
            allOf: [
              ref('Delivery'),
              { properties: { attempt_log: { type: 'array', items: ref('DeliveryAttempt') } } },
            ],
          },
          'the delivery',
        ),
        ...adminOnly,
        ...errors(404, ['E_WEBHOOK_NOT_FOUND', 'E_DELIVERY_NOT_FOUND'], 'no such delivery'),
      },
    },
  },
  '/api/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    parameters: [webhookId, deliveryId],
    post: {
      tags: ['webhooks'],
      summary: 'Send again now, same webhook-id and body, retry schedule from the start (admin)',
      security: bearer,
      responses: {
        '202': json({ type: 'object' }, 'queued'),
        ...adminOnly,
        ...errors(404, ['E_WEBHOOK_NOT_FOUND', 'E_DELIVERY_NOT_FOUND'], 'no such delivery'),
      },
    },
  },
  '/api/webhooks/{id}/redeliver': {
    parameters: [webhookId],
    post: {
      tags: ['webhooks'],
      summary: 'Queue again every failed (dead-lettered) delivery created since a time (admin)',
      security: bearer,
      parameters: [
        {
          name: 'since',
          in: 'query',
          required: true,
          schema: { type: 'string', format: 'date-time' },
        },
      ],
      responses: {
        '202': json(
          { type: 'object', properties: { requeued: { type: 'integer' } } },
          'how many were queued',
        ),
        ...errors(400, ['E_VALIDATION'], 'since missing or not a time'),
        ...adminOnly,
        ...notFound,
      },
    },
  },
};
