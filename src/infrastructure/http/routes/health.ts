import Router from '@koa/router';
import { anObject } from '../codecs/operationAnswers';
import { serve, type RouteContract } from '../contract';

export type ReadinessCheck = Readonly<{ name: string; check: () => Promise<void> }>;

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

const operations = { method: 'get', tags: ['operations'], errors: [] } as const;

export const healthzContract: RouteContract = {
  ...operations,
  path: '/healthz',
  summary: 'The process answers',
  response: { status: 200, description: 'alive', codec: anObject },
};

export const readyzContract: RouteContract = {
  ...operations,
  path: '/readyz',
  summary: "Database and event store reachable (and projections' lag, when they run)",
  response: { status: 200, description: 'ready', codec: anObject },
  otherAnswers: [{ status: 503, description: 'not ready', codec: anObject }],
};

/** /healthz: the process answers. /readyz: everything it needs answers too. */
export const healthRoutes = (
  checks: readonly ReadinessCheck[],
  extra: () => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
) => {
  const router = new Router();
  serve(router, healthzContract, (ctx) => {
    ctx.body = { status: 'ok' };
  });
  serve(router, readyzContract, async (ctx) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2_000);
          return { name, ok: true };
        } catch (error) {
          return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    ctx.status = ready ? 200 : 503;
    if (!ready) ctx.set('Retry-After', '5');
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: results, ...(await extra()) };
  });
  return router;
};
