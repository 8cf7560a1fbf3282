import {
  adminOnly,
  badRequest,
  bearer,
  errors,
  idParam,
  json,
  jsonBody,
  positionHeader,
  annotated,
  ref,
  type Schema,
  unauthorized,
} from './schema';
import type { Limits } from '../../config';
import { replyBody } from '../codecs/reply';
import { assigneeBody } from '../routes/dialogCommands';
import { createOperatorBody } from '../routes/operators';
import { jsonSchemaOf } from './jsonSchema';
import { replyForm } from './attachments';

const operatorId = idParam('id', 'operator id');
const dialogId = idParam('id', 'dialog id');
const dialogNotFound = errors(404, ['E_DIALOG_NOT_FOUND'], 'no such dialog');

export const operatorSchemas = (limits: Limits): Record<string, Schema> => ({
  Operator: {
    type: 'object',
    required: ['id', 'name', 'created_at', 'tokens'],
    properties: {
      id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
      name: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      tokens: {
        type: 'array',
        description: 'live tokens: their ids and prefixes, never the tokens',
        items: ref('TokenSummary'),
      },
    },
  },
  OperatorToken: {
    type: 'object',
    required: ['id', 'token'],
    properties: {
      id: { type: 'string' },
      token: {
        type: 'string',
        pattern: '^pop_[0-9a-f]{24}_[A-Za-z0-9_-]+$',
        description: 'shown once; send as Authorization: Bearer <token>',
      },
    },
  },
  Reply: annotated(jsonSchemaOf(replyBody(limits)), {
    '': { description: 'at least one of a non-empty text, html or attachments (E_MESSAGE_EMPTY)' },
    text: { description: `at most ${limits.textBytes} bytes (MAX_TEXT_BYTES)` },
    html: {
      description: `at most ${limits.htmlBytes} bytes (MAX_HTML_BYTES); kept as written, sanitized when served`,
    },
  }),
});

const statusChange = (action: 'close' | 'reopen', status: 'closed' | 'open') => ({
  parameters: [dialogId],
  post: {
    tags: ['dialogs'],
    summary: `${action === 'close' ? 'Close' : 'Reopen'} a dialog (admin or operator); again changes nothing`,
    security: bearer,
    responses: {
      '200': json(
        {
          type: 'object',
          properties: { dialog_id: { type: 'string' }, status: { const: status } },
        },
        'the dialog’s status now',
        positionHeader,
      ),
      ...unauthorized,
      ...dialogNotFound,
    },
  },
});

export const operatorPaths = {
  '/api/operators': {
    post: {
      tags: ['operators'],
      summary: 'Create an operator (admin), with a first token shown once',
      security: bearer,
      requestBody: jsonBody(jsonSchemaOf(createOperatorBody)),
      responses: {
        '201': json(
          { allOf: [ref('Operator'), { properties: { token: ref('OperatorToken') } }] },
          'created',
          positionHeader,
        ),
        ...badRequest,
        ...adminOnly,
      },
    },
    get: {
      tags: ['operators'],
      summary: 'Every operator (admin), from the operators read model',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    created_at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          'operators, oldest first',
        ),
        ...adminOnly,
      },
    },
  },
  '/api/operators/{id}': {
    parameters: [operatorId],
    get: {
      tags: ['operators'],
      summary: 'An operator, read from its event stream (admin)',
      security: bearer,
      responses: {
        '200': json(ref('Operator'), 'the operator'),
        ...adminOnly,
        ...errors(404, ['E_OPERATOR_NOT_FOUND'], 'no such operator'),
      },
    },
  },
  '/api/operators/{id}/tokens': {
    parameters: [operatorId],
    post: {
      tags: ['operators'],
      summary: 'Issue another token (admin)',
      security: bearer,
      responses: {
        '201': json(ref('OperatorToken'), 'the token, shown once', positionHeader),
        ...adminOnly,
        ...errors(404, ['E_OPERATOR_NOT_FOUND'], 'no such operator'),
      },
    },
  },
  '/api/operators/{id}/tokens/{tokenId}': {
    parameters: [operatorId, idParam('tokenId', 'token id')],
    delete: {
      tags: ['operators'],
      summary: 'Revoke a token (admin); it stops working at the next request',
      security: bearer,
      responses: {
        '204': { description: 'revoked', headers: positionHeader },
        ...adminOnly,
        ...errors(
          404,
          ['E_OPERATOR_NOT_FOUND', 'E_TOKEN_NOT_FOUND'],
          'no such operator or live token',
        ),
      },
    },
  },
  '/api/dialogs/{id}/messages': {
    parameters: [dialogId],
    post: {
      tags: ['dialogs'],
      summary: 'Reply (admin or operator): MessageSent, reopening a closed dialog',
      description:
        'With an `Idempotency-Key` header the message id is derived from the key: a retry with the same body records nothing new and answers the same; another body under the key is 409. As multipart/form-data the reply carries files (SPEC §2.1): a file, or the files together, over ATTACHMENT_MAX_BYTES is 413 E_PAYLOAD_TOO_LARGE; a body neither JSON nor multipart is 415.',
      security: bearer,
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 255 },
        },
      ],
      requestBody: {
        required: true,
        content: {
          ...jsonBody(ref('Reply')).content,
          // an operator's files (SPEC §2.1), stored before the reply is appended
          'multipart/form-data': { schema: replyForm },
        },
      },
      responses: {
        '201': json(
          {
            type: 'object',
            properties: {
              dialog_id: { type: 'string' },
              message_id: { type: 'string' },
              direction: { const: 'outgoing' },
            },
          },
          'sent',
          positionHeader,
        ),
        ...errors(
          400,
          ['E_VALIDATION', 'E_MALFORMED_JSON', 'E_MESSAGE_EMPTY'],
          'bad or empty reply',
        ),
        ...unauthorized,
        ...dialogNotFound,
        ...errors(409, ['E_IDEMPOTENCY_CONFLICT'], 'the key was used for another reply'),
      },
    },
  },
  '/api/dialogs/{id}/assignee': {
    parameters: [dialogId],
    put: {
      tags: ['dialogs'],
      summary: 'Assign to an operator, or unassign with null (admin or operator)',
      security: bearer,
      requestBody: jsonBody(
        annotated(jsonSchemaOf(assigneeBody), {
          operator_id: { description: 'an operator, or null to unassign' },
        }),
      ),
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              dialog_id: { type: 'string' },
              assignee_id: { type: ['string', 'null'] },
            },
          },
          'assigned',
          positionHeader,
        ),
        ...badRequest,
        ...unauthorized,
        ...errors(
          404,
          ['E_DIALOG_NOT_FOUND', 'E_OPERATOR_NOT_FOUND'],
          'no such dialog or operator',
        ),
      },
    },
    delete: {
      tags: ['dialogs'],
      summary: 'Unassign (admin or operator)',
      security: bearer,
      responses: {
        '200': json(
          {
            type: 'object',
            properties: { dialog_id: { type: 'string' }, assignee_id: { type: 'null' } },
          },
          'unassigned',
          positionHeader,
        ),
        ...unauthorized,
        ...dialogNotFound,
      },
    },
  },
  '/api/dialogs/{id}/close': statusChange('close', 'closed'),
  '/api/dialogs/{id}/reopen': statusChange('reopen', 'open'),
};
