import type { StartOptions } from '../../src/infrastructure/parley';
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
