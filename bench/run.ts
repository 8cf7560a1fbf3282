import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cpus } from 'node:os';
import type { BenchContext } from './lib/context';
import { startBenchServer } from './lib/database';
import { describeMachine, gitDescription, loadAverage } from './lib/machine';
import { parseCli, type SectionName } from './lib/options';
import { renderTable } from './lib/report';
import { startLogStage, type LogStage } from './sections/logStage';
import { runHistoryImport } from './sections/historyImport';
import { runFeatureCosts } from './sections/featureCosts';
import { runInbound } from './sections/inbound';
import { runProjections } from './sections/projections';
import { runDialogLists } from './sections/dialogLists';
import { startDialogStage } from './sections/dialogStage';
import { runSearch } from './sections/search';
import { BULK_ABOVE, bulkSearchStage, fromLog } from './sections/searchStage';
import { runWebhooks } from './sections/webhooks';
import { rowsOf, targetsOf, type Results } from './summary';

/**
 * `npm run bench [-- sections…]`: starts PostgreSQL (embedded, or DATABASE_URL), runs each
 * section against Parley in its own process with the load in another, prints a table and
 * writes the JSON. docs/performance.md explains the method.
 */
const main = async (): Promise<void> => {
  const cli = parseCli(process.argv.slice(2), process.env);
  // the profiles are written by the Parley process, which does not make directories
  if (cli.options.profileDir !== null) await mkdir(cli.options.profileDir, { recursive: true });
  const started = new Date();
  const log = (line: string): void =>
    console.log(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  log(`load average at start: ${loadAverage().join(' ')} (1, 5, 15 min) on ${cpus().length} cores`);

  const server = await startBenchServer({
    databaseUrl: cli.databaseUrl,
    durable: cli.durable,
    statements: cli.options.statements,
  });
  const bench: BenchContext = { server, options: cli.options, log };
  const sections: Partial<Record<SectionName, unknown>> = {};
  // the big log and a Parley on it, for the projections and the search
  const staged: { stage: LogStage | null } = { stage: null };
  let interrupted = false;
  // Ctrl-C: the children go with their parent's IPC channel; the PostgreSQL server is ours to stop
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping, no results written`);
      interrupted = true;
      void server.close().finally(() => process.exit(130));
    });
  }
  try {
    const machine = await describeMachine(await server.createDatabase('probe'));
    log(
      `PostgreSQL ${machine.postgres}, synchronous_commit=${machine.postgresSettings.synchronous_commit}, fsync=${machine.postgresSettings.fsync}`,
    );

    // the sections write their profiles there and expect it to exist
    if (cli.options.profileDir !== null) await mkdir(cli.options.profileDir, { recursive: true });
    const theLog = async (): Promise<LogStage> => (staged.stage ??= await startLogStage(bench));

    for (const name of cli.sections) {
      const section = async (): Promise<unknown> => {
        switch (name) {
          case 'inbound':
            return runInbound(bench);
          case 'projections':
            return runProjections(bench, await theLog());
          case 'search': {
            if (cli.options.searchContacts <= BULK_ABOVE)
              return runSearch(bench, fromLog(await theLog()));
            const stage = await bulkSearchStage(bench);
            try {
              return await runSearch(bench, stage);
            } finally {
              await stage.stop();
            }
          }
          case 'dialogs': {
            // a log of its own: the big one takes its consumers many minutes to apply
            const stage = await startDialogStage(bench);
            try {
              return await runDialogLists(bench, stage);
            } finally {
              await stage.stop();
            }
          }
          case 'webhooks':
            return runWebhooks(bench);
          case 'import':
            return runHistoryImport(bench);
          case 'costs':
            return runFeatureCosts(bench);
        }
      };
      try {
        sections[name] = await section();
      } catch (error) {
        log(
          `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        sections[name] = { status: 'failed', reason: String(error) } satisfies {
          status: string;
          reason: string;
        };
      }
    }

    const results: Results = {
      version: 1,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      git: gitDescription(),
      machine,
      loadAverageAtEnd: loadAverage(),
      durable: cli.durable,
      embedded: server.embedded,
      options: cli.options,
      sections: sections as Results['sections'],
      targets: [],
    };
    const withTargets: Results = { ...results, targets: targetsOf(results) };
    console.log(`\n${renderTable(rowsOf(withTargets))}\n`);
    console.log(
      `load average ${machine.loadAverageAtStart.join(' ')} at start, ${results.loadAverageAtEnd.join(' ')} at the end; ` +
        `${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB, node ${machine.node}, PostgreSQL ${machine.postgres}`,
    );
    if (interrupted) return;
    await mkdir(path.dirname(cli.out), { recursive: true });
    await writeFile(cli.out, `${JSON.stringify(withTargets, null, 2)}\n`);
    console.log(`results written to ${cli.out}`);
  } finally {
    await staged.stage?.parley.stop();
    await server.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
