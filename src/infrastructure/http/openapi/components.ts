import { errorCodes } from '../../../domain/errors';
import { ref, type Schema } from './schema';

export const components: {
  schemas: Record<string, Schema>;
  securitySchemes: Record<string, Schema>;
} = {
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'the admin token or an operator token' },
    channelToken: { type: 'apiKey', in: 'query', name: 'token', description: 'a channel token' },
  },
  schemas: {
    Error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          // every code the server can answer; E_NOT_FOUND is also any path or method it does not serve
          enum: [...errorCodes],
          description:
            'E_… code; see the error table in README. E_NOT_FOUND: no route for this path and method',
        },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string', description: 'JSON path in the body' },
              message: { type: 'string' },
            },
          },
        },
        request_id: {
          type: 'string',
          description: 'on E_INTERNAL: the id to find the request in the logs',
        },
      },
    },
    Attachment: {
      type: 'object',
      required: ['url', 'size', 'name', 'mimeType'],
      properties: {
        url: {
          type: 'string',
          format: 'uri',
          description: 'absolute http(s) URL; stored as metadata, never downloaded',
        },
        size: { type: 'integer', minimum: 0, description: 'bytes' },
        name: { type: 'string' },
        mimeType: { type: 'string' },
      },
    },
    ContactData: {
      type: 'object',
      required: ['type', 'service'],
      properties: {
        id: {
          type: 'string',
          description: 'ignored on input; contact data ids are assigned by Parley',
        },
        value: {
          type: 'string',
          description: 'required and non-empty (E_CONTACTS_VALUE_REQUIRED)',
        },
        type: { type: 'string', examples: ['id', 'phone', 'mail'] },
        service: { type: 'string', examples: ['custom', 'whatsapp', 'mail'] },
        origin: { type: ['string', 'null'], examples: ['custom', 'chatra'] },
      },
    },
    ContactDataWithId: {
      type: 'object',
      required: ['id', 'value', 'type', 'service', 'origin'],
      properties: {
        id: {
          type: 'string',
          pattern: '^[0-9a-f]{24}$',
          description: 'pass it in contacts_id next time',
        },
        value: { type: 'string' },
        type: { type: 'string' },
        service: { type: 'string' },
        origin: { type: ['string', 'null'] },
      },
    },
    ContactObject: {
      type: 'object',
      properties: {
        _id: {
          type: 'string',
          description:
            'an existing contact to update (24 hex digits); merged ids resolve to the survivor',
        },
        name: { type: 'string' },
        description: { type: ['string', 'null'] },
        contacts: {
          type: 'array',
          items: { $ref: '#/components/schemas/ContactData' },
          description: 'needs at least one item with service "custom" (E_CUSTOM_CONTACTS_REQUIRED)',
        },
      },
    },
    ContactDataReference: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', description: 'id of existing custom contact data' },
        value: {
          type: 'string',
          description: 'when given and different: the item takes this value',
        },
        type: { type: 'string' },
        service: { type: 'string', enum: ['custom'] },
        origin: { type: ['string', 'null'] },
      },
    },
    InboundMessage: {
      type: 'object',
      description:
        'exactly one of contact_object and contacts_id; at least one of text, html, attachments',
      properties: {
        dialog_id: {
          type: 'string',
          description: 'dialog to post into; unknown or of another channel: 404 E_DIALOG_NOT_FOUND',
        },
        reference: {
          type: 'string',
          maxLength: 512,
          description: 'external key of the dialog in this channel; ignored with dialog_id',
        },
        dialog_title: { type: 'string', maxLength: 512 },
        timestamp: {
          type: 'number',
          description: 'ms since the Unix epoch: when the message was written; default now',
        },
        text: { type: 'string', description: 'at most 64 KiB' },
        html: {
          type: 'string',
          description: 'at most 256 KiB; stored as received, sanitized wherever shown',
        },
        integration_data: {
          type: 'string',
          description: 'opaque, at most 16 KiB; passed back in webhooks',
        },
        attachments: {
          type: 'array',
          maxItems: 20,
          items: { $ref: '#/components/schemas/Attachment' },
        },
        contact_object: { $ref: '#/components/schemas/ContactObject' },
        contacts_id: {
          type: 'array',
          items: { $ref: '#/components/schemas/ContactDataReference' },
        },
      },
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
    InboundResult: {
      type: 'object',
      required: [
        'dialog_id',
        'message_id',
        'contact_id',
        'reference',
        'dialog_created',
        'contact_created',
        'contacts',
      ],
      properties: {
        dialog_id: { type: 'string' },
        message_id: { type: 'string' },
        contact_id: {
          type: 'string',
          description: 'the surviving contact when contacts were merged',
        },
        reference: { type: ['string', 'null'] },
        dialog_created: {
          type: 'boolean',
          description: 'true for exactly one request: the one that opened the dialog',
        },
        contact_created: {
          type: 'boolean',
          description:
            'true for exactly one request: the one that created the contact (which may finish a contact a concurrent request began)',
        },
        contacts: { type: 'array', items: { $ref: '#/components/schemas/ContactDataWithId' } },
      },
    },
    Channel: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        enabled: { type: 'boolean' },
        deleted: { type: 'boolean' },
        created_at: { type: 'string', format: 'date-time' },
        endpoint_url: { type: 'string', format: 'uri' },
        tokens: {
          type: 'array',
          items: ref('TokenSummary'),
        },
      },
    },
    TokenSummary: {
      type: 'object',
      description: "a live token's id and prefix, never the token",
      properties: {
        id: { type: 'string' },
        prefix: { type: 'string' },
        issued_at: { type: 'string', format: 'date-time' },
      },
    },
    IssuedToken: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        token: { type: 'string', description: 'shown this once; only its SHA-256 is kept' },
        prefix: { type: 'string' },
      },
    },
  },
};
