import type { Limits } from '../../config';
import { deliveryStatusBody } from '../codecs/deliveryStatus';
import { importLineCodec } from '../codecs/importLine';
import { rateLimitHeaders } from './inbound';
import { jsonSchemaOf } from './jsonSchema';
import { webhookEventTypes } from '../../../domain/webhook/eventTypes';
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
  retryAfter,
} from './schema';

/** The integration's endpoints beyond the seed's (SPEC §2.1): delivery status, history import, the feed. */
export const integrationExtraSchemas = (limits: Limits) => ({
  ImportLine: annotated(jsonSchemaOf(importLineCodec(limits)), {
    '': {
      description:
        'one line of the NDJSON body: the inbound message’s fields, plus external_id, direction and the original timestamp. Outgoing lines need no contact and go into the dialog their dialog_id or reference names.',
      examples: [
        {
          external_id: 'avito-msg-1001',
          direction: 'incoming',
          reference: 'avito-chat-u2i-42',
          timestamp: 1709283600000,
          text: 'Is the sofa still available?',
          contact_object: {
            name: 'Vasya Pupkin',
            contacts: [{ type: 'id', value: 'u2i-42', service: 'custom', origin: 'custom' }],
          },
        },
      ],
    },
    external_id: {
      description: 'your id of the message: imported once per channel, then already_imported',
    },
    timestamp: { description: 'ms since the Unix epoch: when the message was written (or sent)' },
  }),
  ImportReport: {
    type: 'object',
    required: ['imported', 'already_imported', 'errors', 'lines'],
    properties: {
      imported: { type: 'integer' },
      already_imported: { type: 'integer' },
      errors: { type: 'integer' },
      lines: {
        type: 'array',
        description: 'one per non-blank line, by line number',
        items: {
          type: 'object',
          required: ['line', 'external_id', 'status'],
          properties: {
            line: { type: 'integer', description: '1-based, blank lines counted' },
            external_id: { type: ['string', 'null'] },
            status: { enum: ['imported', 'already_imported', 'error'] },
            dialog_id: { type: 'string' },
            message_id: { type: 'string' },
            code: { type: 'string', description: 'error: the error code' },
            message: { type: 'string' },
            details: { type: 'array', items: {} },
          },
        },
      },
    },
  },
  DeliveryStatusReport: annotated(jsonSchemaOf(deliveryStatusBody), {
    '': {
      description:
        'an outgoing message’s status: sent < failed < delivered < read; a report moves it only up, a repeat changes nothing',
      examples: [
        { message_id: '65f0c0ffee0000000000002a', status: 'read', timestamp: 1767261600000 },
      ],
    },
    message_id: {
      description: 'the id of an operator reply (message.created, direction outgoing)',
    },
    reason: { description: 'kept for failed only' },
    timestamp: { description: 'ms since the Unix epoch: when it happened; default now' },
    dialog_id: {
      description: 'optional: the message’s dialog (webhook payloads carry it); spares the lookup',
    },
  }),
  DeliveryStatusResult: {
    type: 'object',
    required: ['message_id', 'dialog_id', 'status', 'changed'],
    properties: {
      message_id: { type: 'string' },
      dialog_id: { type: 'string' },
      status: { enum: ['sent', 'delivered', 'read', 'failed'], description: 'after the report' },
      changed: { type: 'boolean', description: 'false: a repeat, or behind the known status' },
    },
  },
});

const channelParameters = [
  { name: 'channelId', in: 'path', required: true, schema: { type: 'string' } },
  {
    name: 'token',
    in: 'query',
    required: true,
    schema: { type: 'string' },
    description: 'channel token',
  },
];

/** What every integration endpoint may answer besides its own codes. */
const integrationErrors = {
  ...errors(401, ['E_INVALID_TOKEN'], 'token missing, wrong, revoked, or channel unknown'),
  ...errors(403, ['E_CHANNEL_NOT_ENABLED', 'E_CHANNEL_DELETED'], 'channel disabled or deleted'),
  ...errors(413, ['E_PAYLOAD_TOO_LARGE'], 'body over its limit'),
  ...errors(415, ['E_UNSUPPORTED_MEDIA_TYPE'], 'not the content type this endpoint takes'),
  '429': {
    ...errors(429, ['E_RATE_LIMITED'], 'too many requests for this channel')['429'],
    headers: { ...retryAfter, ...rateLimitHeaders },
  },
  '503': {
    ...errors(503, ['E_UNAVAILABLE'], 'store or database unavailable; retry')['503'],
    headers: retryAfter,
  },
};

export const integrationExtraPaths = {
  '/api/webhooks/{id}/events': {
    parameters: [idParam('id', 'webhook id')],
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
                type: ['string', 'null'],
                description: 'the last item’s cursor (or `after` again): pass it as `after`',
              },
              has_more: { type: 'boolean' },
            },
          },
          'a page',
        ),
        ...errors(400, ['E_VALIDATION'], 'bad query'),
        ...adminOnly,
        ...errors(404, ['E_WEBHOOK_NOT_FOUND'], 'no such webhook'),
      },
    },
  },
  '/api/custom-channel/import/{channelId}': {
    post: {
      tags: ['custom channel'],
      summary: 'Import past messages, both directions, at their original times (NDJSON)',
      description:
        'One message a line. Incoming lines follow the inbound endpoint’s rules (contact, dialog by dialog_id or reference); outgoing ones become operator replies at their time. A line’s external_id is imported once per channel: again, it answers already_imported and appends nothing. Imported messages send no webhooks unless webhooks=true. Body at most MAX_IMPORT_BYTES. docs/integration.md, History import.',
      security: [{ channelToken: [] }],
      parameters: [
        ...channelParameters,
        {
          name: 'webhooks',
          in: 'query',
          required: false,
          schema: { enum: ['true', 'false'] },
          description:
            'true: subscribers get dialog.created and message.created as for live messages',
        },
      ],
      requestBody: {
        required: true,
        content: { 'application/x-ndjson': { schema: ref('ImportLine') } },
      },
      responses: {
        '200': json(
          ref('ImportReport'),
          'every line reported: imported, already_imported or error',
          rateLimitHeaders,
        ),
        ...errors(400, ['E_VALIDATION'], 'bad query'),
        ...integrationErrors,
      },
    },
  },
  '/api/custom-channel/message/{channelId}/status': {
    post: {
      tags: ['custom channel'],
      summary: 'Report an outgoing message delivered, read or failed',
      description:
        'Appends MessageDeliveryStatusChanged when the status moves up (sent < failed < delivered < read), nothing otherwise; subscribers get message.updated. Counts against the channel’s rate limit.',
      security: [{ channelToken: [] }],
      parameters: channelParameters,
      requestBody: jsonBody(ref('DeliveryStatusReport')),
      responses: {
        '200': json(ref('DeliveryStatusResult'), 'recorded, or already known', {
          ...positionHeader,
          ...rateLimitHeaders,
        }),
        ...errors(400, ['E_MALFORMED_JSON', 'E_VALIDATION'], 'bad request'),
        ...errors(404, ['E_MESSAGE_NOT_FOUND'], 'no message of this channel has this id'),
        ...errors(409, ['E_MESSAGE_NOT_OUTGOING'], 'a customer’s message: no delivery status'),
        ...integrationErrors,
      },
    },
  },
};
