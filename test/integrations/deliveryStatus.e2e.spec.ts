import { streams } from '../../src/application/streams';
import {
  createChannel,
  customer,
  eventsOf,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import type { TestParley } from '../support/parley';
import { createOperator, eventually, reply, subscribe, useWebhookWorld } from '../support/webhooks';

const statusPath = (channel: TestChannel) => channel.path.replace('?', '/status?');

const report = async (parley: TestParley, channel: TestChannel, body: unknown) => {
  const response = await parley.request(statusPath(channel), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

type MessageItem = { message_id: string; status: string | null; status_reason: string | null };
const messagesOf = async (parley: TestParley, dialogId: string): Promise<MessageItem[]> =>
  (
    (await (
      await parley.request(`/api/dialogs/${dialogId}/messages`, { headers: parley.admin })
    ).json()) as {
      items: MessageItem[];
    }
  ).items;

describe('delivery status back (SPEC §2.1)', () => {
  const world = useWebhookWorld({});
  let channel: TestChannel;
  let dialogId: string;
  let incomingId: string;
  let operator: Awaited<ReturnType<typeof createOperator>>;

  beforeAll(async () => {
    const { parley, receiver } = world;
    await subscribe(parley, receiver, ['message.updated']);
    channel = await createChannel(parley);
    operator = await createOperator(parley);
    const posted = await postMessage(parley, channel, { text: 'hi', ...customer('ds-1') });
    dialogId = posted.body.dialog_id as string;
    incomingId = posted.body.message_id as string;
  });

  it('ends `read` after delivered, read, delivered out of order, and tells subscribers twice', async () => {
    const { parley, receiver } = world;
    const messageId = await reply(parley, operator.auth, dialogId, 'your sofa ships today');
    // the message id alone, as an integration has it from message.created
    const delivered = await eventually(async () => {
      const answer = await report(parley, channel, { message_id: messageId, status: 'delivered' });
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(delivered.body).toEqual({
      message_id: messageId,
      dialog_id: dialogId,
      status: 'delivered',
      changed: true,
    });
    const read = await report(parley, channel, {
      message_id: messageId,
      status: 'read',
      timestamp: Date.parse('2026-03-01T12:00:00Z'),
    });
    expect(read.body).toMatchObject({ status: 'read', changed: true });
    // late and out of order: the status never moves back, and nothing is appended
    const late = await report(parley, channel, { message_id: messageId, status: 'delivered' });
    expect(late).toEqual({ status: 200, body: { ...read.body, changed: false } });
    const again = await report(parley, channel, { message_id: messageId, status: 'read' });
    expect(again.body).toMatchObject({ status: 'read', changed: false });
    const failed = await report(parley, channel, { message_id: messageId, status: 'failed' });
    expect(failed.body).toMatchObject({ status: 'read', changed: false });

    const changes = (await eventsOf(parley, streams.dialog(dialogId))).filter(
      (e) => e.type === 'MessageDeliveryStatusChanged',
    );
    expect(changes.map((e) => [e.data.previousStatus, e.data.status])).toEqual([
      ['sent', 'delivered'],
      ['delivered', 'read'],
    ]);
    const item = await eventually(async () => {
      const found = (await messagesOf(parley, dialogId)).find((m) => m.message_id === messageId);
      expect(found).toMatchObject({ status: 'read', status_at: '2026-03-01T12:00:00.000Z' });
      return found;
    });
    expect(item?.status_reason).toBeNull();
    await receiver.waitFor((r) => r.accepted.length >= 2, 20_000);
    const updates = receiver.accepted.map((r) => r.payload?.data.message);
    expect(updates.map((m) => [m?.id, m?.status, m?.previous_status])).toEqual([
      [messageId, 'delivered', 'sent'],
      [messageId, 'read', 'delivered'],
    ]);
    expect(receiver.accepted.map((r) => r.payload?.type)).toEqual([
      'message.updated',
      'message.updated',
    ]);
  });

  it('shows a reply not yet reported as sent, a customer message with no status', async () => {
    const { parley } = world;
    const messageId = await reply(parley, operator.auth, dialogId, 'anything else?');
    const messages = await eventually(async () => {
      const all = await messagesOf(parley, dialogId);
      expect(all.some((m) => m.message_id === messageId)).toBe(true);
      return all;
    });
    expect(messages.find((m) => m.message_id === messageId)?.status).toBe('sent');
    expect(messages.find((m) => m.message_id === incomingId)?.status).toBeNull();
  });

  it('keeps a failure with its reason, and a later delivered wins over it', async () => {
    const { parley } = world;
    const messageId = await reply(parley, operator.auth, dialogId, 'are you there?');
    const failed = await report(parley, channel, {
      message_id: messageId,
      dialog_id: dialogId,
      status: 'failed',
      reason: 'the customer blocked the bot',
    });
    expect(failed.body).toMatchObject({ status: 'failed', changed: true });
    await eventually(async () =>
      expect(
        (await messagesOf(parley, dialogId)).find((m) => m.message_id === messageId),
      ).toMatchObject({
        status: 'failed',
        status_reason: 'the customer blocked the bot',
      }),
    );
    const retried = await report(parley, channel, {
      message_id: messageId,
      dialog_id: dialogId,
      status: 'delivered',
    });
    expect(retried.body).toMatchObject({ status: 'delivered', changed: true });
  });

  it('answers a clear code for an unknown message, a customer message, another channel and a bad token', async () => {
    const { parley } = world;
    const unknown = await report(parley, channel, {
      message_id: 'ffffffffffffffffffffffff',
      status: 'read',
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'E_MESSAGE_NOT_FOUND' } });
    const incoming = await report(parley, channel, { message_id: incomingId, status: 'read' });
    expect(incoming).toMatchObject({ status: 409, body: { code: 'E_MESSAGE_NOT_OUTGOING' } });

    const other = await createChannel(parley, 'Other');
    const messageId = await reply(parley, operator.auth, dialogId, 'one more');
    const foreign = await report(parley, other, {
      message_id: messageId,
      dialog_id: dialogId,
      status: 'read',
    });
    expect(foreign).toMatchObject({ status: 404, body: { code: 'E_MESSAGE_NOT_FOUND' } });

    const badToken = await parley.request(
      `/api/custom-channel/message/${channel.channelId}/status?token=wrong`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message_id: messageId, status: 'read' }),
      },
    );
    expect(badToken.status).toBe(401);
    expect(((await badToken.json()) as { code: string }).code).toBe('E_INVALID_TOKEN');

    const invalid = await report(parley, channel, { message_id: messageId, status: 'lost' });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'E_VALIDATION' } });
  });
});
