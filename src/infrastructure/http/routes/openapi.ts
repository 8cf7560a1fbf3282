import Router from '@koa/router';
import type { Limits } from '../../config';
import { serve } from '../contract';
import { openApiContract, openApiDocument } from '../openapi/document';

export const openApiRoutes = (publicUrl: string, limits: Limits): Router => {
  const router = new Router();
  const document = openApiDocument(publicUrl, limits);
  serve(router, openApiContract, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = document;
  });
  return router;
};
