import { errors, json, positionHeader, ref, retryAfter, jsonBody } from './schema';

/** draft-ietf-httpapi-ratelimit-headers-07, separate fields; on every answer after the token check */
const rateLimitHeaders = {
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
