import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';

const ASSETS = path.join(__dirname, '..', 'inbox', 'assets');

/**
 * Everything the page may load comes from here; message html (sanitized by the read model)
 * may show images from anywhere but can run nothing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src https: data: blob:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const asset = (name: string, type: string) => ({
  body: readFileSync(path.join(ASSETS, name), 'utf8'),
  type,
});

/** The operators' web inbox: a static page over the HTTP API (GET /inbox). */
export const inboxRoutes = (): Router => {
  const router = new Router();
  // a person who opens Parley's address lands in the inbox rather than on a JSON 404
  router.get('/', (ctx) => ctx.redirect('/inbox'));
  const files = {
    '/inbox': asset('index.html', 'text/html; charset=utf-8'),
    '/inbox/app.js': asset('app.js', 'text/javascript; charset=utf-8'),
    '/inbox/app.css': asset('app.css', 'text/css; charset=utf-8'),
  };
  for (const [route, file] of Object.entries(files)) {
    router.get(route, (ctx) => {
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.type = file.type;
      ctx.body = file.body;
    });
  }
  return router;
};
