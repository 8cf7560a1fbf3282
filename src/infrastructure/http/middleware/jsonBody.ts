import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { HttpError } from '../httpError';
import { jsonProblems } from './jsonLimits';

/**
 * JSON bodies only, within the configured size. A body of another type is 415, a body that
 * does not parse is 400 E_MALFORMED_JSON, one too large is 413, one nested too deeply or
 * holding a string no store can keep is 400 E_VALIDATION (jsonLimits.ts), before any handler
 * runs.
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
    await parse(ctx, async () => {
      // before any codec, hash or handler sees the body: nothing recursive runs on it unchecked
      const problems = jsonProblems(ctx.request.body);
      if (problems.length > 0) {
        throw new HttpError('E_VALIDATION', 'the request body is not valid', problems);
      }
      await next();
    });
  };
};
