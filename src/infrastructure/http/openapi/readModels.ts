import { bearer, errors, json, ref, retryAfter, type Schema } from './schema';

const query = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const minPosition = query(
  'min_position',
  { type: 'string' },
  'an `X-Parley-Position` from a write: wait (up to MIN_POSITION_TIMEOUT_MS) until the read model has applied it',
);

const readErrors = {
  ...errors(400, ['E_VALIDATION'], 'a bad or unknown query parameter; `details` names it'),
  ...errors(401, ['E_UNAUTHORIZED'], 'no or a wrong bearer token'),
};
const notCaughtUp = {
  '503': {
    ...json(ref('Error'), 'E_UNAVAILABLE: the read model did not reach min_position in time'),
    headers: retryAfter,
  },
};

export const readModelPaths = {
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: 'Prometheus metrics: projection lag and activity, process',
      responses: {
        '200': {
          description: 'text exposition format 0.0.4',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/api/channels': {
    get: {
      tags: ['channels'],
      summary: 'Every channel, deleted ones included (admin; from the read model)',
      security: bearer,
      parameters: [minPosition],
      responses: {
        '200': json(
          { type: 'object', properties: { items: { type: 'array', items: ref('Channel') } } },
          'the channels',
        ),
        ...readErrors,
        ...errors(403, ['E_FORBIDDEN'], 'not the admin token'),
        ...notCaughtUp,
      },
    },
  },
};
