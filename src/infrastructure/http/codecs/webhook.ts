import * as t from 'io-ts';
import { webhookEventTypes, type WebhookEventType } from '../../../domain/webhook/eventTypes';
import { describedAs } from '../openapi/jsonSchema';
import { objectIdCodec } from './ids';
import { httpUrl, jsonObject, optional } from './primitives';
import { isStorableTime, STORABLE_TIME_RANGE } from './storable';

const eventType = t.keyof(
  Object.fromEntries(webhookEventTypes.map((type) => [type, null])) as Record<
    WebhookEventType,
    null
  >,
  webhookEventTypes.join(' | '),
);

const eventTypes = new t.Type<WebhookEventType[], WebhookEventType[], unknown>(
  'non-empty array of event types',
  (u): u is WebhookEventType[] => Array.isArray(u) && u.length > 0 && u.every(eventType.is),
  (u, c) =>
    Array.isArray(u) && u.length === 0
      ? t.failure(u, c, `must name at least one of ${webhookEventTypes.join(', ')}`)
      : t.array(eventType).validate(u, c),
  t.identity,
);
describedAs(eventTypes, (of) => ({ type: 'array', minItems: 1, items: of(eventType) }));

/** No user:password@ in the URL: the URL is recorded in the event log, which is forever. */
const webhookUrl = new t.Type<string, string, unknown>(
  'absolute http(s) URL without credentials',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    const decoded = httpUrl(2048).validate(u, c);
    if (decoded._tag === 'Left') return decoded;
    const url = new URL(decoded.right);
    return url.username === '' && url.password === ''
      ? decoded
      : t.failure(u, c, 'must not carry credentials: they would be kept in the event log');
  },
  t.identity,
);
describedAs(webhookUrl, (of) => of(httpUrl(2048)));

export const subscribeBody = t.intersection([
  jsonObject,
  t.type({ url: webhookUrl, events: eventTypes }),
  t.partial({ channel_id: optional(objectIdCodec) }),
]);

/** PATCH: any of them; `channel_id: null` removes the channel filter. */
export const updateBody = t.intersection([
  jsonObject,
  t.partial({
    url: webhookUrl,
    events: eventTypes,
    channel_id: t.union([objectIdCodec, t.null]),
    enabled: t.boolean,
  }),
]);

const limit = new t.Type<number, string, unknown>(
  'integer from 1 to 200',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return n >= 1 && n <= 200 ? t.success(n) : t.failure(u, c, 'expected an integer from 1 to 200');
  },
  String,
);
describedAs(limit, { type: 'integer', minimum: 1, maximum: 200 });

const cursor = new t.Type<string, string, unknown>(
  'cursor',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^\d{1,18}$/.test(u)
      ? t.success(u)
      : t.failure(u, c, 'expected the next_cursor of a previous page'),
  t.identity,
);
describedAs(cursor, { type: 'string', pattern: '^[0-9]{1,18}$' });

/** GET /api/webhooks/{id}/events: after a feed cursor (a delivery's `Parley-Feed-Cursor`). */
export const feedQuery = t.partial({ after: cursor, limit });

export const deliveryQuery = t.partial({
  status: t.keyof({ pending: null, delivered: null, failed: null, cancelled: null }),
  cursor,
  limit,
});

export const sinceQuery = t.type({
  since: describedAs(
    new t.Type<Date, string, unknown>(
      'ISO 8601 time',
      (u): u is Date => u instanceof Date,
      (u, c) => {
        const ms = typeof u === 'string' ? Date.parse(u) : NaN;
        return isStorableTime(ms)
          ? t.success(new Date(ms))
          : t.failure(
              u,
              c,
              `expected an ISO 8601 time ${STORABLE_TIME_RANGE}, such as 2026-01-01T00:00:00Z`,
            );
      },
      (d) => d.toISOString(),
    ),
    { type: 'string', format: 'date-time' },
  ),
});
