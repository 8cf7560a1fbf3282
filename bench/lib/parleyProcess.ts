import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchScript, startChild } from './child';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** one master key for every Parley of a bench run: they share a database and its sealed secrets */
export const BENCH_MASTER_KEY = randomBytes(32).toString('base64');
/** and one audit signing key (a 32-byte Ed25519 seed): every Parley of a run signs alike */
const BENCH_SIGNING_KEY = randomBytes(32).toString('base64');
/** the notice of WEBHOOK_ALLOW_PRIVATE, which the bench sets on purpose: not a warning here */
const PRIVATE_WEBHOOKS_NOTICE = 'webhooks may be sent to private';

export type ParleyProcess = Readonly<{
  url: string;
  pid: number;
  /** GET/POST with the admin token, for setting the stage (not measured) */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** starts a CPU profile of the server, or stops it and writes it to `file` */
  profile(action: 'start' | 'stop', file?: string): Promise<void>;
  /** turns sealing of personal fields off or on in the running server (the bench's switch) */
  setSealing(on: boolean): Promise<void>;
  stop(): Promise<void>;
}>;

export type ParleyProcessOptions = Readonly<{
  databaseUrl: string;
  poolSize: number;
  env?: Readonly<Record<string, string>>;
}>;

/**
 * What a bench Parley logged (LOG_LEVEL=warn: warnings and errors only, never personal data),
 * kept beside the data directory that is removed and said on the bench's stderr: a stall that
 * a figure shows (a webhook 5 s late) is explained by the lines of the moment, if there are any.
 */
const keepWarnings = async (logFile: string, pid: number): Promise<void> => {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes(PRIVATE_WEBHOOKS_NOTICE));
  if (lines.length === 0) return;
  const kept = path.join(tmpdir(), `parley-bench-${pid}.log`);
  await writeFile(kept, text);
  const head = lines[0] ?? '';
  let first = head;
  try {
    first = (JSON.parse(head) as { msg?: string }).msg ?? head;
  } catch {
    // not a log line of ours (a stack trace printed by Node): said as it is
  }
  process.stderr.write(
    `Parley ${pid} logged ${lines.length} warnings or errors (first: ${String(first).slice(0, 160)}); all in ${kept}\n`,
  );
};

/** Starts Parley in its own process on 127.0.0.1 with the rate limit off, as the bench needs. */
export const startParleyProcess = async (options: ParleyProcessOptions): Promise<ParleyProcess> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-app-'));
  const logFile = path.join(dataDir, 'parley.log');
  const child = startChild(benchScript('parley/server.js'), {
    stdoutFile: logFile,
    env: {
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      PARLEY_MASTER_KEY: BENCH_MASTER_KEY,
      AUDIT_SIGNING_KEY: BENCH_SIGNING_KEY,
      RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...options.env,
    },
  });
  const { url } = await child.next<{ url: string }>('ready', 120_000);
  return {
    url,
    pid: child.process.pid ?? 0,
    admin: async (method, pathAndQuery, body) => {
      const response = await fetch(`${url}${pathAndQuery}`, {
        method,
        headers: {
          authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
    profile: async (action, file) => {
      child.send({ type: 'profile', action, file });
      await child.next('profiled');
    },
    setSealing: async (on) => {
      child.send({ type: 'sealing', on });
      await child.next('sealed');
    },
    stop: async () => {
      await child.stop();
      await keepWarnings(logFile, child.process.pid ?? 0);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
