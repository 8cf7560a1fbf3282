import { adminOnly, badRequest, bearer, json } from './schema';

const query = (
  name: string,
  description: string,
  schema: Record<string, unknown> = { type: 'string' },
) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const page = (item: Record<string, unknown>) => ({
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: { items: { type: 'array', items: item }, next_cursor: { type: ['string', 'null'] } },
});

const exportedEvent = {
  type: 'object',
  required: [
    'position',
    'stream',
    'revision',
    'id',
    'type',
    'data',
    'metadata',
    'created',
    'digest',
  ],
  properties: {
    position: { type: 'string', description: 'the store’s checkpoint of the event (a cursor)' },
    stream: { type: 'string' },
    revision: { type: 'string', description: '0-based, a decimal string' },
    id: { type: 'string' },
    type: { type: 'string' },
    data: {},
    metadata: { type: 'object' },
    created: { type: 'string', format: 'date-time' },
    digest: {
      type: ['object', 'null'],
      description: 'the notary’s record (docs/audit.md); null until notarised',
    },
  },
};

/** The audit endpoints of SPEC §7 that export and verify the log (docs/audit.md). */
export const auditPaths = {
  '/api/audit/events': {
    get: {
      tags: ['audit'],
      summary:
        'The global log in commit order (admin): pages, or with Accept: application/x-ndjson the whole rest of it as an export',
      security: bearer,
      parameters: [
        query(
          'after',
          'next_cursor of the previous page (exclusive); absent: the start of the log',
        ),
        query('limit', 'events per page (1–1000, default 100)', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        query('types', 'comma-separated event types'),
        query('stream_prefix', 'only streams starting with this'),
      ],
      responses: {
        '200': {
          description:
            'a page (may be short, even empty, when filtered; the end has next_cursor null), or NDJSON lines: header, events, signed checkpoints, end',
          content: {
            'application/json': { schema: page(exportedEvent) },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        ...badRequest,
        ...adminOnly,
      },
    },
  },
  '/api/audit/verify': {
    get: {
      tags: ['audit'],
      summary: 'Verify the live log against the notary’s records and signed checkpoints (admin)',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['ok', 'findings'],
            properties: {
              ok: { type: 'boolean' },
              findings: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    kind: {
                      enum: [
                        'changed',
                        'deleted',
                        'stream_deleted',
                        'inserted',
                        'swapped',
                        'digest_altered',
                        'checkpoint_mismatch',
                        'reanchoring_mismatch',
                      ],
                    },
                    stream: { type: ['string', 'null'] },
                    revision: { type: ['string', 'null'] },
                    position: { type: ['string', 'null'] },
                    detail: { type: 'string' },
                  },
                },
              },
            },
          },
          'the verification report; ok is false when there are findings',
        ),
        ...adminOnly,
      },
    },
  },
  '/api/audit/public-key': {
    get: {
      tags: ['audit'],
      summary: 'The Ed25519 public key the checkpoints are signed with (admin)',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              algorithm: { const: 'Ed25519' },
              public_key: { type: 'string' },
              pem: { type: 'string' },
            },
          },
          'base64 SubjectPublicKeyInfo and PEM',
        ),
        ...adminOnly,
      },
    },
  },
  '/api/audit/checkpoints': {
    get: {
      tags: ['audit'],
      summary: 'The signed checkpoints, oldest first (admin)',
      security: bearer,
      parameters: [
        query('after', 'next_cursor of the previous page'),
        query('limit', '1–1000, default 100', { type: 'integer', minimum: 1, maximum: 1000 }),
      ],
      responses: {
        '200': json(
          page({
            type: 'object',
            properties: {
              seq: { type: 'string' },
              position: { type: 'string' },
              global_head: { type: 'string' },
              signed_at: { type: 'string', format: 'date-time' },
              payload: { type: 'string', description: 'the exact text signed (canonical JSON)' },
              signature: { type: 'string', description: 'Ed25519, base64' },
            },
          }),
          'a page of checkpoints',
        ),
        ...badRequest,
        ...adminOnly,
      },
    },
  },
};
