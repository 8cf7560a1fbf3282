/**
 * The webhook event types: what a subscription's `events` asks for and a payload's `type` says,
 * as the seed's product names them. Wire names, not domain events: the outbox makes them from
 * dialog events (projections/outbox/payload.ts).
 */
export const webhookEventTypes = [
  'dialog.created',
  'dialog.updated',
  'message.created',
  'message.updated',
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

/** One order for a set of event types, so that equal sets compare equal. */
export const canonicalEventTypes = (
  types: readonly WebhookEventType[],
): readonly WebhookEventType[] => webhookEventTypes.filter((type) => types.includes(type));
