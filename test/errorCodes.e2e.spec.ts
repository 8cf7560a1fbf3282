import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errorCodes } from '../src/domain/errors';
import { useTestParley } from './support/parley';
import { sources } from './support/sources';

const ROOT = path.join(__dirname, '..');

/** every 'E_…' literal in src: a code the code base can produce, whatever its type says */
const codesInSource = (): string[] => {
  const found = new Set<string>();
  for (const file of sources(path.join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`](E_[A-Z_]+)['"`]/g))
      found.add(m[1] as string);
  }
  return [...found].sort();
};

/** the codes in the integration guide's error table (section "Errors") */
const codesInGuide = (): Set<string> => {
  const readme = readFileSync(path.join(ROOT, 'docs', 'integration.md'), 'utf8');
  const start = readme.indexOf('### Errors');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  return new Set(
    rows.flatMap((row) => [...row.matchAll(/`(E_[A-Z_]+)`/g)].map((m) => m[1] as string)),
  );
};

/** Every error code the server can answer is documented in docs/integration.md and in the served OpenAPI. */
describe('error codes', () => {
  const parley = useTestParley();
  const all = [...new Set([...errorCodes, ...codesInSource()])].sort();

  it('come from the one union (src/domain/errors.ts), HTTP-layer codes included', () => {
    expect(all).toEqual(expect.arrayContaining(['E_NOT_FOUND', 'E_INTERNAL', 'E_VALIDATION']));
    expect(
      codesInSource().filter((code) => !(errorCodes as readonly string[]).includes(code)),
    ).toEqual([]);
  });

  it('are each in the error table of docs/integration.md', () => {
    const documented = codesInGuide();
    expect(documented.size).toBeGreaterThan(10);
    expect(all.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('are each in the OpenAPI document the server serves', async () => {
    const response = await parley.request('/openapi.json');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(all.filter((code) => !text.includes(`"${code}"`))).toEqual([]);
  });
});
