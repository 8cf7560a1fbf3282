import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { ContentionError } from '../../application/contentionError';
import { EventStoreUnavailableError, StreamDeletedError } from '../../application/ports/eventStore';
import { createLogger } from '../logger';
import { createHttpApp } from './app';
import { HttpError } from './httpError';
import { healthRoutes } from './routes/health';
import { jsonBody } from './middleware/jsonBody';
import { bodyOf } from '../../../test/support/http';

describe('HTTP skeleton', () => {
  let server: Server;
  let base: string;
  let ready = true;
  const logged: string[] = [];
  /** the level and message of what the requests since `from` logged */
  const linesSince = (from: number): { level: number; msg: string }[] =>
    logged.slice(from).map((line) => JSON.parse(line) as { level: number; msg: string });

  beforeAll(async () => {
    const probe = new Router();
    probe.post('/echo', jsonBody(1024), (ctx) => void (ctx.body = ctx.request.body));
    probe.get('/domain-error', () => {
      throw new HttpError('E_DIALOG_NOT_FOUND', 'dialog not found');
    });
    probe.get('/store-down', () => {
      throw new EventStoreUnavailableError('down', 3);
    });
    probe.get('/contended', () => {
      throw new ContentionError('contact', 12);
    });
    probe.get('/read-model-missing', () => {
      throw Object.assign(new Error('relation "read_model.contacts" does not exist'), {
        code: '42P01',
      });
    });
    probe.get('/tombstoned', () => {
      throw new StreamDeletedError('dialog-6b0f400aa3e0eb53ac6000f4');
    });
    probe.get('/bug', () => {
      throw new Error('secret internals at /src/file.ts:12');
    });
    const app = createHttpApp({
      logger: createLogger('warn', { write: (line: string) => void logged.push(line) }),
      routers: [
        healthRoutes([
          {
            name: 'probe',
            check: async () => {
              if (!ready) throw new Error('not ready');
            },
          },
        ]),
        probe,
      ],
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (body: string, type = 'application/json') =>
    fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers /healthz', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ok' });
  });

  it('answers /readyz with every check, and 503 when one fails', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    const response = await fetch(`${base}/readyz`);
    ready = true;
    expect(response.status).toBe(503);
    expect(await bodyOf(response)).toMatchObject({
      status: 'unavailable',
      checks: [{ name: 'probe', ok: false }],
    });
  });

  it('gives each request an id, or keeps the caller’s', async () => {
    expect((await fetch(`${base}/healthz`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'req-42' } });
    expect(mine.headers.get('x-request-id')).toBe('req-42');
  });

  it('maps an error code to its status and body', async () => {
    const response = await fetch(`${base}/domain-error`);
    expect(response.status).toBe(404);
    expect(await bodyOf(response)).toEqual({
      code: 'E_DIALOG_NOT_FOUND',
      message: 'dialog not found',
    });
  });

  it('answers 503 with Retry-After when the store is down', async () => {
    const response = await fetch(`${base}/store-down`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
    expect((await bodyOf(response)).code).toBe('E_UNAVAILABLE');
  });

  it('answers 503 with Retry-After when a request stayed contended past its retries', async () => {
    const response = await fetch(`${base}/contended`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await bodyOf(response)).code).toBe('E_UNAVAILABLE');
  });

  it('logs an outage as an error, and a 503 it expects (contention, a read model being built) as a warning', async () => {
    let from = logged.length;
    await fetch(`${base}/store-down`);
    // the error handler's line, then the request's (a 503, a warning whatever its cause)
    expect(linesSince(from).map((l) => [l.level, l.msg])).toEqual([
      [50, 'the event store is unavailable; retry later'],
      [40, 'request failed'],
    ]);
    for (const path of ['/contended', '/read-model-missing']) {
      from = logged.length;
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(503);
      expect(linesSince(from).map((l) => l.level)).toEqual([40, 40]);
    }
    from = logged.length;
    await fetch(`${base}/bug`);
    expect(linesSince(from).map((l) => l.level)).toEqual([50, 50]);
  });

  it('answers 410 E_STREAM_DELETED for a stream tombstoned in the event store', async () => {
    const response = await fetch(`${base}/tombstoned`);
    expect(response.status).toBe(410);
    expect((await bodyOf(response)).code).toBe('E_STREAM_DELETED');
  });

  it('never leaks a stack trace or an internal message', async () => {
    const response = await fetch(`${base}/bug`);
    expect(response.status).toBe(500);
    const body = await bodyOf(response);
    expect(body.code).toBe('E_INTERNAL');
    expect(JSON.stringify(body)).not.toMatch(/secret internals|\.ts:/);
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('refuses malformed JSON, other media types and oversized bodies', async () => {
    const malformed = await post('{"text": ');
    expect([malformed.status, (await bodyOf(malformed)).code]).toEqual([400, 'E_MALFORMED_JSON']);
    const text = await post('hello', 'text/plain');
    expect([text.status, (await bodyOf(text)).code]).toEqual([415, 'E_UNSUPPORTED_MEDIA_TYPE']);
    const large = await post(JSON.stringify({ text: 'x'.repeat(4096) }));
    expect([large.status, (await bodyOf(large)).code]).toEqual([413, 'E_PAYLOAD_TOO_LARGE']);
    const scalar = await post('"just a string"');
    expect([scalar.status, (await bodyOf(scalar)).code]).toEqual([400, 'E_MALFORMED_JSON']);
  });

  it('parses a JSON body', async () => {
    const response = await post(JSON.stringify({ text: 'hi' }));
    expect(await bodyOf(response)).toEqual({ text: 'hi' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect((await bodyOf(response)).code).toBe('E_NOT_FOUND');
  });
});
