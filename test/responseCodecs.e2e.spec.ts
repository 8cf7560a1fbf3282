import { isLeft } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import type { RouteContract } from '../src/infrastructure/http/contract';
import { routeContracts } from '../src/infrastructure/http/routes/contracts';
import { createChannel, customer, postMessage } from './support/inbound';
import { deliveriesOf, eventually, subscribe, useWebhookWorld } from './support/webhooks';

/**
 * Real answers of a running Parley, decoded with the response codecs their route contracts
 * declare: what the OpenAPI document says a route answers is what it answers. Re-encoding must
 * give the answer back, so a field the codec does not know (t.exact drops it) fails too.
 */
describe('answers decode with the response codecs of their route contracts', () => {
  // a whole Parley with its outbox, and a receiver, so that deliveries exist
  const world = useWebhookWorld({});
  type Example = Readonly<{ path: string; body?: unknown }>;
  /** `method path` of a contract → the request that exercises it */
  const requests = new Map<string, Example>();

  beforeAll(async () => {
    const { parley, receiver } = world;
    const webhookId = await subscribe(parley, receiver);
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      reference: 'codecs-1',
      dialog_title: 'Sofa',
      text: 'Is it still available?',
      html: '<p>Is it <b>still</b> available?</p>',
      integration_data: '{"chat":1}',
      attachments: [
        {
          url: 'https://example.com/sofa.jpg',
          size: 1024,
          name: 'sofa.jpg',
          mimeType: 'image/jpeg',
        },
      ],
      contact_object: {
        name: 'Vasya Pupkin',
        description: 'a customer',
        contacts: [
          { type: 'id', value: 'codecs-vasya', service: 'custom', origin: 'custom' },
          { type: 'phone', value: '+7 987 654-32-10', service: 'whatsapp' },
        ],
      },
    });
    expect(posted.status).toBe(200);
    const { dialog_id: dialogId, contact_id: contactId } = posted.body as Record<string, string>;
    const [delivery] = await eventually(async () => {
      const delivered = await deliveriesOf(parley, webhookId, '?status=delivered');
      expect(delivered).not.toEqual([]);
      return delivered;
    }, 90_000);
    const deliveryPath = `/api/webhooks/${webhookId}/deliveries/${delivery?.id ?? ''}`;
    const spare = await subscribe(parley, receiver, ['dialog.created']);
    const at = `min_position=${encodeURIComponent(posted.headers.get('x-parley-position') ?? '')}`;
    const doomed = await createChannel(parley, 'Doomed');
    const operator = await parley.request('/api/operators', {
      method: 'POST',
      headers: { ...parley.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Oleg' }),
    });
    const { id: operatorId } = (await operator.json()) as { id: string };
    // the operator list has no min_position: wait until its read model shows the operator
    await eventually(async () => {
      const listed = await parley.request('/api/operators', { headers: parley.admin });
      expect(((await listed.json()) as { items: unknown[] }).items).not.toEqual([]);
    }, 60_000);
    const channelPath = `/api/channels/${channel.channelId}`;
    const examples: Record<string, Example> = {
      'post /api/custom-channel/message/{channelId}': {
        path: channel.path,
        body: { reference: 'codecs-1', text: 'And the chairs?', ...customer('codecs-vasya') },
      },
      'get /api/dialogs': { path: `/api/dialogs?channel_id=${channel.channelId}&${at}` },
      'get /api/dialogs/{id}': { path: `/api/dialogs/${dialogId}?${at}` },
      'get /api/dialogs/{id}/messages': { path: `/api/dialogs/${dialogId}/messages?${at}` },
      'get /api/contacts/search': { path: `/api/contacts/search?q=Vasya&${at}` },
      'get /api/contacts/{id}': { path: `/api/contacts/${contactId}?${at}` },
      'get /api/channels': { path: `/api/channels?${at}` },
      'post /api/channels': { path: '/api/channels', body: { name: 'Another' } },
      'get /api/channels/{id}': { path: channelPath },
      'patch /api/channels/{id}': { path: channelPath, body: { name: 'Avito (renamed)' } },
      'delete /api/channels/{id}': { path: `/api/channels/${doomed.channelId}` },
      'post /api/channels/{id}/tokens': { path: `${channelPath}/tokens` },
      'post /api/operators': { path: '/api/operators', body: { name: 'Olga' } },
      'get /api/operators': { path: '/api/operators' },
      'get /api/operators/{id}': { path: `/api/operators/${operatorId}` },
      'post /api/operators/{id}/tokens': { path: `/api/operators/${operatorId}/tokens` },
      'post /api/dialogs/{id}/messages': {
        path: `/api/dialogs/${dialogId}/messages`,
        body: { text: 'Yes, it is.' },
      },
      'put /api/dialogs/{id}/assignee': {
        path: `/api/dialogs/${dialogId}/assignee`,
        body: { operator_id: operatorId },
      },
      'delete /api/dialogs/{id}/assignee': { path: `/api/dialogs/${dialogId}/assignee` },
      'post /api/webhooks': {
        path: '/api/webhooks',
        body: { url: receiver.url, events: ['message.created'], channel_id: channel.channelId },
      },
      'get /api/webhooks': { path: '/api/webhooks' },
      'get /api/webhooks/{id}': { path: `/api/webhooks/${webhookId}` },
      'patch /api/webhooks/{id}': { path: `/api/webhooks/${spare}`, body: { enabled: false } },
      'post /api/webhooks/{id}/rotate-secret': { path: `/api/webhooks/${spare}/rotate-secret` },
      'get /api/webhooks/{id}/deliveries': { path: `/api/webhooks/${webhookId}/deliveries` },
      'get /api/webhooks/{id}/deliveries/{deliveryId}': { path: deliveryPath },
      'post /api/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
        path: `${deliveryPath}/redeliver`,
      },
      'post /api/auditors': { path: '/api/auditors', body: { name: 'Anna' } },
      'get /api/auditors': { path: '/api/auditors' },
      'get /api/dialogs/{id}/history': { path: `/api/dialogs/${dialogId}/history` },
      'get /api/contacts/{id}/history': {
        path: `/api/contacts/${contactId}/history?include_merged=true`,
      },
      'get /api/channels/{id}/history': { path: `${channelPath}/history` },
      'get /api/operators/{id}/history': { path: `/api/operators/${operatorId}/history` },
      'get /api/webhooks/{id}/history': { path: `/api/webhooks/${webhookId}/history` },
      'post /api/webhooks/{id}/redeliver': {
        path: `/api/webhooks/${webhookId}/redeliver?since=2026-01-01T00:00:00Z`,
      },
      'post /api/dialogs/{id}/close': { path: `/api/dialogs/${dialogId}/close` },
      'post /api/dialogs/{id}/reopen': { path: `/api/dialogs/${dialogId}/reopen` },
    };
    for (const [operation, request] of Object.entries(examples)) requests.set(operation, request);
  }, 120_000);

  const declared = routeContracts.filter((c) => c.response.codec !== undefined);
  const operation = (c: RouteContract) => `${c.method} ${c.path}`;

  it('has a request for every contract with a response codec', () =>
    expect([...requests.keys()].sort()).toEqual(declared.map(operation).sort()));

  it.each(declared.map((c) => [operation(c), c] as const))('%s', async (name, contract) => {
    const example = requests.get(name);
    if (example === undefined) throw new Error(`no request for ${name}`);
    const { parley } = world;
    const response = await parley.request(example.path, {
      method: contract.method.toUpperCase(),
      headers: { ...parley.admin, 'content-type': 'application/json' },
      ...(example.body === undefined ? {} : { body: JSON.stringify(example.body) }),
    });
    expect(response.status).toBe(contract.response.status);
    const body: unknown = await response.json();
    // a page must show an item, or it proves nothing about items
    expect(body).not.toMatchObject({ items: [] });
    const codec = contract.response.codec!;
    const decoded = codec.decode(body);
    if (isLeft(decoded)) throw new Error(PathReporter.report(decoded).join('\n'));
    expect(codec.encode(decoded.right)).toEqual(body);
  });
});
