import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../src/infrastructure/postgres/embedded';
import { runParley, waitForOk, waitForOutput, type RunningParley } from './support/process';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The README's promise: `npm start` on nothing runs on an embedded PostgreSQL under DATA_DIR. */
describe('the embedded default', () => {
  let dataDir: string;
  // every process a test started: one a failed test left running would hold DATA_DIR's
  // PostgreSQL and fail the tests after it
  let running: RunningParley[] = [];
  const run = (env: Record<string, string>): RunningParley => {
    const parley = runParley(env);
    running.push(parley);
    return parley;
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-start-'));
  });
  afterEach(async () => {
    for (const parley of running) {
      if (parley.child.exitCode !== null || parley.child.signalCode !== null) continue;
      parley.child.kill('SIGINT');
      const timer = setTimeout(() => parley.child.kill('SIGKILL'), 20_000);
      await parley.exited;
      clearTimeout(timer);
    }
    running = [];
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  const postmasterPid = (): number | null => {
    const file = path.join(dataDir, 'postgres', 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
  };

  it('starts, answers /healthz within 30 s, and stops PostgreSQL on Ctrl-C', async () => {
    const port = await freePort();
    const parley = run({ DATA_DIR: dataDir, PORT: String(port) });
    const took = await waitForOk(`http://127.0.0.1:${port}/healthz`, 30_000, parley);
    expect(took).toBeLessThan(30_000);
    expect(parley.output()).toMatch(/embedded PostgreSQL started/);
    expect(parley.output()).toMatch(/database migrated/);
    // the first start made a channel and printed what a new user needs to post a message;
    // HTTP answers before the banner is printed, so wait for it
    await waitForOutput(parley, /admin token: +padm_/);
    const endpoint = /endpoint: +(http:\/\/\S+)/.exec(parley.output())?.[1];
    expect(endpoint).toMatch(/\/api\/custom-channel\/message\/[0-9a-f]{24}\?token=pct_/);
    expect(parley.output()).toMatch(/admin token: +padm_/);
    // and the audit key's public half, the private one kept in DATA_DIR for its owner only
    expect(parley.output()).toMatch(/audit key: +MCowBQYDK2VwAyEA/);
    expect(statSync(path.join(dataDir, 'audit-signing-key')).mode & 0o777).toBe(0o600);
    const posted = await fetch(endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reference: 'order-42',
        text: 'Hello!',
        contact_object: {
          name: 'Vasya Pupkin',
          contacts: [{ type: 'id', value: 'customer-1', service: 'custom' }],
        },
      }),
    });
    expect(posted.status).toBe(200);
    const pid = postmasterPid();
    expect(pid).not.toBeNull();
    expect(isAlive(pid as number)).toBe(true);

    parley.child.kill('SIGINT');
    expect(await parley.exited).toBe(0);
    expect(isAlive(pid as number)).toBe(false);
    expect(postmasterPid()).toBeNull();
  });

  it('reuses the data on a second start', async () => {
    const cluster = path.join(dataDir, 'postgres', 'PG_VERSION');
    const initialised = statSync(cluster).mtimeMs;
    const port = await freePort();
    const parley = run({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForOk(`http://127.0.0.1:${port}/readyz`, 30_000, parley);
    expect(statSync(cluster).mtimeMs).toBe(initialised);
    // the schema is there already: nothing to migrate, no new channel, no token shown again
    // HTTP answers before the banner is printed
    await waitForOutput(parley, /admin token: +in /);
    expect(parley.output()).not.toMatch(/database migrated/);
    expect(parley.output()).not.toMatch(/endpoint:/);
    expect(parley.output()).toMatch(/admin token: +in /);
    expect(parley.output()).not.toMatch(/audit key:/);
    parley.child.kill('SIGTERM');
    expect(await parley.exited).toBe(0);
  });

  it('stops an orphaned PostgreSQL left by a killed process and starts again', async () => {
    const port = await freePort();
    const first = run({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForOk(`http://127.0.0.1:${port}/healthz`, 30_000, first);
    const orphan = postmasterPid() as number;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(orphan)).toBe(true);

    const second = run({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForOk(`http://127.0.0.1:${port}/readyz`, 30_000, second);
    expect(isAlive(orphan)).toBe(false);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('given a Ctrl-C while it is still starting, when the start ends, then it stops in order', async () => {
    const port = await freePort();
    const parley = run({ DATA_DIR: dataDir, PORT: String(port) });
    // the embedded PostgreSQL is up, the rest of the start (migrations, keys, HTTP, workers) not
    await waitForOutput(parley, /embedded PostgreSQL started/, 30_000);
    expect(parley.output()).toMatch(/embedded PostgreSQL started/);
    expect(parley.output()).not.toMatch(/Parley is listening/);
    parley.child.kill('SIGINT');
    // a signal before the handlers were on killed it: exit code null, PostgreSQL left running
    expect(await parley.exited).toBe(0);
    expect(postmasterPid()).toBeNull();
  });

  it('exits with code 2 and names the variable when the configuration is bad', async () => {
    const parley = run({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await parley.exited).toBe(2);
    expect(parley.output()).toMatch(/PORT must be an integer/);
  });
});
