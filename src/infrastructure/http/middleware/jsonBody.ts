import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { HttpError } from '../httpError';

/**
 * JSON bodies only, within the configured size. A body of another type is 415, a body that
 * does not parse is 400 E_MALFORMED_JSON, one too large is 413, before any handler runs.
 */
export const jsonBody = (limitBytes: number): Middleware => {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limitBytes,
    strict: true,
  } as unknown as bodyParser.Options);
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('transfer-encoding') !== '';
    if (
      hasBody &&
      ['POST', 'PUT', 'PATCH'].includes(ctx.method) &&
      !ctx.is('application/json', '+json')
    ) {
      throw new HttpError('E_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    await parse(ctx, next);
  };
};
