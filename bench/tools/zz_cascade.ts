// scratch
import { startEmbeddedPostgres } from '../../src/infrastructure/postgres/embedded';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { searchContacts } from '../../src/projections/contacts/contactSearch';
import { random } from '../load/mix';
import { seededContactName } from '../seed/eventLog';

const queries = (contacts: number, count: number): string[] => {
  const rnd = random(23);
  const typo = (s: string) => { const i = 1 + Math.floor(rnd() * (s.length - 2)); return s.slice(0, i) + s.slice(i + 1); };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(rnd() * contacts);
    const name = seededContactName(rnd);
    switch (i % 6) {
      case 0: out.push(name); break;
      case 1: out.push(typo(name).toLowerCase()); break;
      case 2: out.push(name.split(' ')[1] ?? name); break;
      case 3: out.push(String(100_000_000 + n * 7919).slice(-9, -3)); break;
      case 4: out.push(`shop-user-${n}`); break;
      default: out.push(`user${n}@`);
    }
  }
  return out;
};
const main = async () => {
  const server = await startEmbeddedPostgres({ dataDir: '/tmp/exp/pg', durable: true, database: 'postgres', port: 54999 } as never);
  const pool = createPool({ connectionString: server.connectionString, max: 2, applicationName: 'exp' });
  try {
    const list = queries(100000, 120);
    const cascades: Record<string, number[]> = JSON.parse(process.argv[2] ?? '{"now":[0.9,0.75,0.6,0.4]}');
    for (const [name, cascade] of Object.entries(cascades)) {
      const byKind: number[][] = [[], [], [], [], [], []];
      const all: number[] = [];
      const answers: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const t = performance.now();
        const r = await searchContacts(pool, list[i]!, { limit: 20, offset: 0 }, cascade);
        const ms = performance.now() - t;
        byKind[i % 6]!.push(ms); all.push(ms);
        answers.push(r.items.map((x) => x.contactId + ':' + x.score.toFixed(4)).join(','));
      }
      const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(0); };
      console.log(name, 'p50', pct(all, 0.5), 'p95', pct(all, 0.95), 'by kind p50:', byKind.map((k) => pct(k, 0.5)).join(' '), 'sig', require('crypto').createHash('md5').update(answers.join('|')).digest('hex').slice(0, 8));
    }
  } finally { await pool.end(); await server.stop(); }
};
void main();
