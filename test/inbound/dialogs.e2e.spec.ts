import { streams } from '../../src/application/streams';
import {
  createChannel,
  customer,
  eventsOf,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useTestParley } from '../support/parley';

describe('inbound messages and dialogs', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  beforeAll(async () => {
    channel = await createChannel(parley);
  });

  it('opens a new dialog when neither dialog_id nor reference is given', async () => {
    const first = await postMessage(parley, channel, { text: 'one', ...customer('c-new') });
    const second = await postMessage(parley, channel, { text: 'two', ...customer('c-new') });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ dialog_created: true, reference: null });
    expect(second.body.dialog_created).toBe(true);
    expect(second.body.dialog_id).not.toBe(first.body.dialog_id);
    expect(first.body.contact_id).toBe(second.body.contact_id);
  });

  it('finds the dialog by reference, or creates it with that reference', async () => {
    const first = await postMessage(parley, channel, {
      reference: 'avito-42',
      text: 'one',
      ...customer('c-ref'),
    });
    const second = await postMessage(parley, channel, {
      reference: 'avito-42',
      text: 'two',
      ...customer('c-ref'),
    });
    expect(first.body).toMatchObject({ dialog_created: true, reference: 'avito-42' });
    expect(second.body).toMatchObject({
      dialog_created: false,
      reference: 'avito-42',
      dialog_id: first.body.dialog_id,
    });
  });

  it('keeps references apart per channel', async () => {
    const other = await createChannel(parley, 'Other');
    const here = await postMessage(parley, channel, {
      reference: 'shared-ref',
      text: 'a',
      ...customer('c1'),
    });
    const there = await postMessage(parley, other, {
      reference: 'shared-ref',
      text: 'b',
      ...customer('c1'),
    });
    expect(there.body.dialog_id).not.toBe(here.body.dialog_id);
  });

  it('posts into the dialog named by dialog_id, ignoring reference (the seed)', async () => {
    const opened = await postMessage(parley, channel, {
      reference: 'by-id',
      text: 'one',
      ...customer('c-id'),
    });
    const byId = await postMessage(parley, channel, {
      dialog_id: opened.body.dialog_id,
      reference: 'something-else',
      text: 'two',
      ...customer('c-id'),
    });
    expect(byId.body).toMatchObject({
      dialog_id: opened.body.dialog_id,
      dialog_created: false,
      reference: 'by-id',
    });
    const upper = await postMessage(parley, channel, {
      dialog_id: (opened.body.dialog_id as string).toUpperCase(),
      text: 'three',
      ...customer('c-id'),
    });
    expect(upper.body.dialog_id).toBe(opened.body.dialog_id);
  });

  it('sets the title on creation and changes it when it differs', async () => {
    const opened = await postMessage(parley, channel, {
      reference: 't',
      dialog_title: 'Order 42',
      text: 'a',
      ...customer('c-t'),
    });
    await postMessage(parley, channel, {
      reference: 't',
      dialog_title: 'Order 42',
      text: 'b',
      ...customer('c-t'),
    });
    await postMessage(parley, channel, {
      reference: 't',
      dialog_title: 'Order 42 (paid)',
      text: 'c',
      ...customer('c-t'),
    });
    const events = await eventsOf(parley, streams.dialog(opened.body.dialog_id as string));
    expect(events.map((e) => e.type)).toEqual([
      'DialogOpened',
      'MessageReceived',
      'MessageReceived',
      'DialogTitleChanged',
      'MessageReceived',
    ]);
    expect(events[0]?.data.title).toBe('Order 42');
    expect(events[3]?.data).toMatchObject({ title: 'Order 42 (paid)', previousTitle: 'Order 42' });
  });

  it('keeps the sender’s timestamp, the time received, html as received, attachments and integration data', async () => {
    const attachment = {
      url: 'https://cdn.example.com/photo.jpg',
      size: 52_100,
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
    };
    const posted = await postMessage(parley, channel, {
      timestamp: 1_700_000_000_000,
      text: 'see photo',
      html: '<p>see <b>photo</b><script>alert(1)</script></p>',
      attachments: [attachment],
      integration_data: '{"avito_chat":"u2i-123"}',
      ...customer('c-full'),
    });
    const [, received] = await eventsOf(parley, streams.dialog(posted.body.dialog_id as string));
    expect(received?.data).toMatchObject({
      messageId: posted.body.message_id,
      createdAt: '2023-11-14T22:13:20.000Z',
      html: '<p>see <b>photo</b><script>alert(1)</script></p>',
      attachments: [attachment],
      integrationData: '{"avito_chat":"u2i-123"}',
    });
    expect(Date.parse(received?.data.receivedAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('uses now when no timestamp is given', async () => {
    const posted = await postMessage(parley, channel, { text: 'now', ...customer('c-now') });
    const [, received] = await eventsOf(parley, streams.dialog(posted.body.dialog_id as string));
    expect(Math.abs(Date.parse(received?.data.createdAt as string) - Date.now())).toBeLessThan(
      60_000,
    );
  });

  it('records the integration and the request as actor and correlation of every event', async () => {
    const response = await parley.request(channel.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-audit-1' },
      body: JSON.stringify({ text: 'audit me', ...customer('c-audit') }),
    });
    const body = (await response.json()) as { dialog_id: string };
    const events = await parley.deps.store.readStream(streams.dialog(body.dialog_id));
    for (const event of events) {
      expect(event.metadata).toMatchObject({
        correlationId: 'req-audit-1',
        actor: { type: 'integration', channelId: channel.channelId },
        schemaVersion: 1,
      });
    }
  });

  it('answers with the position of its last event for read-your-writes', async () => {
    const posted = await postMessage(parley, channel, { text: 'pos', ...customer('c-pos') });
    const position = posted.headers.get('x-parley-position');
    const events = await parley.deps.store.readStream(
      streams.dialog(posted.body.dialog_id as string),
    );
    expect(position).toBe(events[events.length - 1]?.checkpoint);
  });
});
