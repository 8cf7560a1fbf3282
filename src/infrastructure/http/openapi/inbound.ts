import type { Limits } from '../../config';
import { inboundMessageCodec } from '../codecs/inboundMessage';
import { jsonSchemaOf } from './jsonSchema';
import { annotated, errors, json, positionHeader, ref, retryAfter, jsonBody } from './schema';

/** The inbound body: what the codec accepts, with the why of each field. */
export const inboundSchemas = (limits: Limits) => ({
  InboundMessage: annotated(jsonSchemaOf(inboundMessageCodec(limits)), {
    '': {
      description:
        'exactly one of contact_object and contacts_id; at least one of text, html, attachments. Absent, null and "" all mean "not given".',
      examples: [
        {
          reference: 'avito-chat-u2i-42',
          dialog_title: 'Order 42',
          text: 'Is the sofa still available?',
          integration_data: '{"avito_chat":"u2i-42"}',
          contact_object: {
            name: 'Vasya Pupkin',
            contacts: [
              {
                type: 'id',
                value: 'phrw1oc544j18buxazs6tlg7q68vdfyin1emk06',
                service: 'custom',
                origin: 'custom',
              },
              { type: 'phone', value: '+79876543210', service: 'whatsapp' },
            ],
          },
        },
      ],
    },
    dialog_id: {
      description: 'dialog to post into; unknown or of another channel: 404 E_DIALOG_NOT_FOUND',
    },
    reference: {
      description: 'external key of the dialog in this channel; ignored with dialog_id',
    },
    timestamp: {
      description: 'ms since the Unix epoch: when the message was written; default now',
    },
    text: { description: `at most ${limits.textBytes} bytes` },
    html: {
      description: `at most ${limits.htmlBytes} bytes; stored as received, sanitized wherever shown`,
    },
    integration_data: {
      description: `opaque, at most ${limits.integrationDataBytes} bytes; passed back in webhooks`,
    },
    'attachments[].url': {
      description: 'absolute http(s) URL; stored as metadata, never downloaded',
    },
    'attachments[].size': { description: 'bytes' },
    'contact_object._id': {
      description:
        'an existing contact to update (24 hex digits); merged ids resolve to the survivor',
    },
    'contact_object.contacts': {
      description: 'needs at least one item with service "custom" (E_CUSTOM_CONTACTS_REQUIRED)',
    },
    'contact_object.contacts[].id': {
      description: 'ignored on input; contact data ids are assigned by Parley',
    },
    'contact_object.contacts[].value': {
      description: 'required and non-empty (E_CONTACTS_VALUE_REQUIRED)',
    },
    'contact_object.contacts[].type': { examples: ['id', 'phone', 'mail'] },
    'contact_object.contacts[].service': { examples: ['custom', 'whatsapp', 'mail'] },
    'contact_object.contacts[].origin': { examples: ['custom', 'chatra'] },
    'contacts_id[].id': {
      description:
        'id of existing custom contact data (another service: E_CUSTOM_CONTACTS_REQUIRED)',
    },
    'contacts_id[].value': { description: 'when given and different: the item takes this value' },
  }),
});

/** draft-ietf-httpapi-ratelimit-headers-07, separate fields; on every answer after the token check */
export const rateLimitHeaders = {
  'RateLimit-Limit': {
    description: 'the channel’s burst (RATE_LIMIT_BURST); absent when rate limiting is off',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': {
    description: 'requests the channel may send now, across every Parley process',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': {
    description: 'seconds until the channel’s bucket is full again',
    schema: { type: 'integer' },
  },
};

export const inboundPaths = {
  '/api/custom-channel/message/{channelId}': {
    post: {
      tags: ['custom channel'],
      summary: 'Post a customer message into a dialog (the seed’s endpoint)',
      description:
        'Opens or continues the dialog and creates, updates or merges the contact, in one request. Checks in this order: token and channel, rate limit, body, contact, dialog. A 4xx appends nothing. Every answer after the token check carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (docs/integration.md, Rate limits).',
      security: [{ channelToken: [] }],
      parameters: [
        { name: 'channelId', in: 'path', required: true, schema: { type: 'string' } },
        {
          name: 'token',
          in: 'query',
          required: true,
          schema: { type: 'string' },
          description: 'channel token',
        },
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 255 },
          description:
            'same key and body: the first answer again, nothing appended; another body: 409',
        },
      ],
      requestBody: jsonBody(ref('InboundMessage')),
      responses: {
        '200': json(ref('InboundResult'), 'accepted: every event is durably appended', {
          ...positionHeader,
          ...rateLimitHeaders,
          'Idempotent-Replayed': {
            description: '"true" when an earlier request with this key answered',
            schema: { type: 'string' },
          },
        }),
        ...errors(
          400,
          [
            'E_CONTACT_INFO_REQUIRED',
            'E_CUSTOM_CONTACTS_REQUIRED',
            'E_CONTACTS_VALUE_REQUIRED',
            'E_MALFORMED_CONTACT_ID',
            'E_MALFORMED_JSON',
            'E_VALIDATION',
            'E_CONTACT_INFO_CONFLICT',
            'E_MESSAGE_EMPTY',
          ],
          'bad request',
        ),
        ...errors(401, ['E_INVALID_TOKEN'], 'token missing, wrong, revoked, or channel unknown'),
        ...errors(
          403,
          ['E_CHANNEL_NOT_ENABLED', 'E_CHANNEL_DELETED'],
          'channel disabled or deleted',
        ),
        ...errors(
          404,
          ['E_CONTACT_NOT_FOUND', 'E_CONTACT_DELETED', 'E_DIALOG_NOT_FOUND'],
          'not found',
        ),
        ...errors(409, ['E_IDEMPOTENCY_CONFLICT'], 'Idempotency-Key reused with another body'),
        ...errors(413, ['E_PAYLOAD_TOO_LARGE'], 'body over MAX_BODY_BYTES'),
        ...errors(415, ['E_UNSUPPORTED_MEDIA_TYPE'], 'not application/json'),
        '429': {
          ...errors(429, ['E_RATE_LIMITED'], 'too many requests for this channel')['429'],
          headers: { ...retryAfter, ...rateLimitHeaders },
        },
        '503': {
          ...errors(503, ['E_UNAVAILABLE'], 'store or database unavailable; retry')['503'],
          headers: retryAfter,
        },
      },
    },
  },
};
