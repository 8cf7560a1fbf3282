import { bodyOf } from './support/http';
import { createChannel, postMessage } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator, jsonRequest } from './support/webhooks';

type Item = {
  position: string;
  stream: string;
  revision: string;
  type: string;
  recorded_at: string;
  actor: Record<string, string>;
  correlation_id: string;
  causation_id: string | null;
  data: Record<string, unknown>;
  summary: string;
};
type Page = { items: Item[]; next_cursor: string | null };

const person = (name: string, ...ids: string[]) => ({
  contact_object: {
    name,
    contacts: ids.map((value) => ({ type: 'id', value, service: 'custom', origin: 'custom' })),
  },
});

/** SPEC §7: the history of every aggregate, from the event store, in log order, paged. */
describe('history', () => {
  const parley = useTestParley({ WEBHOOK_ALLOW_PRIVATE: 'true' });

  const history = async (path: string, headers = parley.admin): Promise<Page> => {
    const response = await parley.request(path, { headers });
    if (response.status !== 200)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Page;
  };
  /** every page, following next_cursor */
  const allPages = async (path: string, limit: number): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await history(
        `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return items;
  };

  it('tells a dialog’s story in plain words, whoever reads it', async () => {
    const channel = await createChannel(parley);
    const posted = await postMessage(
      parley,
      channel,
      { ...person('Vasya', 'h-1'), text: 'hello', reference: 'order-1' },
      { 'x-request-id': 'history-inbound-1' },
    );
    const dialogId = String(posted.body.dialog_id);
    const masha = await createOperator(parley, 'Masha');
    const petya = await createOperator(parley, 'Petya');
    const assign = await parley.request(
      `/api/dialogs/${dialogId}/assignee`,
      jsonRequest('PUT', masha.auth, { operator_id: petya.id }),
    );
    expect(assign.status).toBe(200);
    const replied = await parley.request(
      `/api/dialogs/${dialogId}/messages`,
      jsonRequest('POST', petya.auth, { text: 'hi there' }),
    );
    expect(replied.status).toBe(201);
    expect(
      (await parley.request(`/api/dialogs/${dialogId}/close`, jsonRequest('POST', petya.auth)))
        .status,
    ).toBe(200);

    const { items, next_cursor } = await history(`/api/dialogs/${dialogId}/history`);
    expect(next_cursor).toBeNull();
    expect(items.map((i) => i.type)).toEqual([
      'DialogOpened',
      'MessageReceived',
      'DialogAssigned',
      'MessageSent',
      'DialogStatusChanged',
    ]);
    expect(items.map((i) => i.revision)).toEqual(['0', '1', '2', '3', '4']);
    expect(items[0]).toMatchObject({
      stream: `dialog-${dialogId}`,
      actor: { type: 'integration', channelId: channel.channelId },
      correlation_id: 'history-inbound-1',
      causation_id: null,
      data: { dialogId, reference: 'order-1' },
    });
    expect(items.map((i) => i.summary)).toEqual([
      `The integration of channel ${channel.channelId} opened the dialog with reference “order-1”.`,
      `The integration of channel ${channel.channelId} posted the customer's message ${String(posted.body.message_id)}.`,
      'Operator Masha assigned the dialog to Petya.',
      `Operator Petya replied with message ${String(items[3]?.data.messageId)}.`,
      'Operator Petya closed the dialog.',
    ]);
    for (const [a, b] of items.slice(1).map((item, i) => [items[i] as Item, item] as const))
      expect(parley.deps.store.compareCheckpoints(a.position as never, b.position as never)).toBe(
        -1,
      );

    // operators read a dialog's history (the inbox timeline), auditors too; pages join up
    expect((await history(`/api/dialogs/${dialogId}/history`, masha.auth)).items).toEqual(items);
    expect(await allPages(`/api/dialogs/${dialogId}/history`, 2)).toEqual(items);
  });

  it('adds the events of merged contacts on request, in log order', async () => {
    const channel = await createChannel(parley);
    const first = await postMessage(parley, channel, { ...person('Anna', 'm-1'), text: 'a' });
    const second = await postMessage(parley, channel, { ...person('Anya', 'm-2'), text: 'b' });
    const both = await postMessage(parley, channel, {
      ...person('Anna K', 'm-1', 'm-2'),
      text: 'c',
    });
    const survivor = String(both.body.contact_id);
    const merged = [first.body.contact_id, second.body.contact_id].find((id) => id !== survivor);
    expect(survivor).toBe(first.body.contact_id);

    const own = await allPages(`/api/contacts/${survivor}/history`, 50);
    expect(new Set(own.map((i) => i.stream))).toEqual(new Set([`contact-${survivor}`]));
    expect(own.map((i) => i.type)).toContain('ContactsMerged');

    const withMerged = await allPages(`/api/contacts/${survivor}/history?include_merged=true`, 3);
    expect(new Set(withMerged.map((i) => i.stream))).toEqual(
      new Set([`contact-${survivor}`, `contact-${String(merged)}`]),
    );
    expect(withMerged.length).toBeGreaterThan(own.length);
    const positions = withMerged.map((i) => i.position);
    expect(
      [...positions].sort((a, b) => parley.deps.store.compareCheckpoints(a as never, b as never)),
    ).toEqual(positions);
    expect(withMerged.map((i) => i.type)).toEqual(
      expect.arrayContaining(['ContactMergedInto', 'ContactsMerged']),
    );
  });

  it('keeps tokens and secrets out of channel, operator and webhook history', async () => {
    const channel = await createChannel(parley);
    const operator = await createOperator(parley, 'Olga');
    const subscribed = await parley.request(
      '/api/webhooks',
      jsonRequest('POST', parley.admin, {
        url: 'http://127.0.0.1:9/hooks',
        events: ['message.created'],
      }),
    );
    const webhook = (await bodyOf(subscribed)) as { id: string; secret: string };
    const texts: string[] = [];
    for (const [path, first] of [
      [`/api/channels/${channel.channelId}/history`, 'ChannelCreated'],
      [`/api/operators/${operator.id}/history`, 'OperatorCreated'],
      [`/api/webhooks/${webhook.id}/history`, 'WebhookSubscribed'],
    ] as const) {
      const { items } = await history(path);
      expect(items[0]?.type).toBe(first);
      texts.push(JSON.stringify(items));
    }
    const all = texts.join('\n');
    expect(all).toContain('ChannelTokenIssued');
    expect(all).not.toContain('tokenHash');
    for (const secret of [channel.token, operator.auth.authorization.slice(7), webhook.secret])
      expect(all).not.toContain(secret);
  });

  it('answers each kind’s not-found code for an id that never was, and refuses bad paging', async () => {
    for (const [kind, code] of [
      ['dialogs', 'E_DIALOG_NOT_FOUND'],
      ['contacts', 'E_CONTACT_NOT_FOUND'],
      ['channels', 'E_CHANNEL_NOT_FOUND'],
      ['operators', 'E_OPERATOR_NOT_FOUND'],
      ['webhooks', 'E_WEBHOOK_NOT_FOUND'],
    ]) {
      for (const id of ['f'.repeat(24), 'nope']) {
        const response = await parley.request(`/api/${kind}/${id}/history`, {
          headers: parley.admin,
        });
        expect([kind, response.status, (await bodyOf(response)).code]).toEqual([kind, 404, code]);
      }
    }
    const channel = await createChannel(parley);
    for (const query of ['limit=0', 'cursor=%%%', 'include_merged=yes', 'what=1']) {
      const response = await parley.request(`/api/channels/${channel.channelId}/history?${query}`, {
        headers: parley.admin,
      });
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  it('shows management history to the admin and auditors, not to operators', async () => {
    const channel = await createChannel(parley);
    const operator = await createOperator(parley, 'Nina');
    const response = await parley.request(`/api/channels/${channel.channelId}/history`, {
      headers: operator.auth,
    });
    expect([response.status, (await bodyOf(response)).code]).toEqual([403, 'E_FORBIDDEN']);
  });
});
