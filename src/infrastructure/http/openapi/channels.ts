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
} from './schema';
import { changeChannelBody, createChannelBody } from '../codecs/channels';
import { jsonSchemaOf } from './jsonSchema';

const notFound = errors(404, ['E_CHANNEL_NOT_FOUND'], 'no such channel');
const channelId = idParam('id', 'channel id');

export const channelPaths = {
  '/api/channels': {
    post: {
      tags: ['channels'],
      summary: 'Create a channel (admin): its endpoint and a first token, shown once',
      security: bearer,
      requestBody: jsonBody(jsonSchemaOf(createChannelBody)),
      responses: {
        '201': json(
          { allOf: [ref('Channel'), { properties: { token: ref('IssuedToken') } }] },
          'created',
          positionHeader,
        ),
        ...badRequest,
        ...adminOnly,
      },
    },
  },
  '/api/channels/{id}': {
    parameters: [channelId],
    get: {
      tags: ['channels'],
      summary: 'A channel, read from its event stream (never stale)',
      security: bearer,
      responses: { '200': json(ref('Channel'), 'the channel'), ...adminOnly, ...notFound },
    },
    patch: {
      tags: ['channels'],
      summary: 'Rename, enable or disable (admin)',
      security: bearer,
      requestBody: jsonBody(jsonSchemaOf(changeChannelBody)),
      responses: {
        '200': json(ref('Channel'), 'the channel after the change', positionHeader),
        ...badRequest,
        ...adminOnly,
        ...errors(
          403,
          ['E_FORBIDDEN', 'E_CHANNEL_DELETED'],
          'not the admin token, or the channel is deleted',
        ),
        ...notFound,
      },
    },
    delete: {
      tags: ['channels'],
      summary: 'Delete a channel for good: its tokens die (admin)',
      security: bearer,
      responses: {
        '200': json(ref('Channel'), 'the deleted channel', positionHeader),
        ...adminOnly,
        ...errors(
          403,
          ['E_FORBIDDEN', 'E_CHANNEL_DELETED'],
          'not the admin token, or already deleted',
        ),
        ...notFound,
      },
    },
  },
  '/api/channels/{id}/tokens': {
    parameters: [channelId],
    post: {
      tags: ['channels'],
      summary: 'Issue another token (admin)',
      security: bearer,
      responses: {
        '201': json(ref('IssuedToken'), 'the token, shown once', positionHeader),
        ...adminOnly,
        ...notFound,
      },
    },
  },
  '/api/channels/{id}/tokens/{tokenId}': {
    parameters: [channelId, idParam('tokenId', 'token id')],
    delete: {
      tags: ['channels'],
      summary: 'Revoke a token (admin)',
      security: bearer,
      responses: {
        '204': { description: 'revoked', headers: positionHeader },
        ...adminOnly,
        ...errors(
          404,
          ['E_CHANNEL_NOT_FOUND', 'E_TOKEN_NOT_FOUND'],
          'no such channel or live token',
        ),
      },
    },
  },
};
