import { BENCH_ADMIN_TOKEN } from '../lib/parleyProcess';
import { fullLoad, type LoadResult } from '../load/httpLoad';
import { random } from '../load/mix';
import type { BenchContext } from '../lib/context';
import { perUnit, requestCpuMeter, type CpuShare } from '../lib/cpu';
import { seededContactName } from '../seed/eventLog';
import type { SearchStage } from './searchStage';

export type SearchSection = Readonly<{
  status: 'ok';
  contacts: number;
  seeding: SearchStage['seeding'];
  /** seeding the contacts (and, through the log, the projection applying them) */
  seedSeconds: number;
  load: LoadResult;
  latency: LoadResult['latency'];
  /** CPU ms per search while loaded: Parley, PostgreSQL and the load generator */
  cpuMsPerSearch: CpuShare;
}>;

/**
 * What operators type: a name, a misspelt name, a family name alone, part of a phone number,
 * a customer's id in the marketplace, part of an e-mail address (bench/tools/searchTimings
 * times the same mix directly).
 */
export const searchQueries = (contacts: number, count: number): string[] => {
  const rnd = random(23);
  const typo = (s: string): string => {
    const i = 1 + Math.floor(rnd() * (s.length - 2));
    return s.slice(0, i) + s.slice(i + 1);
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(rnd() * contacts);
    const name = seededContactName(rnd);
    switch (i % 6) {
      case 0:
        out.push(name);
        break;
      case 1:
        out.push(typo(name).toLowerCase());
        break;
      case 2:
        out.push(name.split(' ')[1] ?? name);
        break;
      case 3:
        out.push(String(100_000_000 + n * 7919).slice(-9, -3));
        break;
      case 4:
        out.push(`shop-user-${n}`);
        break;
      default:
        out.push(`user${n}@`);
    }
  }
  return out;
};

export const runSearch = async (
  bench: BenchContext,
  stage: SearchStage,
): Promise<SearchSection> => {
  // more than a run sends (250 searches/s for 20 s is 5,000): a query seen again would
  // measure whatever a process remembers of it, not a search (the first 5,000 as before)
  const list = searchQueries(stage.contacts, 100_000);
  let i = 0;
  const connections = 4;
  const search = () => ({
    kind: 'search',
    method: 'GET' as const,
    path: `/api/contacts/search?q=${encodeURIComponent(list[i++ % list.length] as string)}`,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  bench.log(
    `search: ${stage.contacts} contacts (${stage.seeding}, seeded in ${stage.seedSeconds} s); ` +
      `${bench.options.warmupS} s warm-up, ${bench.options.durationS} s of GET /api/contacts/search, ${connections} connections`,
  );
  // every connection's statements prepared, the indexes' pages in memory
  await fullLoad(stage.url, search, { connections, durationS: bench.options.warmupS });
  const cpu = requestCpuMeter(stage.parleyPid, bench.server.clusterDir);
  const load = await fullLoad(stage.url, search, {
    connections,
    durationS: bench.options.durationS,
  });
  const cpuMsPerSearch = perUnit(cpu.stop(), load.ok);
  const { contacts, seeding, seedSeconds } = stage;
  return {
    status: 'ok',
    contacts,
    seeding,
    seedSeconds,
    load,
    latency: load.latency,
    cpuMsPerSearch,
  };
};
