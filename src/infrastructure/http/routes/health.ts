import Router from '@koa/router';

export type ReadinessCheck = Readonly<{ name: string; check: () => Promise<void> }>;

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/** /healthz: the process answers. /readyz: everything it needs answers too. */
export const healthRoutes = (
  checks: readonly ReadinessCheck[],
  extra: () => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
) => {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
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
