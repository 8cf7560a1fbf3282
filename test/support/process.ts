import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

/** Every test Parley sharing a database must read the same sealed secrets (docs/operations.md). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export type RunningParley = {
  child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output: () => string;
  exited: Promise<number | null>;
};

/** Runs `src/main.ts` as `npm start` would, in a child process with the given environment. */
export const runParley = (env: Record<string, string | undefined>): RunningParley => {
  const clean = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'EVENTSTORE_URL',
    'PORT',
    'HOST',
    'DATA_DIR',
    'ADMIN_TOKEN',
    'PARLEY_MASTER_KEY',
  ])
    delete clean[name];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...clean,
      LOG_LEVEL: 'info',
      ...(env.DATABASE_URL === undefined ? {} : { PARLEY_MASTER_KEY: TEST_MASTER_KEY }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
};

/** Polls a URL until it answers 200, or fails after `timeoutMs`. */
export const waitForOk = async (
  url: string,
  timeoutMs: number,
  running?: RunningParley,
): Promise<number> => {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${url} did not answer 200 within ${timeoutMs} ms; output:\n${running?.output() ?? ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Waits until the process has printed `pattern` (HTTP answers before the banner is printed). */
export const waitForOutput = async (
  running: RunningParley,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(running.output()) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
};
