import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CORRECTIONS, type Correction } from './fixtures/openapiCorrections';
import { envelopeOf, operationsOf, type OpenApiDocument } from './support/openapiMeaning';
import { useTestParley } from './support/parley';

/**
 * The document Parley served before its schemas were derived from the codecs (issue 11), as
 * GET /openapi.json answered on a default configuration. Deriving must not change what it says.
 * Made with startTestParley(): `JSON.stringify(await (await request('/openapi.json')).json())`,
 * servers[0].url replaced by http://127.0.0.1:PORT, then prettier. A route added without
 * derivation is added here the same way, from the document before its schemas were derived.
 */
const before = JSON.parse(
  readFileSync(path.join(__dirname, 'fixtures', 'openapi.before.json'), 'utf8'),
) as OpenApiDocument;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const apply = (meaning: Record<string, unknown>, correction: Correction): void => {
  const keys = correction.at.split('.');
  const last = keys.pop() as string;
  let node = meaning[correction.operation] as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (correction.now === undefined) delete node[last];
  else node[last] = clone(correction.now);
};

describe('the served OpenAPI document, compared with the one before derivation', () => {
  const parley = useTestParley();
  let served: OpenApiDocument;
  beforeAll(async () => {
    served = (await (await parley.request('/openapi.json')).json()) as OpenApiDocument;
  });

  const expected = operationsOf(before);
  for (const correction of CORRECTIONS) apply(expected, correction);

  it('has the same operations', () =>
    expect(Object.keys(operationsOf(served)).sort()).toEqual(Object.keys(expected).sort()));

  it.each(Object.keys(expected).sort())('means the same for %s', (operation) =>
    expect(operationsOf(served)[operation]).toEqual(expected[operation]),
  );

  it('means the same outside paths (webhooks, security schemes, version)', () =>
    expect(envelopeOf(served)).toEqual(envelopeOf(before)));

  it('applies each correction to something the old document said differently', () => {
    for (const correction of CORRECTIONS) {
      const old = operationsOf(before);
      const untouched = JSON.stringify(old[correction.operation]);
      apply(old, correction);
      expect([correction.operation, JSON.stringify(old[correction.operation])]).not.toEqual([
        correction.operation,
        untouched,
      ]);
    }
  });
});

describe('the meaning of an OpenAPI document', () => {
  const meaning = (document: OpenApiDocument) => operationsOf(document);

  it('ignores key order, prose and $ref against inline', () => {
    const inlined = clone(before);
    const channel = inlined.components.schemas.Channel;
    const get = inlined.paths['/api/channels/{id}']?.get as Record<string, unknown>;
    const responses = get.responses as Record<string, Record<string, unknown>>;
    responses['200'] = {
      description: 'another wording',
      content: { 'application/json': { schema: channel } },
    };
    expect(meaning(inlined)).toEqual(meaning(before));
  });

  it('sees a changed limit, a dropped status code and a changed enum', () => {
    const limit = clone(before);
    const post = limit.paths['/api/channels']?.post as Record<string, unknown>;
    const body = post.requestBody as { content: Record<string, { schema: unknown }> };
    (
      body.content['application/json']?.schema as { properties: { name: { maxLength: number } } }
    ).properties.name.maxLength = 201;
    expect(meaning(limit)['post /api/channels']).not.toEqual(meaning(before)['post /api/channels']);

    const status = clone(before);
    delete (
      (status.paths['/api/channels']?.post as Record<string, unknown>).responses as Record<
        string,
        unknown
      >
    )['403'];
    expect(meaning(status)['post /api/channels']).not.toEqual(
      meaning(before)['post /api/channels'],
    );

    const codes = clone(before);
    const schemas = codes.components.schemas as Record<string, { properties: { status: unknown } }>;
    (schemas.Dialog as { properties: { status: unknown } }).properties.status = {
      enum: ['open'],
    };
    expect(meaning(codes)['get /api/dialogs/{id}']).not.toEqual(
      meaning(before)['get /api/dialogs/{id}'],
    );
  });
});
