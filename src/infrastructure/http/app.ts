import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../logger';
import { errorHandler } from './middleware/errorHandler';
import { requestContext, type RequestState } from './middleware/requestContext';

export type HttpAppOptions = Readonly<{
  logger: Logger;
  routers: readonly Router[];
}>;

/**
 * Routes parse their own bodies (middleware/jsonBody.ts) after authenticating, so a caller
 * without a valid token learns nothing from how its body would have been judged (SPEC §2).
 */
export const createHttpApp = ({ logger, routers }: HttpAppOptions): Koa<RequestState> => {
  const app = new Koa<RequestState>({ proxy: true });
  // errors are answered by errorHandler and logged there with the request id
  app.silent = true;
  app.use(requestContext(logger));
  app.use(errorHandler());
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
};
