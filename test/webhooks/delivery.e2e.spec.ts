import { streams } from '../../src/application/streams';
import { createChannel, customer, postMessage } from '../support/inbound';
import type { TestParley } from '../support/parley';
import type { Answer, WebhookReceiver } from '../support/webhookReceiver';
import {
  createOperator,
  deliveriesOf,
  eventually,
  jsonRequest,
  reply,
  subscribe,
  useWebhookWorld,
} from '../support/webhooks';

/** SPEC §3: signed webhooks, verified on a real receiver with the standardwebhooks package. */
describe('webhook delivery', () => {
  const world = useWebhookWorld({ WEBHOOK_RETRY_SCHEDULE: '0,20ms,40ms,80ms,100ms,100ms,100ms' });
  let parley: TestParley;
  let receiver: WebhookReceiver;
  beforeAll(() => ({ parley, receiver } = world));
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 200, body: 'ok' });
  });

  it('sends every event of a conversation, signed, with the dialog’s reference, integration data and contact', async () => {
    const webhookId = await subscribe(parley, receiver);
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      reference: 'order-42',
      integration_data: '{"chat":7}',
      text: 'where is my order?',
      ...customer('customer-42'),
    });
    expect(posted.status).toBe(200);
    const dialogId = posted.body.dialog_id as string;
    const operator = await createOperator(parley);
    const messageId = await reply(parley, operator.auth, dialogId, 'on its way');
    await parley.request(
      `/api/dialogs/${dialogId}/assignee`,
      jsonRequest('PUT', operator.auth, { operator_id: operator.id }),
    );
    await parley.request(`/api/dialogs/${dialogId}/close`, jsonRequest('POST', operator.auth));

    await receiver.waitFor((r) => r.accepted.length >= 5);
    expect(receiver.received.map((r) => r.verifyError)).toEqual([null, null, null, null, null]);
    const payloads = receiver.received.map((r) => r.payload);
    expect(payloads.map((p) => p?.type)).toEqual([
      'dialog.created',
      'message.created',
      'message.created',
      'dialog.updated',
      'dialog.updated',
    ]);
    for (const r of receiver.received) {
      expect(r.headers['webhook-id']).toBe(r.payload?.id);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) * 1000 - Date.now())).toBeLessThan(
        60_000,
      );
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.payload?.data.dialog).toMatchObject({
        id: dialogId,
        reference: 'order-42',
        channel_id: channel.channelId,
      });
      expect(r.payload?.data.contact).toMatchObject({
        id: posted.body.contact_id,
        name: 'Vasya Pupkin',
        contacts: [expect.objectContaining({ value: 'customer-42', service: 'custom' })],
      });
    }
    // dialog.created is recorded before the first message, whose integration data the rest carry
    expect(payloads.map((p) => p?.data.dialog.integration_data)).toEqual([
      null,
      '{"chat":7}',
      '{"chat":7}',
      '{"chat":7}',
      '{"chat":7}',
    ]);
    expect(payloads[1]?.data.message).toMatchObject({
      direction: 'incoming',
      text: 'where is my order?',
      integration_data: '{"chat":7}',
    });
    expect(payloads[2]?.data.message).toMatchObject({
      id: messageId,
      direction: 'outgoing',
      text: 'on its way',
      operator_id: operator.id,
    });
    expect(payloads[3]?.data.changes).toEqual([
      { field: 'assignee_id', from: null, to: operator.id },
    ]);
    expect(payloads[4]?.data).toMatchObject({
      dialog: { status: 'closed', assignee_id: operator.id },
      changes: [{ field: 'status', from: 'open', to: 'closed' }],
    });

    const log = await eventually(async () => {
      const items = await deliveriesOf(parley, webhookId);
      expect(items.map((d) => d.status)).toEqual(Array(5).fill('delivered'));
      return items;
    });
    expect(log.map((d) => d.event_type).reverse()).toEqual(payloads.map((p) => p?.type));
    for (const delivery of log) {
      expect(delivery).toMatchObject({ attempts: 1, last_status_code: 200, last_response: 'ok' });
      expect(delivery.last_latency_ms).toEqual(expect.any(Number));
    }
    await parley.request(`/api/webhooks/${webhookId}`, { method: 'DELETE', headers: parley.admin });
  });

  it('sends only the event types and the channel a subscription asked for', async () => {
    const [mine, other] = [
      await createChannel(parley, 'Mine'),
      await createChannel(parley, 'Other'),
    ];
    const webhookId = await subscribe(parley, receiver, ['message.created'], {
      channel_id: mine.channelId,
    });
    await postMessage(parley, other, { text: 'elsewhere', ...customer('c-other') });
    const posted = await postMessage(parley, mine, { text: 'here', ...customer('c-mine') });
    await receiver.waitFor((r) => r.accepted.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.map((r) => [r.payload?.type, r.payload?.data.dialog.id])).toEqual([
      ['message.created', posted.body.dialog_id],
    ]);
    await parley.request(`/api/webhooks/${webhookId}`, { method: 'DELETE', headers: parley.admin });
  });

  it('signs with both secrets for a while after a rotation, then with the new one', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    const channel = await createChannel(parley);
    const oldSecret = receiver.secret;
    const rotated = await parley.request(
      `/api/webhooks/${webhookId}/rotate-secret`,
      jsonRequest('POST', parley.admin),
    );
    expect(rotated.status).toBe(200);
    const { secret } = (await rotated.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(oldSecret);
    receiver.secret = secret;
    await postMessage(parley, channel, { text: 'after rotation', ...customer('c-rot') });
    await receiver.waitFor((r) => r.accepted.length >= 1);
    const [request] = receiver.received;
    expect(request?.verifyError).toBeNull();
    expect(String(request?.headers['webhook-signature']).split(' ')).toHaveLength(2);

    const events = await parley.deps.store.readStream(streams.webhook(webhookId));
    const logged = JSON.stringify(events.map((e) => e.data));
    expect(logged).not.toContain(secret.slice('whsec_'.length));
    expect(logged).not.toContain(String(oldSecret).slice('whsec_'.length));
    await parley.request(`/api/webhooks/${webhookId}`, { method: 'DELETE', headers: parley.admin });
  });

  it('delivers in reply order, the same webhook-id on every attempt, while the receiver fails at random', async () => {
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, { text: 'hi', ...customer('c-order') });
    const dialogId = posted.body.dialog_id as string;
    await receiver.waitFor((r) => r.accepted.length >= 1);
    receiver.received.length = 0;

    // each event fails its first 0 to 3 attempts, with a status chosen at random
    const failures = new Map<string, number>();
    const statuses = [500, 502, 503, 404, 429, 302];
    let failed = 0;
    receiver.answer = ({ headers, attempt }): Answer => {
      const id = String(headers['webhook-id']);
      if (!failures.has(id)) failures.set(id, Math.floor(Math.random() * 4));
      if (attempt <= (failures.get(id) ?? 0)) {
        failed++;
        const status = statuses[Math.floor(Math.random() * statuses.length)] as number;
        const redirect: Record<string, string> = status === 302 ? { location: '/moved' } : {};
        return { status, headers: redirect, body: 'nope' };
      }
      return { status: 204 };
    };
    const operator = await createOperator(parley);
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) sent.push(await reply(parley, operator.auth, dialogId, `r${i}`));

    await receiver.waitFor((r) => r.accepted.length >= 20, 30_000);
    expect(receiver.received.every((r) => r.verifyError === null)).toBe(true);
    expect(receiver.accepted.map((r) => r.payload?.data.message?.id)).toEqual(sent);
    // every attempt of one event carried the same webhook-id, the payload's id
    const idsPerMessage = new Map<string, Set<string>>();
    for (const r of receiver.received) {
      const messageId = String(r.payload?.data.message?.id);
      idsPerMessage.set(
        messageId,
        (idsPerMessage.get(messageId) ?? new Set()).add(String(r.headers['webhook-id'])),
      );
      expect(r.headers['webhook-id']).toBe(r.payload?.id);
    }
    expect([...idsPerMessage.values()].map((ids) => ids.size)).toEqual(Array(20).fill(1));
    // redirects are not followed: nothing ever asked for /moved
    expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
    expect(receiver.received.length).toBe(20 + failed);

    const log = await eventually(async () => {
      const items = await deliveriesOf(parley, webhookId, '?limit=200');
      expect(items.filter((d) => d.status === 'delivered')).toHaveLength(21);
      return items;
    });
    expect(log.reduce((sum, d) => sum + d.attempts, 0)).toBe(21 + failed);
    await parley.request(`/api/webhooks/${webhookId}`, { method: 'DELETE', headers: parley.admin });
  });
});
