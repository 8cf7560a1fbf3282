import { readdirSync, readFileSync, statSync } from 'node:fs';
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

  it('docs/configuration.md documents every configuration variable', () => {
    const readme = readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const config = readFileSync(path.join(ROOT, 'src', 'infrastructure', 'config.ts'), 'utf8');
    const block = config.slice(
      config.indexOf('const variables = {'),
      config.indexOf('} as const;'),
    );
    const names = [...block.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('README and docs/ link only to files and headings that exist, and the README stays inside the repository', () => {
    const documents = [
      'README.md',
      ...readdirSync(path.join(ROOT, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => path.join('docs', name)),
    ];
    const anchor = (heading: string): string =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-');
    const headings = (file: string): Set<string> =>
      new Set(
        [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
          anchor(m[1] as string),
        ),
      );
    const broken: string[] = [];
    for (const doc of documents) {
      const text = readFileSync(path.join(ROOT, doc), 'utf8');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] as string;
        if (/^[a-z]+:/.test(target)) {
          if (doc === 'README.md') broken.push(`${doc}: links outside the repository: ${target}`);
          continue;
        }
        const [file, hash] = target.split('#') as [string, string | undefined];
        const resolved = file === '' ? doc : path.normalize(path.join(path.dirname(doc), file));
        if (resolved.startsWith('..')) {
          broken.push(`${doc}: links outside the repository: ${target}`);
          continue;
        }
        try {
          statSync(path.join(ROOT, resolved));
        } catch {
          broken.push(`${doc}: no such file: ${target}`);
          continue;
        }
        if (hash !== undefined && resolved.endsWith('.md') && !headings(resolved).has(hash))
          broken.push(`${doc}: no heading #${hash} in ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
