import { errorCodes } from '../../../domain/errors';
import type { Schema } from './schema';

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
  },
};
