import type { LookupAddress } from 'node:dns';
import { createChannel, customer, postMessage } from '../support/inbound';
import type { TestParley } from '../support/parley';
import type { WebhookReceiver } from '../support/webhookReceiver';
import {
  deliveriesOf,
  eventually,
  jsonRequest,
  subscribe,
  useWebhookWorld,
} from '../support/webhooks';

/**
 * WEBHOOK_ALLOW_PRIVATE=false: URLs resolving to private, loopback or link-local addresses are
 * refused when subscribing and again at every connection, so DNS rebinding gains nothing.
 */
describe('webhook URL guard', () => {
  // what the test's DNS says: names can be re-pointed between subscribing and delivering
  const dns = new Map<string, string>([
    ['localhost', '127.0.0.1,::1'],
    ['public.example', '93.184.216.34'],
    ['internal.example', '10.1.2.3'],
    ['mixed.example', '93.184.216.34,192.168.0.10'],
    ['rebind.example', '93.184.216.34'],
  ]);
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = dns.get(hostname);
    if (addresses === undefined)
      throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses
      .split(',')
      .map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const world = useWebhookWorld({ WEBHOOK_ALLOW_PRIVATE: 'false' }, { resolve });
  let parley: TestParley;
  let receiver: WebhookReceiver;
  beforeAll(() => ({ parley, receiver } = world));

  const subscribeTo = (url: string) =>
    parley.request(
      '/api/webhooks',
      jsonRequest('POST', parley.admin, { url, events: ['message.created'] }),
    );

  it.each([
    'http://127.0.0.1:8080/hooks',
    'http://localhost/hooks',
    'http://[::1]/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.1/hooks',
    'http://[fe80::1]/hooks',
    'http://[fd00::1]/hooks',
    'https://internal.example/hooks',
    'https://mixed.example/hooks',
  ])('refuses %s', async (url) => {
    const response = await subscribeTo(url);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('E_WEBHOOK_URL_FORBIDDEN');
  });

  it('refuses credentials in the URL, which the event log would keep forever', async () => {
    const response = await subscribeTo('https://user:secret@public.example/hooks');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'E_VALIDATION',
      details: [{ path: 'url' }],
    });
  });

  it('accepts a public address, and refuses to move the webhook to a private one', async () => {
    const response = await subscribeTo('https://public.example/hooks');
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const moved = await parley.request(
      `/api/webhooks/${id}`,
      jsonRequest('PATCH', parley.admin, { url: 'http://192.168.1.1/' }),
    );
    expect([moved.status, ((await moved.json()) as { code: string }).code]).toEqual([
      400,
      'E_WEBHOOK_URL_FORBIDDEN',
    ]);
    const nothing = await parley.request(
      `/api/webhooks/${id}`,
      jsonRequest('PATCH', parley.admin, {}),
    );
    expect(nothing.status).toBe(400);
    await parley.request(`/api/webhooks/${id}`, { method: 'DELETE', headers: parley.admin });
  });

  it('refuses at delivery time a name that was public when subscribing and points inside now', async () => {
    const port = new URL(receiver.url).port;
    const webhookId = await subscribe(
      parley,
      { ...receiver, url: `http://rebind.example:${port}/hooks` } as WebhookReceiver,
      ['message.created'],
    );
    // the name now points at the receiver on the loopback interface
    dns.set('rebind.example', '127.0.0.1');
    const channel = await createChannel(parley);
    await postMessage(parley, channel, { text: 'exfiltrate?', ...customer('c-rebind') });
    // an attempt is counted when it starts; its outcome is recorded when it ends
    const [delivery] = await eventually(async () => {
      const items = await deliveriesOf(parley, webhookId);
      expect(items[0]?.last_error).toMatch(/rebind\.example resolves to 127\.0\.0\.1, a private/);
      return items;
    });
    expect(delivery?.last_status_code).toBeNull();
    expect(receiver.received).toEqual([]);
  });
});
