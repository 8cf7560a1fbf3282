import * as t from 'io-ts';
import { webhookEventTypes, type WebhookEventType } from '../../../domain/webhook/eventTypes';
import { httpUrl, objectId } from './common';

const eventType = t.keyof(
  Object.fromEntries(webhookEventTypes.map((type) => [type, null])) as Record<
    WebhookEventType,
    null
  >,
  webhookEventTypes.join(' | '),
);

const eventTypes = new t.Type<WebhookEventType[], WebhookEventType[], unknown>(
  'a non-empty array of event types',
  (u): u is WebhookEventType[] => Array.isArray(u),
  (u, c) =>
    Array.isArray(u) && u.length === 0 ? t.failure(u, c) : t.array(eventType).validate(u, c),
  t.identity,
);

export const subscribeBody = t.intersection([
  t.exact(t.type({ url: httpUrl(), events: eventTypes })),
  t.exact(t.partial({ channel_id: t.union([objectId, t.null]) })),
]);

export const updateBody = t.exact(
  t.partial({
    url: httpUrl(),
    events: eventTypes,
    channel_id: t.union([objectId, t.null]),
    enabled: t.boolean,
  }),
);

export const deliveryQuery = t.exact(
  t.partial({
    status: t.keyof({ pending: null, delivered: null, failed: null, cancelled: null }),
    cursor: new t.Type<string, string, unknown>(
      'a cursor from next_cursor',
      (u): u is string => typeof u === 'string',
      (u, c) => (typeof u === 'string' && /^\d{1,19}$/.test(u) ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    limit: new t.Type<number, string, unknown>(
      'an integer from 1 to 200',
      (u): u is number => typeof u === 'number',
      (u, c) => {
        const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
        return n >= 1 && n <= 200 ? t.success(n) : t.failure(u, c);
      },
      String,
    ),
  }),
);

export const sinceQuery = t.exact(
  t.type({
    since: new t.Type<Date, string, unknown>(
      'an ISO 8601 time',
      (u): u is Date => u instanceof Date,
      (u, c) => {
        const ms = typeof u === 'string' ? Date.parse(u) : NaN;
        return Number.isNaN(ms) ? t.failure(u, c) : t.success(new Date(ms));
      },
      (d) => d.toISOString(),
    ),
  }),
);
