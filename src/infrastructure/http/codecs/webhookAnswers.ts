import * as t from 'io-ts';
import { webhookEventTypes, type WebhookEventType } from '../../../domain/webhook/eventTypes';
import { describedAs } from '../openapi/jsonSchema';
import { named } from '../openapi/fromContracts';
import { absoluteUrl, dateTime, integer, nullable } from './answers';

const eventType = t.keyof(
  Object.fromEntries(webhookEventTypes.map((type) => [type, null])) as Record<
    WebhookEventType,
    null
  >,
);

const WHSEC = /^whsec_/;

/** A subscription, read from its stream (routes/webhooks.ts webhookView). */
export const webhookAnswer = named(
  'Webhook',
  t.exact(
    t.type({
      id: t.string,
      url: absoluteUrl,
      events: describedAs(
        t.refinement(t.readonlyArray(eventType), (events) => events.length > 0, 'event types'),
        { minItems: 1 },
      ),
      channel_id: nullable(t.string),
      enabled: t.boolean,
      disabled_reason: nullable(t.string),
      created_at: dateTime,
    }),
  ),
  {
    channel_id: { description: 'only dialogs of this channel; null: all' },
    disabled_reason: {
      description: '`endpoint_gone` when Parley disabled it after a 410, else `disabled`',
    },
  },
);

export const webhookSecretAnswer = named(
  'WebhookSecret',
  t.exact(
    t.type({
      secret: describedAs(
        t.refinement(t.string, (s) => WHSEC.test(s), 'webhook secret'),
        { pattern: WHSEC.source },
      ),
    }),
  ),
  { secret: { description: 'shown once: verify signatures with it (Standard Webhooks)' } },
);

export const subscribedAnswer = t.intersection([webhookAnswer, webhookSecretAnswer]);
export const rotatedAnswer = t.intersection([
  t.exact(t.type({ id: t.string })),
  webhookSecretAnswer,
]);
export const webhookListAnswer = t.exact(
  t.type({
    items: t.readonlyArray(
      t.intersection([webhookAnswer, t.exact(t.type({ updated_at: dateTime }))]),
    ),
  }),
);

const deliveryStatus = t.keyof({ pending: null, delivered: null, failed: null, cancelled: null });

/** A delivery of the outbox (webhooks/deliveryLog.ts DeliveryView). */
export const deliveryAnswer = named(
  'Delivery',
  t.exact(
    t.type({
      id: t.string,
      webhook_id: t.string,
      message_id: t.string,
      event_type: t.string,
      dialog_id: t.string,
      status: deliveryStatus,
      attempts: integer,
      next_attempt_at: nullable(dateTime),
      created_at: dateTime,
      finished_at: nullable(dateTime),
      last_status_code: nullable(integer),
      last_error: nullable(t.string),
      last_latency_ms: nullable(integer),
      last_response: nullable(t.string),
    }),
  ),
  {
    id: { description: 'delivery id; also the order of deliveries' },
    message_id: { description: 'the webhook-id header, the payload id' },
    status: {
      description: 'failed: the retry schedule was spent (dead letter), or the endpoint said 410',
    },
    last_response: { description: 'the first 1 KiB of the response body' },
  },
);

/** What an attempt says in the audit trace too; the delivery log adds the answer's first bytes. */
export const attemptProps = {
  attempt: integer,
  started_at: dateTime,
  latency_ms: integer,
  status_code: nullable(integer),
  error: nullable(t.string),
  outcome: t.keyof({ delivered: null, retry: null, failed: null, gone: null }),
};

/** One attempt to deliver (webhooks/deliveryLog.ts AttemptView). */
export const deliveryAttemptAnswer = named(
  'DeliveryAttempt',
  t.exact(t.type({ ...attemptProps, response_snippet: nullable(t.string) })),
);

export const deliveryPage = t.exact(
  t.type({ items: t.readonlyArray(deliveryAnswer), next_cursor: nullable(t.string) }),
);
export const deliveryWithAttempts = t.intersection([
  deliveryAnswer,
  t.exact(t.type({ attempt_log: t.readonlyArray(deliveryAttemptAnswer) })),
]);
export const redeliveryAnswer = t.exact(t.type({ id: t.string, status: t.literal('pending') }));
export const requeuedAnswer = t.exact(t.type({ requeued: integer }));
