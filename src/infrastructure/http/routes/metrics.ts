import Router from '@koa/router';
import { text } from '../codecs/media';
import { serve, type RouteContract } from '../contract';
import type { MetricsRegistry } from '../../metrics/metricsRegistry';

export const metricsContract: RouteContract = {
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics: projection lag and activity, process',
  response: {
    status: 200,
    description: 'text exposition format 0.0.4',
    media: { 'text/plain': text },
  },
  errors: [],
};

/** GET /metrics in the Prometheus text format, for a scraper inside the deployment. */
export const metricsRoutes = (registry: MetricsRegistry): Router => {
  const router = new Router();
  serve(router, metricsContract, async (ctx) => {
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    ctx.body = await registry.render();
  });
  return router;
};
