import type { StartOptions } from '../../src/infrastructure/parley';
import { createChannel, customer, postMessage } from './inbound';
import { startTestParley, type TestParley } from './parley';
import { WebhookReceiver } from './webhookReceiver';

export type WebhookWorld = { parley: TestParley; receiver: WebhookReceiver };

/**
 * A whole Parley (its projection runners run the outbox) and a receiver on 127.0.0.1; the
 * receiver goes first at the end, so that Parley's workers stop without waiting on it.
 */
export const useWebhookWorld = (
  env: Record<string, string>,
  options: StartOptions = {},
): WebhookWorld => {
  const world = {} as WebhookWorld;
  let stop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const parley = await startTestParley({ WEBHOOK_ALLOW_PRIVATE: 'true', ...env }, options);
    world.parley = parley;
    world.receiver = await WebhookReceiver.start();
    stop = async () => {
      await world.receiver.close();
      await parley.stop();
    };
  });
  afterAll(() => stop());
  return world;
};

export const jsonRequest = (
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): RequestInit => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** Subscribes the receiver through the admin API and hands it the secret, shown once. */
export const subscribe = async (
  parley: TestParley,
  receiver: WebhookReceiver,
  events: string[] = ['dialog.created', 'dialog.updated', 'message.created'],
  extra: Record<string, unknown> = {},
): Promise<string> => {
  const response = await parley.request(
    '/api/webhooks',
    jsonRequest('POST', parley.admin, { url: receiver.url, events, ...extra }),
  );
  if (response.status !== 201)
    throw new Error(`subscribe failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string; secret: string };
  receiver.secret = body.secret;
  return body.id;
};

/** An operator through the admin API: its id and bearer header. */
export const createOperator = async (parley: TestParley, name = 'Masha') => {
  const response = await parley.request(
    '/api/operators',
    jsonRequest('POST', parley.admin, { name }),
  );
  const body = (await response.json()) as { id: string; token: { token: string } };
  return { id: body.id, auth: { authorization: `Bearer ${body.token.token}` } };
};

/** An operator's reply; resolves to the new message id. */
export const reply = async (
  parley: TestParley,
  auth: Record<string, string>,
  dialogId: string,
  text: string,
): Promise<string> => {
  const response = await parley.request(
    `/api/dialogs/${dialogId}/messages`,
    jsonRequest('POST', auth, { text }),
  );
  if (response.status !== 201)
    throw new Error(`reply failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { message_id: string }).message_id;
};

export type DeliveryJson = {
  id: string;
  message_id: string;
  event_type: string;
  dialog_id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  last_response: string | null;
};

export const deliveriesOf = async (
  parley: TestParley,
  webhookId: string,
  query = '',
): Promise<DeliveryJson[]> => {
  const response = await parley.request(`/api/webhooks/${webhookId}/deliveries${query}`, {
    headers: parley.admin,
  });
  if (response.status !== 200)
    throw new Error(`deliveries: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { items: DeliveryJson[] }).items;
};

/** Polls until `check` holds (or throws its last failure after `timeoutMs`). */
export const eventually = async <T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
};

/**
 * `dialogs` customers each open a dialog, answered by `replies` operator replies in order:
 * the message ids each dialog's webhooks must carry, in that order.
 */
export const dialogsWithReplies = async (
  parley: TestParley,
  customerPrefix: string,
  dialogs: number,
  replies: number,
): Promise<Map<string, string[]>> => {
  const channel = await createChannel(parley);
  const operator = await createOperator(parley);
  const expected = new Map<string, string[]>();
  let retried = 0;
  // as an integrator does (SPEC §1): a 503, or a 429 of the channel's rate limit (40 at once
  // can outrun its bucket on a loaded machine), is retried after its Retry-After, under the
  // same Idempotency-Key, so a retry never adds a second message; any other failure fails
  const retrying = async (call: () => Promise<{ status: number; body: unknown }>) => {
    for (let attempt = 1; ; attempt++) {
      const answer = await call();
      if ((answer.status !== 503 && answer.status !== 429) || attempt === 5) return answer;
      retried++;
      await new Promise((r) => setTimeout(r, answer.status === 429 ? 1_000 : 500));
    }
  };
  await Promise.all(
    Array.from({ length: dialogs }, async (_, d) => {
      const posted = (await retrying(() =>
        postMessage(
          parley,
          channel,
          { text: 'hi', ...customer(`${customerPrefix}-${d}`) },
          { 'idempotency-key': `${customerPrefix}-${d}` },
        ),
      )) as Awaited<ReturnType<typeof postMessage>>;
      if (posted.status !== 200)
        throw new Error(`message failed: ${posted.status} ${JSON.stringify(posted.body)}`);
      const dialogId = posted.body.dialog_id as string;
      const messages = [posted.body.message_id as string];
      for (let r = 0; r < replies; r++) {
        const sent = await retrying(async () => {
          const response = await parley.request(`/api/dialogs/${dialogId}/messages`, {
            ...jsonRequest('POST', operator.auth, { text: `d${d} r${r}` }),
            headers: {
              ...operator.auth,
              'content-type': 'application/json',
              'idempotency-key': `reply-${r}`,
            },
          });
          return { status: response.status, body: await response.json() };
        });
        if (sent.status !== 201)
          throw new Error(`reply failed: ${sent.status} ${JSON.stringify(sent.body)}`);
        messages.push((sent.body as { message_id: string }).message_id);
      }
      expected.set(dialogId, messages);
    }),
  );
  // eslint-disable-next-line no-console
  if (retried > 0) console.info(`dialogsWithReplies: ${retried} answers 503 or 429, retried`);
  return expected;
};

/** Every expected event accepted once, signed, and in order per dialog. */
export const expectEachAcceptedOnceInOrder = async (
  receiver: WebhookReceiver,
  expected: ReadonlyMap<string, readonly string[]>,
): Promise<void> => {
  const total = [...expected.values()].reduce((n, messages) => n + messages.length, 0);
  await receiver.waitFor((r) => r.accepted.length >= total, 60_000);
  // give a duplicate, were there one, the time to arrive
  await new Promise((r) => setTimeout(r, 500));

  expect(receiver.received.every((r) => r.verifyError === null)).toBe(true);
  const accepted = receiver.accepted.map((r) => String(r.headers['webhook-id']));
  expect(accepted).toHaveLength(total);
  expect(new Set(accepted).size).toBe(total);
  for (const [dialogId, messages] of expected) {
    expect(
      receiver.accepted
        .filter((r) => r.payload?.data.dialog.id === dialogId)
        .map((r) => r.payload?.data.message?.id),
    ).toEqual(messages);
  }
};
