import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Linux reports CPU time in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const TICK_MS = 10;

/** user + system CPU time a process used so far, in ms; null where /proc cannot tell. */
export const processCpuMs = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
};

const parentOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
};

/**
 * CPU time of a PostgreSQL server: its postmaster and every backend and helper it forked, as
 * a running total of what each used between two reads. A backend that exits between two
 * reads takes what it used since the first with it (an idle pool closes connections): the
 * total then falls short by that much, but never goes back.
 */
export const postgresCpuMs = (clusterDir: string | null): (() => number | null) => {
  const pidFile = clusterDir === null ? null : path.join(clusterDir, 'postmaster.pid');
  if (pidFile === null || !existsSync(pidFile)) return () => null;
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let seen = new Map<number, number>();
  let total = 0;
  return () => {
    const own = processCpuMs(postmaster);
    if (own === null) return null;
    const now = new Map<number, number>([[postmaster, own]]);
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || parentOf(pid) !== postmaster) continue;
      const ms = processCpuMs(pid);
      if (ms !== null) now.set(pid, ms);
    }
    for (const [pid, ms] of now) {
      const before = seen.get(pid) ?? 0;
      // a smaller figure is a new process under a reused pid
      total += ms >= before ? ms - before : ms;
    }
    seen = now;
    return total;
  };
};

/** CPU used by several processes between two moments. */
export type CpuMeter = Readonly<{ stop(): Record<string, number | null> }>;

export const startCpuMeter = (sources: Readonly<Record<string, () => number | null>>): CpuMeter => {
  const before = Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, read()]));
  return {
    stop: () =>
      Object.fromEntries(
        Object.entries(sources).map(([name, read]) => {
          const start = before[name];
          const end = read();
          return [name, start === null || start === undefined || end === null ? null : end - start];
        }),
      ),
  };
};

/** user + system CPU time this process used so far, in ms */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * A meter of what serving a load costs: the Parley process, the PostgreSQL server and the load
 * generator (this process, where fullLoad runs).
 */
export const requestCpuMeter = (parleyPid: number, clusterDir: string | null): CpuMeter =>
  startCpuMeter({
    parley: () => processCpuMs(parleyPid),
    postgres: postgresCpuMs(clusterDir),
    load: ownCpuMs,
  });

/** CPU ms per unit of work (message, insert) for each process. */
export type CpuShare = Readonly<Record<string, number | null>>;

export const perUnit = (used: Record<string, number | null>, units: number): CpuShare =>
  Object.fromEntries(
    Object.entries(used).map(([name, ms]) => [
      name,
      ms === null || units === 0 ? null : Math.round((ms / units) * 1000) / 1000,
    ]),
  );
