import { startFakeEventStoreDb, type FakeEventStoreDb } from '../support/fakeEventStoreDb/server';
import { createChannel, customer, postMessage, type Posted } from '../support/inbound';
import {
  startTestParley,
  useSecondParley,
  useTestParley,
  type TestParley,
} from '../support/parley';

const RATE = { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '10', RATE_LIMIT_LEASE: '2' };

const fields = (posted: Posted) => ({
  limit: posted.headers.get('ratelimit-limit'),
  remaining: posted.headers.get('ratelimit-remaining'),
  reset: posted.headers.get('ratelimit-reset'),
  retryAfter: posted.headers.get('retry-after'),
});

/** 20 messages alternating between two processes: 10 at most pass (plus 1 a second refilled). */
const expectOneBurstAcross = async (a: TestParley, b: TestParley, name: string) => {
  const channel = await createChannel(a, name);
  const started = Date.now();
  const answers: Posted[] = [];
  for (let i = 0; i < 20; i++) {
    const parley = i % 2 === 0 ? a : b;
    answers.push(await postMessage(parley, channel, { text: `m${i}`, ...customer(`c${i}`) }));
  }
  const elapsedS = (Date.now() - started) / 1000;
  const admitted = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status === 429);
  expect(admitted.length + refused.length).toBe(20);
  // per process, each would have admitted its own 10: 20 in all
  expect(admitted.length).toBeLessThanOrEqual(10 + Math.floor(elapsedS));
  // at most one lease of the other process is ever stranded
  expect(admitted.length).toBeGreaterThanOrEqual(10 - 2);
  expect(admitted.every((answer) => answer.headers.get('ratelimit-limit') === '10')).toBe(true);
  expect(refused.every((answer) => answer.body.code === 'E_RATE_LIMITED')).toBe(true);
};

describe('rate limits you can see, shared across processes', () => {
  const first = useTestParley(RATE);
  const second = useSecondParley(first, RATE);

  it('given two processes on one database, when a channel sends twice its burst through both, then the burst holds across both', async () => {
    await expectOneBurstAcross(first, second, 'Shared');
  });

  it('puts the fields on a 200 and on a 429, which adds Retry-After', async () => {
    const channel = await createChannel(first, 'Headers');
    const ok = await postMessage(first, channel, { text: 'hi', ...customer('h') });
    expect({ status: ok.status, ...fields(ok) }).toEqual({
      status: 200,
      limit: '10',
      remaining: '9',
      reset: '1',
      retryAfter: null,
    });
    let last = ok;
    for (let i = 0; i < 12 && last.status === 200; i++) {
      last = await postMessage(first, channel, { text: `hi ${i}`, ...customer('h') });
    }
    expect(last.status).toBe(429);
    expect(fields(last)).toEqual({
      limit: '10',
      remaining: '0',
      reset: expect.stringMatching(/^([5-9]|10)$/),
      retryAfter: '1',
    });
  });

  it('puts them on errors after the token check, not before it', async () => {
    const channel = await createChannel(first, 'Errors');
    const malformed = await postMessage(first, channel, '{"text":');
    expect({ status: malformed.status, limit: fields(malformed).limit }).toEqual({
      status: 400,
      limit: '10',
    });
    const badToken = await postMessage(
      first,
      { path: `/api/custom-channel/message/${channel.channelId}?token=wrong` },
      { text: 'hi', ...customer('x') },
    );
    expect({ status: badToken.status, limit: fields(badToken).limit }).toEqual({
      status: 401,
      limit: null,
    });
  });

  it('are described in the OpenAPI document on the 200 and the 429', async () => {
    const document = (await (await first.request('/openapi.json')).json()) as {
      paths: Record<string, { post: { responses: Record<string, { headers?: object }> } }>;
    };
    const responses = document.paths['/api/custom-channel/message/{channelId}']?.post.responses;
    const names = (status: string) => Object.keys(responses?.[status]?.headers ?? {});
    const fields = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
    expect(names('200')).toEqual(expect.arrayContaining(fields));
    expect(names('429')).toEqual(expect.arrayContaining([...fields, 'Retry-After']));
  });
});

describe('the shared rate limit with EventStoreDB as the store (fake cluster)', () => {
  let server: FakeEventStoreDb;
  let a: TestParley & { stop(): Promise<void> };
  let b: TestParley & { stop(): Promise<void> };
  beforeAll(async () => {
    server = await startFakeEventStoreDb({ nodes: 1 });
    a = await startTestParley({ ...RATE, EVENTSTORE_URL: server.clusterUrl });
    b = await startTestParley({
      ...RATE,
      EVENTSTORE_URL: server.clusterUrl,
      DATABASE_URL: a.deps.config.databaseUrl as string,
    });
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await server?.stop();
  });

  it('holds across two processes: the buckets are in PostgreSQL, which is always there', async () => {
    await expectOneBurstAcross(a, b, 'On EventStoreDB');
  });
});
