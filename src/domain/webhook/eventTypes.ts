/** What a subscription can ask for, as the seed's product names them. */
export const webhookEventTypes = ['dialog.created', 'dialog.updated', 'message.created'] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

/** One order for a set of event types, so that equal sets compare equal. */
export const canonicalEventTypes = (
  types: readonly WebhookEventType[],
): readonly WebhookEventType[] => webhookEventTypes.filter((type) => types.includes(type));
