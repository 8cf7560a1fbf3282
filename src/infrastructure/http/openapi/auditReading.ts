import {
  adminOnly,
  badRequest,
  bearer,
  errors,
  idParam,
  json,
  jsonBody,
  positionHeader,
  ref,
  type Schema,
} from './schema';

/** The reading half of the audit (SPEC §7): auditors, history, time travel, trace. */
export const auditReadingSchemas: Record<string, Schema> = {
  Auditor: {
    type: 'object',
    required: ['id', 'name', 'created_at', 'tokens'],
    properties: {
      id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
      name: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      tokens: { type: 'array', items: ref('TokenSummary') },
    },
  },
};

export const auditReadingPaths = {
  '/api/auditors': {
    post: {
      tags: ['audit'],
      summary:
        'Create an auditor (admin), with a token shown once: reads everything, changes nothing',
      security: bearer,
      requestBody: jsonBody({
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', maxLength: 200 } },
      }),
      responses: {
        '201': json(
          {
            allOf: [
              ref('Auditor'),
              {
                properties: {
                  token: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      token: { type: 'string', pattern: '^paud_[A-Za-z0-9_-]+$' },
                    },
                  },
                },
              },
            ],
          },
          'created',
          positionHeader,
        ),
        ...badRequest,
        ...adminOnly,
      },
    },
    get: {
      tags: ['audit'],
      summary: 'Every current auditor (admin or auditor), from the auditors stream',
      security: bearer,
      responses: {
        '200': json(
          { type: 'object', properties: { items: { type: 'array', items: ref('Auditor') } } },
          'auditors, oldest first',
        ),
        ...adminOnly,
      },
    },
  },
  '/api/auditors/{id}': {
    parameters: [idParam('id', 'auditor id')],
    delete: {
      tags: ['audit'],
      summary: 'Remove an auditor (admin): their tokens stop working at the next request',
      security: bearer,
      responses: {
        '204': { description: 'removed', headers: positionHeader },
        ...adminOnly,
        ...errors(404, ['E_NOT_FOUND'], 'no such auditor'),
      },
    },
  },
};
