import Router from '@koa/router';
import { openApiDocument } from '../openapi/document';

export const openApiRoutes = (publicUrl: string): Router => {
  const router = new Router();
  const document = openApiDocument(publicUrl);
  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = document;
  });
  return router;
};
