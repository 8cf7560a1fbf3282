import { streams } from '../../src/application/streams';
import { createChannel, customer, postMessage, type TestChannel } from '../support/inbound';
import type { TestParley } from '../support/parley';
import type { WebhookReceiver } from '../support/webhookReceiver';
import {
  deliveriesOf,
  eventually,
  jsonRequest,
  subscribe,
  useWebhookWorld,
  type DeliveryJson,
} from '../support/webhooks';

/** Retries, the dead letter, redelivery, 410, Retry-After and timeouts, on a short schedule. */
describe('webhook retries', () => {
  const world = useWebhookWorld({
    WEBHOOK_RETRY_SCHEDULE: '0,30ms,30ms',
    WEBHOOK_TIMEOUT_MS: '500',
  });
  let parley: TestParley;
  let receiver: WebhookReceiver;
  let channel: TestChannel;
  beforeAll(async () => {
    ({ parley, receiver } = world);
    channel = await createChannel(parley);
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 200, body: 'ok' });
  });

  const post = async (text: string, who = 'c-1') => {
    const posted = await postMessage(parley, channel, { text, ...customer(who) });
    expect(posted.status).toBe(200);
    return posted.body.dialog_id as string;
  };
  const deliveryWith = async (webhookId: string, status: string) =>
    eventually(async () => {
      const found = (await deliveriesOf(parley, webhookId)).filter((d) => d.status === status);
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
  const remove = (webhookId: string) =>
    parley.request(`/api/webhooks/${webhookId}`, { method: 'DELETE', headers: parley.admin });

  it('dead-letters a delivery when the schedule is spent, logs every attempt, and redelivers it on request', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    receiver.answer = () => ({ status: 500, body: 'x'.repeat(5000) });
    const dialogId = await post('doomed', 'c-dead');
    const [dead] = (await deliveryWith(webhookId, 'failed')) as [DeliveryJson];
    expect(dead).toMatchObject({ attempts: 3, last_status_code: 500, dialog_id: dialogId });
    expect(dead.last_response?.length).toBe(1024);
    const detail = (await (
      await parley.request(`/api/webhooks/${webhookId}/deliveries/${dead.id}`, {
        headers: parley.admin,
      })
    ).json()) as { attempt_log: { outcome: string; status_code: number }[] };
    expect(detail.attempt_log.map((a) => [a.outcome, a.status_code])).toEqual([
      ['retry', 500],
      ['retry', 500],
      ['failed', 500],
    ]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);

    // a dead letter does not hold the dialog's later events back
    receiver.answer = () => ({ status: 200, body: 'ok' });
    await postMessage(parley, channel, {
      dialog_id: dialogId,
      text: 'later',
      ...customer('c-dead'),
    });
    await receiver.waitFor((r) => r.accepted.length === 1);
    expect(receiver.accepted[0]?.payload?.data.message?.text).toBe('later');

    const redelivered = await parley.request(
      `/api/webhooks/${webhookId}/deliveries/${dead.id}/redeliver`,
      jsonRequest('POST', parley.admin),
    );
    expect(redelivered.status).toBe(202);
    await receiver.waitFor((r) => r.accepted.length === 2);
    expect(receiver.accepted[1]?.headers['webhook-id']).toBe(
      receiver.received[0]?.headers['webhook-id'],
    );
    expect(receiver.accepted[1]?.payload?.data.message?.text).toBe('doomed');
    await eventually(async () => {
      const again = (await deliveriesOf(parley, webhookId)).find((d) => d.id === dead.id);
      expect(again).toMatchObject({ status: 'delivered', attempts: 4, last_status_code: 200 });
    });
    await remove(webhookId);
  });

  it('redelivers every failed delivery since a time, and only those', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    const before = new Date(Date.now() - 1000).toISOString();
    receiver.answer = () => ({ status: 503 });
    await post('one', 'c-since-1');
    await post('two', 'c-since-2');
    await eventually(async () =>
      expect(
        (await deliveriesOf(parley, webhookId)).filter((d) => d.status === 'failed'),
      ).toHaveLength(2),
    );
    receiver.answer = () => ({ status: 200 });
    const future = await parley.request(
      `/api/webhooks/${webhookId}/redeliver?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      jsonRequest('POST', parley.admin),
    );
    expect(await future.json()).toEqual({ requeued: 0 });
    const all = await parley.request(
      `/api/webhooks/${webhookId}/redeliver?since=${encodeURIComponent(before)}`,
      jsonRequest('POST', parley.admin),
    );
    expect([all.status, await all.json()]).toEqual([202, { requeued: 2 }]);
    await receiver.waitFor((r) => r.accepted.length === 2);
    expect(receiver.accepted.map((r) => r.payload?.data.message?.text).sort()).toEqual([
      'one',
      'two',
    ]);
    const missing = await parley.request(
      `/api/webhooks/${webhookId}/redeliver`,
      jsonRequest('POST', parley.admin),
    );
    expect(missing.status).toBe(400);
    expect((await missing.json()) as object).toMatchObject({
      code: 'E_VALIDATION',
      details: [{ path: 'since' }],
    });
    await remove(webhookId);
  });

  it('disables the subscription on 410 Gone, as an event of the system, until an admin enables it', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    receiver.answer = () => ({ status: 410 });
    await post('gone', 'c-gone');
    await receiver.waitFor((r) => r.received.length === 1);
    const shown = await eventually(async () => {
      const response = await parley.request(`/api/webhooks/${webhookId}`, {
        headers: parley.admin,
      });
      const body = (await response.json()) as { enabled: boolean; disabled_reason: string };
      expect(body).toMatchObject({ enabled: false, disabled_reason: 'endpoint_gone' });
      return body;
    });
    expect(shown.enabled).toBe(false);
    const events = await parley.deps.store.readStream(streams.webhook(webhookId));
    const disabled = events[events.length - 1];
    expect(disabled?.type).toBe('WebhookUpdated');
    expect(disabled?.data).toMatchObject({ enabled: false, reason: 'endpoint_gone' });
    expect(disabled?.metadata.actor).toEqual({ type: 'system' });
    expect((await deliveryWith(webhookId, 'failed'))[0]).toMatchObject({
      attempts: 1,
      last_status_code: 410,
    });

    receiver.answer = () => ({ status: 200 });
    await post('while disabled', 'c-gone');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1);

    const enabled = await parley.request(
      `/api/webhooks/${webhookId}`,
      jsonRequest('PATCH', parley.admin, { enabled: true }),
    );
    expect(await enabled.json()).toMatchObject({ enabled: true, disabled_reason: null });
    await post('back again', 'c-gone');
    await receiver.waitFor((r) => r.accepted.length === 1);
    expect(receiver.accepted[0]?.payload?.data.message?.text).toBe('back again');
    await remove(webhookId);
  });

  it('waits as long as Retry-After asks', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    receiver.answer = ({ attempt }) =>
      attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
    await post('slow down', 'c-retry-after');
    await receiver.waitFor((r) => r.accepted.length === 1);
    const [first, second] = receiver.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await remove(webhookId);
  });

  it('gives up on an attempt after the timeout and tries again', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    receiver.answer = ({ attempt }) => ({ status: 200, delayMs: attempt === 1 ? 1500 : 0 });
    await post('patience', 'c-timeout');
    const [delivered] = (await deliveryWith(webhookId, 'delivered')) as [DeliveryJson];
    const detail = (await (
      await parley.request(`/api/webhooks/${webhookId}/deliveries/${delivered.id}`, {
        headers: parley.admin,
      })
    ).json()) as { attempt_log: { outcome: string; error: string | null; latency_ms: number }[] };
    expect(detail.attempt_log[0]).toMatchObject({
      outcome: 'retry',
      error: expect.stringMatching(/500 ms/),
    });
    expect(detail.attempt_log[0]?.latency_ms).toBeLessThan(1500);
    expect(detail.attempt_log[1]?.outcome).toBe('delivered');
    await remove(webhookId);
  });

  it('answers 404 for unknown webhooks and deliveries, and 400 for a bad filter', async () => {
    const unknown = await parley.request(`/api/webhooks/${parley.deps.ids.objectId()}/deliveries`, {
      headers: parley.admin,
    });
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([
      404,
      'E_WEBHOOK_NOT_FOUND',
    ]);
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    const noDelivery = await parley.request(`/api/webhooks/${webhookId}/deliveries/999999`, {
      headers: parley.admin,
    });
    expect(((await noDelivery.json()) as { code: string }).code).toBe('E_DELIVERY_NOT_FOUND');
    const badFilter = await parley.request(`/api/webhooks/${webhookId}/deliveries?status=lost`, {
      headers: parley.admin,
    });
    expect(badFilter.status).toBe(400);
    await remove(webhookId);
  });

  it('reports deliveries by outcome, queue depth and the oldest pending age on /metrics', async () => {
    const response = await parley.request('/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^parley_webhook_attempts_total\{outcome="delivered"\} [1-9]\d*$/m);
    expect(text).toMatch(/^parley_webhook_attempts_total\{outcome="gone"\} 1$/m);
    expect(text).toMatch(/^parley_webhook_deliveries\{status="failed"\} \d+$/m);
    expect(text).toMatch(/^parley_webhook_queue_depth \d+$/m);
    expect(text).toMatch(/^parley_webhook_oldest_pending_age_seconds \d+(\.\d+)?$/m);
  });
});
