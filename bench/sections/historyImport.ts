import path from 'node:path';
import { buildHistory, type History } from '../load/history';
import type { BenchContext } from '../lib/context';
import { withClient } from '../lib/database';
import { perUnit, postgresCpuMs, processCpuMs, startCpuMeter, type CpuShare } from '../lib/cpu';
import { startParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { createBenchChannel } from './benchChannel';
import { readStatements, resetStatements, type StatementStat } from './statements';

/** issue 17: "10,000 messages import in under a minute on this machine" */
export const IMPORT_MESSAGES = 10_000;
export const IMPORT_BUDGET_S = 60;

type Pass = Readonly<{
  seconds: number;
  messagesPerSecond: number;
  imported: number;
  alreadyImported: number;
  errors: number;
  /** events the pass appended to the log */
  eventsAppended: number;
  /** CPU ms per message during the pass: Parley (its projections included) and PostgreSQL */
  cpuMsPerMessage: CpuShare;
}>;

export type HistoryImportSection = Readonly<{
  status: 'ok';
  history: Omit<History, 'ndjson'> & { bytes: number };
  /** the NDJSON into a fresh database */
  first: Pass;
  /** the same body again: every line already_imported, nothing appended */
  again: Pass & { everyLineAlreadyImported: boolean };
  /** pg_stat_statements during the first pass, with --statements */
  statements: readonly StatementStat[] | null;
}>;

type Report = Readonly<{
  imported: number;
  already_imported: number;
  errors: number;
  lines: readonly { status: string; code?: string; message?: string }[];
}>;

const eventCount = (databaseUrl: string): Promise<number> =>
  withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM event_store.events',
    );
    return Number(rows[0]?.n ?? 0);
  });

/**
 * One Parley on a fresh database takes a history of 10,000 messages, both directions, at their
 * original times, in one POST /api/custom-channel/import request (docs/performance.md); then
 * the same request again.
 */
export const runHistoryImport = async (bench: BenchContext): Promise<HistoryImportSection> => {
  const { options } = bench;
  const databaseUrl = await bench.server.createDatabase('import');
  const parley = await startParleyProcess({ databaseUrl, poolSize: options.poolSize });
  try {
    const channel = await createBenchChannel(parley);
    const importPath = channel.endpoint.replace('/message/', '/import/');
    const { ndjson, ...history } = buildHistory(IMPORT_MESSAGES);
    const bytes = Buffer.byteLength(ndjson);

    const postgresCpu = postgresCpuMs(bench.server.clusterDir);
    const pass = async (name: string): Promise<Pass & { report: Report }> => {
      const before = await eventCount(databaseUrl);
      const cpu = startCpuMeter({ parley: () => processCpuMs(parley.pid), postgres: postgresCpu });
      const started = performance.now();
      const response = await fetch(`${parley.url}${importPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: ndjson,
      });
      const text = await response.text();
      const seconds = (performance.now() - started) / 1000;
      const cpuMs = cpu.stop();
      if (response.status !== 200)
        throw new Error(`import ${name}: ${response.status} ${text.slice(0, 500)}`);
      const report = JSON.parse(text) as Report;
      const failed = report.lines.find((l) => l.status === 'error');
      if (failed !== undefined)
        throw new Error(
          `import ${name}: ${report.errors} lines refused, e.g. ${JSON.stringify(failed)}`,
        );
      return {
        seconds: round(seconds, 2),
        messagesPerSecond: round(history.messages / seconds, 1),
        imported: report.imported,
        alreadyImported: report.already_imported,
        errors: report.errors,
        eventsAppended: (await eventCount(databaseUrl)) - before,
        cpuMsPerMessage: perUnit(cpuMs, history.messages),
        report,
      };
    };

    bench.log(
      `history import: ${history.messages} messages (${history.incoming} in, ${history.outgoing} out) in ${history.dialogs} dialogs of ${history.customers} customers, ${(bytes / 1e6).toFixed(1)} MB of NDJSON`,
    );
    if (options.profileDir !== null) await parley.profile('start');
    if (options.statements) await resetStatements(databaseUrl);
    const { report: _first, ...first } = await pass('first');
    const statements = options.statements ? (await readStatements(databaseUrl, 12)).top : null;
    if (options.profileDir !== null) {
      const file = path.join(options.profileDir, 'history-import.cpuprofile');
      await parley.profile('stop', file);
      bench.log(`CPU profile of the import: ${file}`);
    }
    bench.log(`history import: ${first.seconds} s; the same body again`);
    const { report, ...again } = await pass('again');
    return {
      status: 'ok',
      history: { ...history, bytes },
      first,
      again: {
        ...again,
        everyLineAlreadyImported:
          report.lines.length === history.messages &&
          report.lines.every((l) => l.status === 'already_imported'),
      },
      statements,
    };
  } finally {
    await parley.stop();
  }
};
