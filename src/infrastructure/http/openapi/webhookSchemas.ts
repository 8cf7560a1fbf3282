import { ref, type Schema } from './schema';

const nullableString = { type: ['string', 'null'] };
export const eventTypes = {
  type: 'array',
  minItems: 1,
  items: { enum: ['dialog.created', 'dialog.updated', 'message.created'] },
};

/** Subscriptions, deliveries and the payload Parley POSTs (docs/webhooks.md). */
export const webhookSchemas: Record<string, Schema> = {
  Webhook: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      url: { type: 'string', format: 'uri' },
      events: eventTypes,
      channel_id: { ...nullableString, description: 'only dialogs of this channel; null: all' },
      enabled: { type: 'boolean' },
      disabled_reason: {
        ...nullableString,
        description: '`endpoint_gone` when Parley disabled it after a 410, else `disabled`',
      },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  WebhookSecret: {
    type: 'object',
    properties: {
      secret: {
        type: 'string',
        pattern: '^whsec_',
        description: 'shown once: verify signatures with it (Standard Webhooks)',
      },
    },
  },
  Delivery: {
    type: 'object',
    properties: {
      id: { type: 'string', description: 'delivery id; also the order of deliveries' },
      webhook_id: { type: 'string' },
      message_id: { type: 'string', description: 'the webhook-id header, the payload id' },
      event_type: { type: 'string' },
      dialog_id: { type: 'string' },
      status: {
        enum: ['pending', 'delivered', 'failed', 'cancelled'],
        description: 'failed: the retry schedule was spent (dead letter), or the endpoint said 410',
      },
      attempts: { type: 'integer' },
      next_attempt_at: { ...nullableString, format: 'date-time' },
      created_at: { type: 'string', format: 'date-time' },
      finished_at: { ...nullableString, format: 'date-time' },
      last_status_code: { type: ['integer', 'null'] },
      last_error: nullableString,
      last_latency_ms: { type: ['integer', 'null'] },
      last_response: { ...nullableString, description: 'the first 1 KiB of the response body' },
    },
  },
  DeliveryAttempt: {
    type: 'object',
    properties: {
      attempt: { type: 'integer' },
      started_at: { type: 'string', format: 'date-time' },
      latency_ms: { type: 'integer' },
      status_code: { type: ['integer', 'null'] },
      error: nullableString,
      response_snippet: nullableString,
      outcome: { enum: ['delivered', 'retry', 'failed', 'gone'] },
    },
  },
  WebhookEvent: {
    type: 'object',
    description:
      'Signed per Standard Webhooks: headers webhook-id (= id), webhook-timestamp, webhook-signature. See docs/webhooks.md.',
    required: ['id', 'type', 'timestamp', 'data'],
    properties: {
      id: { type: 'string', examples: ['msg_6b07a1c2d3e4f5a6b7c8d9e0_4'] },
      type: { enum: ['dialog.created', 'dialog.updated', 'message.created'] },
      timestamp: { type: 'string', format: 'date-time' },
      data: {
        type: 'object',
        required: ['dialog', 'contact'],
        properties: {
          dialog: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              channel_id: { type: 'string' },
              reference: nullableString,
              title: nullableString,
              status: { enum: ['open', 'closed'] },
              assignee_id: nullableString,
              integration_data: {
                ...nullableString,
                description: 'the latest integration_data an incoming message carried',
              },
              created_at: { type: 'string', format: 'date-time' },
            },
          },
          message: {
            type: 'object',
            description: 'message.created only',
            properties: {
              id: { type: 'string' },
              direction: { enum: ['incoming', 'outgoing'] },
              text: nullableString,
              html: { ...nullableString, description: 'sanitized' },
              attachments: { type: 'array', items: ref('WebhookAttachment') },
              created_at: { type: 'string', format: 'date-time' },
              integration_data: { ...nullableString, description: 'incoming only' },
              contact_id: { ...nullableString, description: 'incoming only' },
              received_at: { ...nullableString, description: 'incoming only' },
              operator_id: { ...nullableString, description: 'outgoing only; null: the admin' },
            },
          },
          contact: {
            type: ['object', 'null'],
            description: 'the dialog’s contact, merges resolved, with its contact data',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              description: nullableString,
              contacts: { type: 'array', items: ref('ContactDataWithId') },
            },
          },
          changes: {
            type: 'array',
            description: 'dialog.updated only',
            items: {
              type: 'object',
              properties: {
                field: { enum: ['status', 'assignee_id', 'title'] },
                from: nullableString,
                to: nullableString,
              },
            },
          },
        },
      },
    },
  },
};
