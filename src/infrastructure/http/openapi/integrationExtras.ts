import { deliveryStatusBody } from '../codecs/deliveryStatus';
import { rateLimitHeaders } from './inbound';
import { jsonSchemaOf } from './jsonSchema';
import { annotated, errors, json, jsonBody, positionHeader, ref, retryAfter } from './schema';

/** The integration's endpoints beyond the seed's (SPEC §2.1): delivery status, history import. */
export const integrationExtraSchemas = {
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
};

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
