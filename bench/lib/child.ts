import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

/** A bench process: the Parley server, a load generator, the INSERT baseline. */
export type Child = Readonly<{
  process: ChildProcess;
  /** the next message of this type, or the child's death */
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  send(message: object): void;
  /** asks it to stop, then kills it if it does not exit in time */
  stop(timeoutMs?: number): Promise<void>;
}>;

/** The compiled sibling scripts live next to this file under dist/bench. */
export const benchScript = (relative: string): string => path.join(__dirname, '..', relative);

export const startChild = (
  script: string,
  options: Readonly<{
    env?: NodeJS.ProcessEnv;
    execArgv?: string[];
    quiet?: boolean;
    /** a file the child's standard output is appended to (instead of discarded) */
    stdoutFile?: string;
  }> = {},
): Child => {
  const stdoutFd = options.stdoutFile === undefined ? null : openSync(options.stdoutFile, 'a');
  const child = fork(script, [], {
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: [
      'ignore',
      stdoutFd ?? (options.quiet === false ? 'inherit' : 'ignore'),
      'inherit',
      'ipc',
    ],
  });
  // the child has its own copy
  if (stdoutFd !== null) closeSync(stdoutFd);
  const inbox: { type: string }[] = [];
  const waiters: { type: string; resolve: (m: never) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | null = null;

  child.on('message', (message: { type: string }) => {
    const i = waiters.findIndex((w) => w.type === message.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(message as never);
    else inbox.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`${path.basename(script)} exited (${code ?? signal})`);
    for (const w of waiters.splice(0)) w.reject(exited);
  });

  return {
    process: child,
    send: (message) => child.send(message),
    next: <T>(type: string, timeoutMs = 600_000) => {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
      if (exited !== null) return Promise.reject(exited);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${path.basename(script)}: no ${type} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          type,
          resolve: (m) => (clearTimeout(timer), resolve(m as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
      });
    },
    stop: async (timeoutMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await gone;
      clearTimeout(timer);
    },
  };
};

/** In a child: handle the parent's messages; `stop` ends the process after `onStop`. */
export const serveParent = (
  handlers: Record<string, (message: never) => Promise<object | void>>,
  onStop: () => Promise<void> = async () => undefined,
): void => {
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stop') {
      void onStop().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[message.type];
    if (handler === undefined) return;
    handler(message as never).then(
      (reply) => {
        if (reply !== undefined) process.send?.(reply);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  // the parent went away: nothing left to do
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
};
