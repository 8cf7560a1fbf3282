import { bearer, errors, idParam, unauthorized, type Schema } from './schema';

const attachmentId = idParam(
  'id',
  'attachment id (in a message item’s attachments, or a webhook’s)',
);

const file = (description: string) => ({
  description,
  headers: {
    'Content-Type': {
      description: 'the declared type (or the sniffed one)',
      schema: { type: 'string' },
    },
    'Content-Disposition': {
      description: '`attachment`, with a safe ASCII `filename` and the exact name in `filename*`',
      schema: { type: 'string' },
    },
  },
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
});

const notServable = {
  ...errors(404, ['E_ATTACHMENT_NOT_FOUND'], 'no such attachment'),
  ...errors(409, ['E_ATTACHMENT_NOT_STORED'], 'still pending, or failed (the message says why)'),
  ...errors(410, ['E_ATTACHMENT_ERASED'], 'the contact was erased, and the file with its key'),
};

export const attachmentSchemas: Record<string, Schema> = {
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
};

export const attachmentPaths = {
  '/api/attachments/{id}': {
    parameters: [attachmentId],
    get: {
      tags: ['attachments'],
      summary: 'A kept attachment file, byte for byte (admin, operator or auditor)',
      security: bearer,
      responses: { '200': file('the file'), ...unauthorized, ...notServable },
    },
  },
  '/api/attachments/{id}/signed': {
    parameters: [attachmentId],
    get: {
      tags: ['attachments'],
      summary: 'A kept attachment file through a signed link from a webhook (no token)',
      parameters: [
        {
          name: 'expires',
          in: 'query',
          required: true,
          schema: { type: 'string', pattern: '^\\d+$' },
        },
        { name: 'signature', in: 'query', required: true, schema: { type: 'string' } },
      ],
      responses: {
        '200': file('the file'),
        ...errors(
          403,
          ['E_ATTACHMENT_LINK_INVALID', 'E_ATTACHMENT_LINK_EXPIRED'],
          'tampered with, or expired',
        ),
        ...notServable,
      },
    },
  },
};

/** The multipart form of a reply: text and html as fields, files under any field name. */
export const replyForm: Schema = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    html: { type: 'string' },
    files: {
      type: 'array',
      items: { type: 'string', format: 'binary' },
      description:
        'each file, and all together, at most ATTACHMENT_MAX_BYTES; at most MAX_ATTACHMENTS files',
    },
  },
};
