import { INBOUND_SPEC_CODES } from './support/inbound';
import { routersFor } from '../src/infrastructure/parley';
import { useTestParley } from './support/parley';

type Document = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('the OpenAPI document', () => {
  const parley = useTestParley();
  let document: Document;
  beforeAll(async () => {
    const response = await parley.request('/openapi.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });

  it('is OpenAPI 3.1 with the server it is served from', () =>
    expect(document).toMatchObject({ openapi: '3.1.0', servers: [{ url: parley.url }] }));

  it('describes every route Parley serves, and nothing it does not', () => {
    const served = new Set<string>();
    for (const router of routersFor(parley.deps)) {
      for (const layer of router.stack) {
        for (const method of layer.methods
          .map((m) => m.toLowerCase())
          .filter((m) => METHODS.includes(m))) {
          const path = String(layer.path)
            .replace(/:([A-Za-z_]+)/g, '{$1}')
            .replace(/(.)\/$/, '$1');
          served.add(`${method} ${path}`);
        }
      }
    }
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m} ${path}`),
      ),
    );
    expect(served.size).toBeGreaterThan(5);
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
  });

  it('resolves every $ref', () => {
    const refs = [
      ...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(5);
    expect(refs.filter((name) => !(name in document.components.schemas))).toEqual([]);
  });

  it('lists every error code of the inbound endpoint from SPEC §2', () => {
    const text = JSON.stringify(document.paths['/api/custom-channel/message/{channelId}']);
    for (const code of INBOUND_SPEC_CODES) {
      expect(text).toContain(code);
    }
  });
});
