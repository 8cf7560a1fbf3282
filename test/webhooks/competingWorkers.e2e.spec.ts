import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestParley } from '../support/parley';
import { runParley, type RunningParley } from '../support/process';
import type { WebhookReceiver } from '../support/webhookReceiver';
import {
  dialogsWithReplies,
  expectEachAcceptedOnceInOrder,
  subscribe,
  useWebhookWorld,
} from '../support/webhooks';

const DIALOGS = 6;
const REPLIES = 10;

/**
 * Two Parley processes deliver from one database, competing with SKIP LOCKED: every event is
 * accepted exactly once, in order per dialog, and both processes take part.
 */
describe('webhook workers in two processes', () => {
  // this process writes (and may run the outbox, whichever process holds its lock); it sends nothing
  const world = useWebhookWorld({ WEBHOOK_CONCURRENCY: '0' });
  let parley: TestParley;
  let receiver: WebhookReceiver;
  let dataDir: string;
  const children: RunningParley[] = [];

  beforeAll(async () => {
    ({ parley, receiver } = world);
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-workers-'));
    for (const name of ['a', 'b']) {
      children.push(
        runParley({
          DATABASE_URL: parley.deps.config.databaseUrl as string,
          DATABASE_POOL_SIZE: '15',
          DATA_DIR: path.join(dataDir, name),
          HOST: '127.0.0.1',
          PORT: '0',
          ADMIN_TOKEN: 'test-admin-token-0123456789',
          LOG_LEVEL: 'debug',
          WEBHOOK_ALLOW_PRIVATE: 'true',
          WEBHOOK_CONCURRENCY: '4',
          WEBHOOK_RETRY_SCHEDULE: '0,20ms,40ms,80ms,160ms',
        }),
      );
    }
    for (const child of children) {
      for (let waited = 0; !/Parley is listening/.test(child.output()); waited += 100) {
        if (waited > 60_000) throw new Error(`child did not start:\n${child.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // private targets are allowed here, and each process says so when it starts
    for (const child of children)
      expect(child.output()).toMatch(/"level":40.*WEBHOOK_ALLOW_PRIVATE/);
  }, 90_000);

  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts every event once, in reply order per dialog, from both processes', async () => {
    await subscribe(parley, receiver, ['message.created']);
    // a fifth of the first attempts fail, so retries compete too
    receiver.answer = ({ attempt }) =>
      attempt === 1 && Math.random() < 0.2
        ? { status: 503 }
        : { status: 200, delayMs: Math.floor(Math.random() * 20) };

    const expected = await dialogsWithReplies(parley, 'w', DIALOGS, REPLIES);
    await expectEachAcceptedOnceInOrder(receiver, expected);
    const attemptsBy = children.map(
      (c) => (c.output().match(/"msg":"webhook attempt"/g) ?? []).length,
    );
    expect(attemptsBy.every((n) => n > 0)).toBe(true);
    expect(attemptsBy.reduce((a, b) => a + b, 0)).toBe(receiver.received.length);
  }, 90_000);

  it('stops both processes in order on SIGTERM, deliveries in flight included', async () => {
    for (const child of children) child.child.kill('SIGTERM');
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0]);
  });
});
