import { eventually } from '../support/eventually';
import { FileServer, pngBytes } from '../support/fileServer';
import { createChannel, customer, eventsOfType, postMessage } from '../support/inbound';
import { useSecondParley, useTestParley, type TestParley } from '../support/parley';

/**
 * The fetch queue: transient failures retried on ATTACHMENT_FETCH_RETRY_SCHEDULE, permanent
 * ones failed at once, several processes sharing the queue without fetching a file twice, and
 * the webhook address guard.
 */
const png = pngBytes(1024);

const filesOf = (parley: TestParley, messageId: string) =>
  parley.deps.pool
    .query<{ status: string; reason: string | null; attempts: number; url: string }>(
      `SELECT status, reason, attempts, url FROM attachments.files WHERE message_id = $1
        ORDER BY position`,
      [messageId],
    )
    .then((r) => r.rows);

const post = async (parley: TestParley, id: string, urls: readonly string[]) => {
  const channel = await createChannel(parley, id);
  const posted = await postMessage(parley, channel, {
    ...customer(id),
    attachments: urls.map((url, i) => ({ url, size: 1, name: `f${i}`, mimeType: 'image/png' })),
  });
  expect(posted.status).toBe(200);
  return posted.body.message_id as string;
};

const settled = (parley: TestParley, messageId: string, count: number) =>
  eventually(
    () => filesOf(parley, messageId),
    (rows) => rows.length === count && rows.every((r) => r.status !== 'pending'),
    30_000,
  );

describe('attachment fetch queue', () => {
  const env = {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ATTACHMENT_FETCH_RETRY_SCHEDULE: '0,100ms,100ms',
    ATTACHMENT_MAX_BYTES: '4096',
  };
  const first = useTestParley(env);
  const second = useSecondParley(first, env);
  let files: FileServer;
  beforeAll(async () => {
    files = await FileServer.start({
      '/flaky.png': (n) =>
        n === 1 ? { status: 503, body: Buffer.from('busy') } : { status: 200, body: png },
      '/down.png': { status: 502, body: Buffer.from('down') },
      '/huge.bin': { status: 200, body: Buffer.alloc(5000) },
      ...Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`/shared-${i}.png`, { status: 200, body: png }]),
      ),
    });
  });
  afterAll(() => files.close());

  it('retries a transient failure, gives up after the schedule, fails an oversize file at once', async () => {
    const messageId = await post(first, 'retries', [
      `${files.url}/flaky.png`,
      `${files.url}/down.png`,
      `${files.url}/huge.bin`,
    ]);
    const [flaky, down, huge] = await settled(first, messageId, 3);
    expect(flaky).toMatchObject({ status: 'stored', attempts: 2 });
    expect(down).toMatchObject({
      status: 'failed',
      reason: 'the server answered 502',
      attempts: 3,
    });
    expect(huge).toMatchObject({
      status: 'failed',
      reason: 'the file is larger than 4096 bytes',
      attempts: 1,
    });
  });

  it('shares the queue between processes: every file fetched and recorded once', async () => {
    expect(second.url).not.toBe(first.url);
    const urls = Array.from({ length: 12 }, (_, i) => `${files.url}/shared-${i}.png`);
    const messageId = await post(first, 'shared', urls);
    const rows = await settled(first, messageId, 12);
    expect(rows.every((r) => r.status === 'stored')).toBe(true);
    for (const i of urls.keys())
      expect(files.requests.filter((r) => r === `/shared-${i}.png`)).toHaveLength(1);
    const stored = (await eventsOfType(first, 'AttachmentStored')).filter(
      (e) => e.data.messageId === messageId,
    );
    expect(stored).toHaveLength(12);
  });
});

describe('attachment fetches and the address guard', () => {
  const guarded = useTestParley({ WEBHOOK_ALLOW_PRIVATE: 'false' });
  it('refuses a URL on a loopback address for good, as webhooks do', async () => {
    const messageId = await post(guarded, 'guarded', ['http://127.0.0.1:9/secret.png']);
    const [row] = await settled(guarded, messageId, 1);
    expect(row?.status).toBe('failed');
    expect(row?.reason).toMatch(/private, loopback or link-local/);
  });
});
