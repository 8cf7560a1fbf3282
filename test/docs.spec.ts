import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sources } from './support/sources';

const ROOT = path.join(__dirname, '..');

/** every `Event<'Type', …>` declared in src */
const declaredEventTypes = (): string[] => {
  const types = new Set<string>();
  for (const file of sources(path.join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/Event<\s*'([A-Z][A-Za-z]+)'/g))
      types.add(match[1] as string);
  }
  return [...types].sort();
};

describe('docs stay current with the code', () => {
  it('docs/events.md documents every event type', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'events.md'), 'utf8');
    const types = declaredEventTypes();
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter((type) => !doc.includes(`\`${type}\``))).toEqual([]);
  });

  it('README documents every configuration variable', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const config = readFileSync(path.join(ROOT, 'src', 'infrastructure', 'config.ts'), 'utf8');
    const block = config.slice(
      config.indexOf('const variables = {'),
      config.indexOf('} as const;'),
    );
    const names = [...block.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
