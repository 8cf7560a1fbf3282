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
  /** a JSON body, or a raw one with its content type (NDJSON) */
  type Example = Readonly<{ path: string; body?: unknown; raw?: { type: string; text: string } }>;
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
    const contactOf = async (value: string) => {
      const made = await postMessage(parley, channel, { text: 'Hello', ...customer(value) });
      expect(made.status).toBe(200);
      return (made.body as Record<string, string>).contact_id as string;
    };
    const [doomedContact, erasedContact] = await Promise.all([
      contactOf('codecs-doomed'),
      contactOf('codecs-erased'),
    ]);
    const reply = await parley.request(`/api/dialogs/${dialogId}/messages`, {
      method: 'POST',
      headers: { ...parley.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'It is.' }),
    });
    const { message_id: replyId } = (await reply.json()) as { message_id: string };
    const token = `token=${encodeURIComponent(channel.token)}`;
    // the signer signs what the notary recorded within a second: wait for a checkpoint
    await eventually(async () => {
      const signed = await parley.request('/api/audit/checkpoints', { headers: parley.admin });
      expect(((await signed.json()) as { items: unknown[] }).items).not.toEqual([]);
    }, 60_000);
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
      'post /api/custom-channel/message/{channelId}/status': {
        path: `/api/custom-channel/message/${channel.channelId}/status?${token}`,
        // the dialog spares the lookup in a read model that may not have the reply yet
        body: { message_id: replyId, dialog_id: dialogId, status: 'read' },
      },
      'post /api/custom-channel/import/{channelId}': {
        path: `/api/custom-channel/import/${channel.channelId}?${token}`,
        raw: {
          type: 'application/x-ndjson',
          text: `${JSON.stringify({
            external_id: 'codecs-import-1',
            direction: 'incoming',
            reference: 'codecs-import',
            timestamp: 1709283600000,
            text: 'Is the sofa still available?',
            ...customer('codecs-imported'),
          })}\n`,
        },
      },
      'get /api/webhooks/{id}/events': { path: `/api/webhooks/${webhookId}/events` },
      'delete /api/contacts/{id}': { path: `/api/contacts/${doomedContact}` },
      'post /api/contacts/{id}/erase': { path: `/api/contacts/${erasedContact}/erase` },
      'get /api/contacts/{id}/export': { path: `/api/contacts/${contactId}/export` },
      'get /api/me': { path: '/api/me' },
      'post /api/inbox/stream-ticket': { path: '/api/inbox/stream-ticket' },
      'get /api/inbox/directory': { path: '/api/inbox/directory' },
      'get /healthz': { path: '/healthz' },
      'get /readyz': { path: '/readyz' },
      'get /api/audit/events': { path: '/api/audit/events?limit=5' },
      'get /api/audit/verify': { path: '/api/audit/verify' },
      'get /api/audit/public-key': { path: '/api/audit/public-key' },
      'get /api/audit/checkpoints': { path: '/api/audit/checkpoints' },
      'get /api/audit/correlations/{correlationId}': {
        path: `/api/audit/correlations/${encodeURIComponent(posted.headers.get('x-request-id') ?? '')}`,
      },
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
      headers: { ...parley.admin, 'content-type': example.raw?.type ?? 'application/json' },
      ...(example.raw !== undefined
        ? { body: example.raw.text }
        : example.body === undefined
          ? {}
          : { body: JSON.stringify(example.body) }),
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
