import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchScript, startChild } from './child';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** one master key for every Parley of a bench run: they share a database and its sealed secrets */
export const BENCH_MASTER_KEY = randomBytes(32).toString('base64');

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

/** Starts Parley in its own process on 127.0.0.1 with the rate limit off, as the bench needs. */
export const startParleyProcess = async (options: ParleyProcessOptions): Promise<ParleyProcess> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-app-'));
  const child = startChild(benchScript('parley/server.js'), {
    env: {
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      PARLEY_MASTER_KEY: BENCH_MASTER_KEY,
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
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
