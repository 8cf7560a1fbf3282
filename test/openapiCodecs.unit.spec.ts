import fc from 'fast-check';
import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { loadConfig } from '../src/infrastructure/config';
import { changeChannelBody, createChannelBody } from '../src/infrastructure/http/codecs/channels';
import { deliveryStatusBody } from '../src/infrastructure/http/codecs/deliveryStatus';
import { importLineCodec } from '../src/infrastructure/http/codecs/importLine';
import { inboundMessageCodec } from '../src/infrastructure/http/codecs/inboundMessage';
import { replyBody } from '../src/infrastructure/http/codecs/reply';
import { subscribeBody, updateBody } from '../src/infrastructure/http/codecs/webhook';
import { openApiDocument } from '../src/infrastructure/http/openapi/document';
import { assigneeBody } from '../src/infrastructure/http/routes/dialogCommands';
import { createAuditorBody } from '../src/infrastructure/http/routes/auditors';
import { createOperatorBody } from '../src/infrastructure/http/routes/operators';
import { invalidSample, validSample, type Schema } from './support/jsonSchemaSamples';

const { limits } = loadConfig({
  DATABASE_URL: 'postgres://127.0.0.1/unused',
  ADMIN_TOKEN: 'test-admin-token-0123456789',
});
/** what GET /openapi.json serves with this configuration (routes/openapi.ts) */
const document = openApiDocument('http://127.0.0.1', limits) as unknown as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, Schema> } }>>;
  components: { schemas: Record<string, Schema> };
};

const resolve = (schema: Schema): Schema => {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return document.components.schemas[ref.replace('#/components/schemas/', '')] as Schema;
};

/** Every request body the document shows, and the codec its route decodes it with. */
const bodies: readonly (readonly [method: string, path: string, codec: t.Any])[] = [
  ['post', '/api/custom-channel/message/{channelId}', inboundMessageCodec(limits)],
  ['post', '/api/custom-channel/message/{channelId}/status', deliveryStatusBody],
  // one NDJSON line of the body
  ['post', '/api/custom-channel/import/{channelId}', importLineCodec(limits)],
  ['post', '/api/channels', createChannelBody],
  ['patch', '/api/channels/{id}', changeChannelBody],
  ['post', '/api/operators', createOperatorBody],
  ['post', '/api/dialogs/{id}/messages', replyBody(limits)],
  ['put', '/api/dialogs/{id}/assignee', assigneeBody],
  ['post', '/api/webhooks', subscribeBody],
  ['patch', '/api/webhooks/{id}', updateBody],
  ['post', '/api/auditors', createAuditorBody],
];

const bodySchema = (method: string, path: string): Schema => {
  const body = document.paths[path]?.[method]?.requestBody;
  if (body === undefined) throw new Error(`${method} ${path} has no request body`);
  // JSON, or NDJSON whose schema is that of one line
  const content = body.content['application/json'] ?? body.content['application/x-ndjson'];
  return resolve((content as { schema: Schema }).schema);
};

describe('the request bodies the OpenAPI document shows, and the codecs that decode them', () => {
  it('covers every request body in the document', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation?.requestBody !== undefined)
        .map(([method]) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(bodies.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(bodies)('%s %s: what the schema accepts, the codec decodes', (method, path, codec) => {
    fc.assert(
      fc.property(validSample(bodySchema(method, path)), (value) => {
        expect(isRight(codec.decode(value))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each(bodies)('%s %s: what the schema refuses, the codec refuses', (method, path, codec) => {
    const invalid = invalidSample(bodySchema(method, path));
    if (invalid === null) throw new Error('the schema refuses nothing');
    fc.assert(
      fc.property(invalid, (value) => {
        expect(isRight(codec.decode(value))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
