import type { TestParley } from '../support/parley';
import type { WebhookReceiver } from '../support/webhookReceiver';
import {
  dialogsWithReplies,
  expectEachAcceptedOnceInOrder,
  subscribe,
  useWebhookWorld,
} from '../support/webhooks';

const DIALOGS = 40;
const REPLIES = 5;
const CONCURRENCY = 16;

/**
 * Many (subscription, dialog) lines in flight at once (WEBHOOK_CONCURRENCY=16, claims in
 * batches, keep-alive connections): every event is accepted exactly once, in order per dialog,
 * with never two requests of one dialog in flight together, and several dialogs side by side.
 */
describe('webhook delivery with many lines in flight', () => {
  const world = useWebhookWorld({
    WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    WEBHOOK_RETRY_SCHEDULE: '0,20ms,40ms,80ms,160ms',
  });
  let parley: TestParley;
  let receiver: WebhookReceiver;

  beforeAll(() => {
    ({ parley, receiver } = world);
  });

  it('accepts every event once, in order per dialog, one request per dialog at a time', async () => {
    await subscribe(parley, receiver, ['message.created']);
    // requests in flight now, per dialog and in all
    const inFlight = new Map<string, number>();
    let overlapsInOneDialog = 0;
    let mostAtOnce = 0;
    receiver.answer = ({ body, attempt }) => {
      const dialogId = (JSON.parse(body) as { data: { dialog: { id: string } } }).data.dialog.id;
      const now = (inFlight.get(dialogId) ?? 0) + 1;
      if (now > 1) overlapsInOneDialog++;
      inFlight.set(dialogId, now);
      mostAtOnce = Math.max(
        mostAtOnce,
        [...inFlight.values()].reduce((a, b) => a + b, 0),
      );
      const delayMs = 5 + Math.floor(Math.random() * 25);
      // the answer is sent after delayMs: the request is in flight until then
      setTimeout(() => inFlight.set(dialogId, (inFlight.get(dialogId) ?? 1) - 1), delayMs);
      // a tenth of the first attempts fail, so retries take part
      return attempt === 1 && Math.random() < 0.1
        ? { status: 503, delayMs }
        : { status: 200, delayMs };
    };

    const expected = await dialogsWithReplies(parley, 'line', DIALOGS, REPLIES);
    await expectEachAcceptedOnceInOrder(receiver, expected);
    expect(overlapsInOneDialog).toBe(0);
    // lines really moved side by side, and never more than the concurrency allows
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(CONCURRENCY);
  }, 90_000);
});
