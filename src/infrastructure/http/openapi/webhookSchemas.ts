import { webhookEventTypes } from '../../../domain/webhook/eventTypes';
import { ref, type Schema } from './schema';

const nullableString = { type: ['string', 'null'] };

/** Subscriptions, deliveries and the payload Parley POSTs (docs/webhooks.md). */
export const webhookSchemas: Record<string, Schema> = {
  // an attachment in a payload: Parley's copy through a signed link
  WebhookAttachment: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      url: {
        type: 'string',
        description: 'as the message named it; an operator’s upload: the signed link',
      },
      size: { type: 'integer' },
      name: { type: 'string' },
      mimeType: { type: 'string' },
      download_url: {
        type: 'string',
        description:
          'signed link to Parley’s copy, no token needed, until download_expires_at (ATTACHMENT_LINK_TTL_SECONDS after the event); 409 while the file is still being fetched',
      },
      download_expires_at: { type: 'string', format: 'date-time' },
    },
  },
  WebhookEvent: {
    type: 'object',
    description:
      'Signed per Standard Webhooks: headers webhook-id (= id), webhook-timestamp, webhook-signature. See docs/webhooks.md.',
    required: ['id', 'type', 'timestamp', 'data'],
    properties: {
      id: { type: 'string', examples: ['msg_6b07a1c2d3e4f5a6b7c8d9e0_4'] },
      type: { enum: [...webhookEventTypes] },
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
            description:
              'message.created; message.updated carries id, direction and the status fields only',
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
              status: {
                enum: ['delivered', 'read', 'failed'],
                description: 'message.updated only: the reply’s new delivery status',
              },
              previous_status: {
                enum: ['sent', 'delivered', 'read', 'failed'],
                description: 'message.updated only',
              },
              status_reason: { ...nullableString, description: 'message.updated, failed only' },
              status_at: { ...nullableString, description: 'message.updated only' },
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
