import Router from '@koa/router';
import type { Limits } from '../../config';
import { openApiDocument } from '../openapi/document';

export const openApiRoutes = (publicUrl: string, limits: Limits): Router => {
  const router = new Router();
  const document = openApiDocument(publicUrl, limits);
  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = document;
  });
  return router;
};
