/**
 * Figures about the code that the closing notes quote (issue 11), read with the TypeScript
 * compiler API so that they mean the same each time:
 *
 *   npx tsx scripts/codeFigures.ts functions [N]     the N largest functions of src/ (lines)
 *   npx tsx scripts/codeFigures.ts closure FILE...   the files of src/ those files need to run
 *
 * CODE_FIGURES_ROOT=DIR reads another checkout (a "before" to compare with).
 *
 * `functions` counts every function, method and arrow function of src/ outside the specs, the
 * shared store suite and the test builders (`testing/`), from
 * its first line to its last (an outer function includes the ones inside it). `closure` follows
 * value imports and re-exports (not `import type`, nor imports of types only) from the given
 * files, within src/: what a reader opens to follow the code from there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(process.env.CODE_FIGURES_ROOT ?? path.join(__dirname, '..'));
const SRC = path.join(ROOT, 'src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(full);
    const test = entry.name.includes('.spec.') || entry.name.includes('.suite.');
    return entry.name.endsWith('.ts') && !test ? [full] : [];
  });

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const nameOf = (node: ts.Node): string => {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText();
    return `(callback of ${callee.length > 40 ? `${callee.slice(0, 40)}…` : callee})`;
  }
  return '(anonymous)';
};

type Sized = Readonly<{ name: string; file: string; line: number; lines: number }>;

const functionsOf = (file: string): Sized[] => {
  const source = parse(file);
  const found: Sized[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const first = lineOf(node.getStart(source));
      found.push({
        name: nameOf(node),
        file: path.relative(ROOT, file),
        line: first,
        lines: lineOf(node.getEnd()) - first + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

/** The modules a file needs at run time: value imports and re-exports, resolved in src/. */
const valueImportsOf = (file: string): string[] => {
  const source = parse(file);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.isTypeOnly &&
      statement.moduleSpecifier !== undefined
    ) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers.flatMap((specifier) => {
    if (!specifier.startsWith('.')) return [];
    const base = path.resolve(path.dirname(file), specifier);
    const candidates = [`${base}.ts`, path.join(base, 'index.ts')];
    return candidates.filter((candidate) => {
      try {
        readFileSync(candidate);
        return candidate.startsWith(SRC);
      } catch {
        return false;
      }
    });
  });
};

const closure = (starts: readonly string[]): string[] => {
  const seen = new Set<string>();
  const queue = starts.map((file) => path.resolve(ROOT, file));
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...valueImportsOf(file));
  }
  return [...seen].map((file) => path.relative(ROOT, file)).sort();
};

const [command, ...args] = process.argv.slice(2);
if (command === 'functions') {
  const most = Number(args[0] ?? 15);
  const all = sourceFiles(SRC).flatMap(functionsOf);
  for (const f of all.sort((a, b) => b.lines - a.lines).slice(0, most))
    process.stdout.write(`${String(f.lines).padStart(4)}  ${f.name}  ${f.file}:${f.line}\n`);
} else if (command === 'closure' && args.length > 0) {
  const files = closure(args);
  const folders = new Set(files.map((file) => path.dirname(file)));
  for (const file of files) process.stdout.write(`${file}\n`);
  process.stdout.write(`${files.length} files in ${folders.size} folders\n`);
} else {
  process.stderr.write('usage: codeFigures.ts functions [N] | closure FILE...\n');
  process.exitCode = 2;
}
