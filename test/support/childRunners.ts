import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './process';

export type RunnerLine = Readonly<{
  pid: number;
  event: 'started' | 'active' | 'standby' | 'before-commit' | 'stopped';
  projection?: string;
  checkpoint?: string;
  events?: number;
}>;

export type ChildRunners = {
  child: ChildProcess;
  lines: RunnerLine[];
  /** projections this child holds right now, by its own reports */
  active: () => Set<string>;
  /** resolves with the first line (from now or earlier) that `match`es */
  waitFor: (match: (line: RunnerLine) => boolean, timeoutMs?: number) => Promise<RunnerLine>;
  exited: Promise<number | null>;
  output: () => string;
};

/** Starts test/support/runnerProcess.ts in a child process. */
export const spawnRunners = (env: Record<string, string>): ChildRunners => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'runnerProcess.ts')],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: RunnerLine[] = [];
  let output = '';
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (text.trim() !== '') lines.push(JSON.parse(text) as RunnerLine);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const active = (): Set<string> => {
    const held = new Set<string>();
    for (const line of lines) {
      if (line.projection === undefined) continue;
      if (line.event === 'active') held.add(line.projection);
      if (line.event === 'standby') held.delete(line.projection);
    }
    return held;
  };
  const waitFor = async (match: (line: RunnerLine) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        // a failed test must not leave its runner process behind
        child.kill('SIGKILL');
        throw new Error(`no matching line within ${timeoutMs} ms; output:\n${output}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { child, lines, active, waitFor, exited, output: () => output };
};
