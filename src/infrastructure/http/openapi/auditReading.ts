import { bearer, errors, json, ref, type Schema } from './schema';

/** The reading half of the audit (SPEC §7) not yet declared by route contracts: trace, time travel. */

const auditOnly = {
  ...errors(401, ['E_UNAUTHORIZED'], 'no or a wrong bearer token'),
  ...errors(403, ['E_FORBIDDEN'], 'not the admin token nor an auditor’s'),
};

const trace: Schema = {
  type: 'object',
  required: ['correlation_id', 'request', 'replay_of', 'replays', 'events', 'deliveries'],
  properties: {
    correlation_id: { type: 'string' },
    request: {
      type: ['object', 'null'],
      description: 'from the metadata of its first event (or its replay record)',
      properties: {
        actor: { type: 'object' },
        channel_id: { type: ['string', 'null'] },
        route: { type: ['string', 'null'], description: 'e.g. POST /api/dialogs/:id/close' },
        idempotency_key: { type: ['string', 'null'] },
        at: { type: 'string', format: 'date-time' },
      },
    },
    replay_of: {
      type: ['object', 'null'],
      description: 'an idempotent replay: the original request and its trace',
      properties: { correlation_id: { type: 'string' }, trace: { type: 'string' } },
    },
    replays: {
      type: 'array',
      description: 'idempotent replays of this request',
      items: {
        type: 'object',
        properties: {
          correlation_id: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          trace: { type: 'string' },
        },
      },
    },
    events: { type: 'array', items: ref('HistoryItem'), description: 'in commit order' },
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          webhook_id: { type: 'string' },
          webhook_message_id: { type: 'string', description: 'the webhook-id header' },
          event_type: { type: 'string' },
          status: { enum: ['pending', 'delivered', 'failed', 'cancelled'] },
          attempts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                attempt: { type: 'integer' },
                started_at: { type: 'string', format: 'date-time' },
                latency_ms: { type: 'integer' },
                status_code: { type: ['integer', 'null'] },
                error: { type: ['string', 'null'] },
                outcome: { enum: ['delivered', 'retry', 'failed', 'gone'] },
              },
            },
          },
        },
      },
    },
  },
};

export const auditReadingPaths = {
  '/api/audit/correlations/{correlationId}': {
    parameters: [
      {
        name: 'correlationId',
        in: 'path',
        required: true,
        description: 'the X-Request-Id of the request',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      },
    ],
    get: {
      tags: ['audit'],
      summary:
        'Trace a request (admin or auditor): the request, the events it appended, the webhook deliveries they caused with every attempt',
      security: bearer,
      responses: {
        '200': json(trace, 'the trace'),
        ...auditOnly,
        ...errors(404, ['E_NOT_FOUND'], 'no request with this id appended anything'),
      },
    },
  },
};

const timeTravelParameters = [
  {
    name: 'as_of',
    in: 'query',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description:
      'time travel: the answer as it was at this ISO 8601 instant, folded from the events recorded up to it (404 before the resource existed)',
  },
  {
    name: 'at_position',
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description:
      'time travel: the answer as it was at this log position (an X-Parley-Position or a history item’s position), inclusive',
  },
];

/** The live read routes that answer `as_of` / `at_position` too (routes/timeTravel.ts). */
const TIME_TRAVEL_PATHS = [
  '/api/dialogs/{id}',
  '/api/dialogs/{id}/messages',
  '/api/contacts/{id}',
  '/api/channels/{id}',
];

/** Adds the time-travel parameters to the GET of each path that answers them. */
export const withTimeTravel = <P extends Record<string, Record<string, unknown>>>(paths: P): P => {
  const out: Record<string, Record<string, unknown>> = { ...paths };
  for (const path of TIME_TRAVEL_PATHS) {
    const item = out[path];
    const get = item?.get as { parameters?: unknown[] } | undefined;
    if (item === undefined || get === undefined) throw new Error(`OpenAPI: no GET ${path}`);
    out[path] = {
      ...item,
      get: { ...get, parameters: [...(get.parameters ?? []), ...timeTravelParameters] },
    };
  }
  return out as P;
};
