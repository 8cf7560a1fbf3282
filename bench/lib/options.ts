import type { BenchOptions } from './context';

export const SECTIONS = [
  'inbound',
  'projections',
  'search',
  'dialogs',
  'webhooks',
  'import',
] as const;
/** sections that `all` leaves out: `costs` repeats what `inbound` measures, alone */
export const EXTRA_SECTIONS = ['costs'] as const;
export type SectionName = (typeof SECTIONS)[number] | (typeof EXTRA_SECTIONS)[number];
const NAMES: readonly string[] = [...SECTIONS, ...EXTRA_SECTIONS];

export type Cli = Readonly<{
  sections: readonly SectionName[];
  options: BenchOptions;
  out: string;
  durable: boolean;
  databaseUrl: string | null;
}>;

const USAGE = `npm run bench -- [all|${NAMES.join('|')}]… [options]
  --duration S       seconds per measured phase (default 20)
  --warmup S         seconds of warm-up before measuring (default 5)
  --connections N    concurrent connections of the load (default 16)
  --pool N           DATABASE_POOL_SIZE of Parley and of the baseline (default 20)
  --customers N      seeded customers with a dialog each (default 2000)
  --merge-pairs N    seeded pairs of customers for merge requests (default 2000)
  --log-events N     events in the log the projections rebuild from (default 200000)
  --contacts N       contacts the search runs over (default 100000; also --search-contacts);
                     above 100000 they are written into the read model in bulk, not the log
  --dialogs N        dialogs of the dialog list's own log (default 20000), an inbox's mix of
                     open, answered, assigned and closed ones
  --dialog-contacts N  contacts of that log, its dialogs' customers (default 20000)
  --cost-rounds N    pairs of phases, feature off and on, per feature cost (default 4); the
                     cost judged is the median over the pairs ('costs' runs only these)
  --profile DIR      write a V8 CPU profile of the Parley process into DIR
  --statements       load pg_stat_statements and print the top statements, with how often
                     each was planned (embedded only)
  --waits            sample the backends' wait events and lock waits every 20 ms at full load
                     (bench/tools/pgWaits.ts), then EXPLAIN ANALYZE the appends
  --out FILE         JSON results (default bench/results/latest.json for all sections,
                     bench/results/<section>.local.json otherwise)
environment: DATABASE_URL (an external server instead of the embedded one),
             BENCH_DURABLE=false (fsync and synchronous_commit off; never for published figures)`;

const positive = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer\n${USAGE}`);
  return n;
};

/** the options that take a positive integer, and the field each sets */
const COUNTS: Readonly<
  Record<string, keyof Omit<BenchOptions, 'profileDir' | 'statements' | 'waits'>>
> = {
  '--duration': 'durationS',
  '--warmup': 'warmupS',
  '--connections': 'connections',
  '--pool': 'poolSize',
  '--customers': 'customers',
  '--merge-pairs': 'mergePairs',
  '--log-events': 'logEvents',
  '--search-contacts': 'searchContacts',
  '--contacts': 'searchContacts',
  '--dialogs': 'dialogs',
  '--dialog-contacts': 'dialogContacts',
  '--cost-rounds': 'costRounds',
};

export const parseCli = (argv: readonly string[], env: NodeJS.ProcessEnv): Cli => {
  const chosen: SectionName[] = [];
  const o = {
    durationS: 20,
    warmupS: 5,
    connections: 16,
    poolSize: 20,
    customers: 2000,
    mergePairs: 2000,
    logEvents: 200_000,
    searchContacts: 100_000,
    dialogs: 20_000,
    dialogContacts: 20_000,
    costRounds: 4,
    profileDir: null as string | null,
    statements: false,
    waits: false,
  };
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    const count = COUNTS[arg];
    if (count !== undefined) {
      o[count] = positive(arg, value());
      continue;
    }
    switch (arg) {
      case 'all':
        chosen.push(...SECTIONS);
        break;
      case '--profile':
        o.profileDir = value() ?? null;
        break;
      case '--statements':
        o.statements = true;
        break;
      case '--waits':
        o.waits = true;
        break;
      case '--out':
        out = value() ?? null;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        if (NAMES.includes(arg)) chosen.push(arg as SectionName);
        else throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  const sections = chosen.length === 0 ? [...SECTIONS] : [...new Set(chosen)];
  const all = SECTIONS.every((name) => sections.includes(name));
  return {
    sections,
    options: o,
    out:
      out ?? (all ? 'bench/results/latest.json' : `bench/results/${sections.join('-')}.local.json`),
    durable: !['false', '0', 'no'].includes((env.BENCH_DURABLE ?? '').toLowerCase()),
    databaseUrl: env.DATABASE_URL?.trim() || null,
  };
};
