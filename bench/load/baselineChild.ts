import { Pool } from 'pg';
import { serveParent } from '../lib/child';
import { round, Samples, type LatencySummary } from '../lib/stats';

export type BaselineRun = Readonly<{
  type: 'run';
  databaseUrl: string;
  poolSize: number;
  connections: number;
  durationS: number;
}>;

export type BaselineResult = Readonly<{
  type: 'result';
  transactions: number;
  perSecond: number;
  latency: LatencySummary;
}>;

/** About the size of a MessageReceived event with its metadata. */
const payload = JSON.stringify({
  dialogId: '6b077fb6f0941801d9692b04',
  messageId: '6b077fb6f0941801d9692b05',
  text: 'Hello! Is the sofa still available? Could you tell me the exact dimensions and the colour of the upholstery, please? I can pick it up on Saturday morning if that works for you.',
  integrationData: '{"chat":"avito-chat-u2i-42","item":4815162,"source":"avito","v":2}',
  metadata: {
    correlationId: 'f6a1c1de-3b1e-4f0e-9c55-0d1f3b2f4a11',
    actor: { type: 'integration', channelId: '6b077fb6f0941801d9692aff' },
  },
});

/**
 * What PostgreSQL alone does on this machine: one-row INSERT transactions from `connections`
 * concurrent callers through a pg pool of Parley's size, on the same server and settings.
 */
let pool: Pool | null = null;

serveParent(
  {
    run: async (run: BaselineRun): Promise<BaselineResult> => {
      pool = new Pool({ connectionString: run.databaseUrl, max: run.poolSize });
      const connected = pool;
      await pool.query(
        'CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
      );
      const samples = new Samples();
      const start = performance.now();
      const end = start + run.durationS * 1000;
      const worker = async (): Promise<void> => {
        while (performance.now() < end) {
          const t0 = performance.now();
          await connected.query('INSERT INTO bench_baseline (payload) VALUES ($1)', [payload]);
          samples.add(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: run.connections }, worker));
      const elapsed = (performance.now() - start) / 1000;
      // the pool stays open until `stop`: its backends' CPU time is measured after this answer
      return {
        type: 'result',
        transactions: samples.count,
        perSecond: round(samples.count / elapsed, 1),
        latency: samples.summary(),
      };
    },
  },
  async () => {
    await pool?.end();
  },
);
