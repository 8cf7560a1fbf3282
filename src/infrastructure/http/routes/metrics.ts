import Router from '@koa/router';
import type { MetricsRegistry } from '../../metrics/metricsRegistry';

/** GET /metrics in the Prometheus text format, for a scraper inside the deployment. */
export const metricsRoutes = (registry: MetricsRegistry): Router => {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    ctx.body = await registry.render();
  });
  return router;
};
