import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../src/infrastructure/postgres/embedded';
import { allProjections } from '../src/projections/allProjections';
import { readCheckpoint } from '../src/projections/checkpoints';
import { ROOT, runParley, waitForOk } from './support/process';
import { useReadModelWorld } from './support/readModel';
import { mixedScenario } from './support/scenario';

type Run = Readonly<{ code: number | null; stdout: string; stderr: string }>;

/** `npm run projections -- …` as a child process, with only the given configuration. */
const projections = (args: readonly string[], env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) => {
    const clean = { ...process.env };
    for (const name of ['DATABASE_URL', 'EVENTSTORE_URL', 'DATA_DIR']) delete clean[name];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'projections.ts'), ...args],
      { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

const versionOf = (name: string): number | undefined =>
  allProjections.find((p) => p.name === name)?.version;

describe('npm run projections', () => {
  const world = useReadModelWorld();

  it('shows where each projection stands and who runs it', async () => {
    await mixedScenario(world.store, { seed: 11, steps: 150, writer: world.w });
    await world.caughtUp();
    const run = await projections(['status'], { DATABASE_URL: world.connectionString });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^projection\s+version\s+checkpoint\s+behind\s+active in\s+rebuilt at$/,
    );
    for (const name of ['channels', 'dialogs', 'contacts']) {
      expect(lines.find((l) => l.startsWith(name))).toMatch(
        new RegExp(
          `^${name}\\s+${versionOf(name)}\\s+\\d+:\\d+\\s+0 events, 0\\.0 s\\s+parley-test \\(backend \\d+`,
        ),
      );
    }
  });

  it('rebuilds a projection while its live runner works, with progress and throughput on stderr', async () => {
    const before = await readCheckpoint(world.pool, 'dialogs');
    const run = await projections(['rebuild', 'dialogs'], { DATABASE_URL: world.connectionString });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^dialogs\s+rebuilt: [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\)$/m,
    );
    const after = await readCheckpoint(world.pool, 'dialogs');
    expect(after?.rebuiltAt).not.toBeNull();
    expect(after?.checkpoint).toBe(before?.checkpoint);
    // the live runner resumed on the swapped tables
    await mixedScenario(world.store, { seed: 12, steps: 20, writer: world.w });
    await world.caughtUp();
  });

  it('explains its usage when the command or the projection is unknown', async () => {
    const unknown = await projections(['frobnicate'], { DATABASE_URL: world.connectionString });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usage: npm run projections -- <command>/);
    const noSuch = await projections(['rebuild', 'nothing'], {
      DATABASE_URL: world.connectionString,
    });
    expect([noSuch.code, noSuch.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown projection nothing/),
    ]);
  });

  it('shares the embedded PostgreSQL of a Parley running on the same DATA_DIR', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-cli-'));
    const port = await freePort();
    const parley = runParley({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await waitForOk(`http://127.0.0.1:${port}/readyz`, 30_000, parley);
      const run = await projections(['status'], { DATA_DIR: dataDir });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/the embedded PostgreSQL of the Parley running on/);
      expect(run.stdout).toMatch(
        new RegExp(`^dialogs\\s+${versionOf('dialogs')}\\s.*parley \\(backend \\d+`, 'm'),
      );
    } finally {
      parley.child.kill('SIGINT');
      await parley.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
