import { request } from 'node:http';
import type { PoolClient } from 'pg';
import { createChannel, customer, eventCount, type TestChannel } from '../support/inbound';
import { useTestParley } from '../support/parley';

type Answer = Readonly<{ status: number; retryAfter: string | undefined; body: unknown }>;

/**
 * POSTs an import whose body is held back until `whileOpen` has run: the token and channel are
 * checked by then, so what `whileOpen` does to the database meets the import itself.
 */
const importHoldingBody = (
  url: string,
  body: string,
  whileOpen: () => Promise<void>,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'] as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        }),
      );
    });
    req.on('error', reject);
    req.flushHeaders();
    req.write(body.slice(0, 10));
    whileOpen().then(() => req.end(body.slice(10)), reject);
  });

describe('history import when the database pool is exhausted', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  beforeAll(async () => {
    channel = await createChannel(parley, 'Busy');
  });

  it('given every pool connection held, when an import runs, then 503 E_UNAVAILABLE with Retry-After and nothing appended', async () => {
    const body = [
      {
        external_id: 'busy-1',
        direction: 'incoming',
        reference: 'busy',
        timestamp: Date.parse('2024-03-01T09:00:00Z'),
        text: 'hello',
        ...customer('busy'),
      },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const before = await eventCount(parley);
    const held: Promise<PoolClient>[] = [];
    const size = parley.deps.config.databasePoolSize;
    const url = `${parley.url}${channel.path.replace('/message/', '/import/')}`;
    const answer = await importHoldingBody(url, body, async () => {
      // by then the token and channel are checked and the body awaited: every connection is ours
      await new Promise((r) => setTimeout(r, 1_000));
      for (let i = 0; i < size; i++) held.push(parley.deps.pool.connect());
      await Promise.race([Promise.allSettled(held), new Promise((r) => setTimeout(r, 500))]);
    });
    for (const got of await Promise.allSettled(held))
      if (got.status === 'fulfilled') got.value.release();
    expect({ status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({
      status: 503,
      code: 'E_UNAVAILABLE',
    });
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await eventCount(parley)).toBe(before);
  }, 60_000);
});
