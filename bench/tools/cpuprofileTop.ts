import { readFileSync } from 'node:fs';

/**
 * `node dist/bench/tools/cpuprofileTop.js FILE [N]`: where a V8 CPU profile (from
 * `npm run bench -- --profile DIR`) spent its time, by function and by package or source file.
 */
type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
};
type Profile = {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

const [file, count = '25'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: cpuprofileTop FILE [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) =>
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
);
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  if (url === '') return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/dist\/(.*)$/.exec(url);
  if (own) return own[1] as string;
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
};

const sum = (key: (n: Node) => string): [string, number][] => {
  const out = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const k = key(node);
    out.set(k, (out.get(k) ?? 0) + ms);
  }
  return [...out.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
};

const print = (title: string, rows: [string, number][]): void => {
  console.log(`\n${title}`);
  for (const [k, ms] of rows)
    console.log(
      `${((100 * ms) / total).toFixed(1).padStart(6)} %  ${ms.toFixed(0).padStart(7)} ms  ${k}`,
    );
};

/** total time of samples with this function anywhere on their stack (counted once per sample) */
const inclusive = (): [string, number][] => {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined) break;
      const k = `${node.callFrame.functionName || '(anonymous)'}  ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
      if (!seen.has(k)) out.set(k, (out.get(k) ?? 0) + ms);
      seen.add(k);
    }
  }
  return [...out.entries()]
    .filter(([k]) => !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(count));
};

console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled`);
print(
  'self time by function',
  sum(
    (n) =>
      `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
  ),
);
print(
  'self time by package or file',
  sum((n) => where(n.callFrame.url)),
);
print('inclusive time by function', inclusive());
