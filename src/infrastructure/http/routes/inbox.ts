import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { text } from '../codecs/media';
import { serve, type RouteContract } from '../contract';

const pathTo = (name: string) => path.join(__dirname, '..', 'inbox', 'assets', name);

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

const page = { method: 'get', tags: ['inbox'], errors: [] } as const;

export const inboxRedirectContract: RouteContract = {
  ...page,
  path: '/',
  summary: 'Sends a browser to the inbox',
  response: {
    status: 302,
    description: 'to /inbox',
    headers: { Location: { schema: { type: 'string', const: '/inbox' } } },
  },
};

const asset = (path: string, summary: string, name: string, type: string) => ({
  contract: {
    ...page,
    path,
    summary,
    response: { status: 200, description: 'the asset', media: { [type]: text } },
  } satisfies RouteContract,
  body: readFileSync(pathTo(name), 'utf8'),
  type: `${type}; charset=utf-8`,
});

const assets = [
  asset(
    '/inbox',
    'The operators’ web inbox (sign in with an operator or the admin token)',
    'index.html',
    'text/html',
  ),
  asset('/inbox/app.js', 'The inbox script', 'app.js', 'text/javascript'),
  asset('/inbox/app.css', 'The inbox styles', 'app.css', 'text/css'),
];

export const inboxContracts: readonly RouteContract[] = [
  inboxRedirectContract,
  ...assets.map((a) => a.contract),
];

/** The operators' web inbox: a static page over the HTTP API (GET /inbox). */
export const inboxRoutes = (): Router => {
  const router = new Router();
  // a person who opens Parley's address lands in the inbox rather than on a JSON 404
  serve(router, inboxRedirectContract, (ctx) => ctx.redirect('/inbox'));
  for (const file of assets) {
    serve(router, file.contract, (ctx) => {
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.type = file.type;
      ctx.body = file.body;
    });
  }
  return router;
};
