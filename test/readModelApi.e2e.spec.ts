import { streams } from '../src/application/streams';
import { dialogDecider } from '../src/domain/dialog/decide';
import { bodyOf } from './support/http';
import { createChannel, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { writer, type Writer } from './support/writer';

const OPERATOR = 'b0000000000000000000000a';
const custom = (value: string) => ({ type: 'id', value, service: 'custom', origin: 'custom' });
const phone = (value: string) => ({ type: 'phone', value, service: 'whatsapp' });

type Page = { items: Array<Record<string, unknown>>; next_cursor: string | null };

describe('the read-model query API', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  let w: Writer;
  /** the X-Parley-Position of the latest write */
  let position = '';

  const get = async (path: string, headers: Record<string, string> = parley.admin) => {
    const response = await parley.request(path, { headers });
    return { status: response.status, headers: response.headers, body: await bodyOf(response) };
  };
  /** reads after the latest write: read-your-writes through min_position */
  const read = (path: string) =>
    get(`${path}${path.includes('?') ? '&' : '?'}min_position=${encodeURIComponent(position)}`);
  const post = async (body: Record<string, unknown>) => {
    const posted = await postMessage(parley, channel, body);
    expect(posted.status).toBe(200);
    position = posted.headers.get('x-parley-position') ?? '';
    expect(position).not.toBe('');
    return posted.body as { dialog_id: string; contact_id: string; message_id: string };
  };

  beforeAll(async () => {
    channel = await createChannel(parley);
    // its clock starts a minute ahead of the inbound endpoint's, so its writes are the latest
    w = writer(parley.deps.store, new Date(Date.now() + 60_000));
  });

  it('finds a dialog by reference right after the write, with its messages in order', async () => {
    const vasya = {
      contact_object: {
        name: 'Vasya Pupkin',
        contacts: [custom('vasya-1'), phone('+7 987 654-32-10')],
      },
    };
    const first = await post({
      reference: 'avito-42',
      dialog_title: 'Sofa',
      text: 'written second',
      timestamp: Date.parse('2026-02-01T10:00:02Z'),
      integration_data: '{"chat":42}',
      html: '<p>hi<script>alert(1)</script></p>',
      ...vasya,
    });
    const earlier = await post({
      reference: 'avito-42',
      text: 'written first',
      timestamp: Date.parse('2026-02-01T10:00:01Z'),
      ...vasya,
    });

    const found = await read(`/api/dialogs?channel_id=${channel.channelId}&reference=avito-42`);
    expect(found.status).toBe(200);
    expect((found.body as Page).items).toEqual([
      expect.objectContaining({
        dialog_id: first.dialog_id,
        channel_id: channel.channelId,
        reference: 'avito-42',
        title: 'Sofa',
        status: 'open',
        contact_id: first.contact_id,
        integration_data: '{"chat":42}',
        messages_in: 2,
        messages_out: 0,
        contact_name: 'Vasya Pupkin',
        channel_name: expect.any(String),
        assignee_name: null,
        last_message: expect.objectContaining({
          message_id: earlier.message_id,
          direction: 'incoming',
          preview: 'written first',
          author_name: 'Vasya Pupkin',
        }),
        waiting_since: expect.any(String),
      }),
    ]);

    const one = await read(`/api/dialogs/${first.dialog_id}`);
    expect(one.body).toMatchObject({ dialog_id: first.dialog_id, reference: 'avito-42' });

    const page1 = await read(`/api/dialogs/${first.dialog_id}/messages?limit=1`);
    const messages = page1.body as Page;
    expect(messages.items.map((m) => m.message_id)).toEqual([earlier.message_id]);
    expect(messages.next_cursor).not.toBeNull();
    const page2 = (
      await read(`/api/dialogs/${first.dialog_id}/messages?limit=1&cursor=${messages.next_cursor}`)
    ).body as Page;
    expect(page2.items).toEqual([
      expect.objectContaining({
        message_id: first.message_id,
        direction: 'incoming',
        text: 'written second',
        html: '<p>hi</p>',
        timestamp: Date.parse('2026-02-01T10:00:02Z'),
        created_at: '2026-02-01T10:00:02.000Z',
      }),
    ]);
    expect(page2.next_cursor).toBeNull();
  });

  it('finds Vasya Pupkin by a fuzzy name or a part of his phone number', async () => {
    for (const q of ['pupkin', 'vasia pupkn', '987 654 32']) {
      const found = await read(`/api/contacts/search?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect((found.body as Page).items[0]).toMatchObject({
        name: 'Vasya Pupkin',
        contacts: expect.arrayContaining([expect.objectContaining({ value: '+7 987 654-32-10' })]),
      });
    }
  });

  it('filters by status, assignee, contact and update time, and pages with a cursor', async () => {
    const alice = { contact_object: { name: 'Alice', contacts: [custom('alice-1')] } };
    const opened: string[] = [];
    for (let i = 0; i < 5; i++) opened.push((await post({ text: `hi ${i}`, ...alice })).dialog_id);
    const [closedOne, assignedOne] = opened;
    const since = w.now();
    await w.run(streams.dialog(closedOne as string), dialogDecider, {
      type: 'CloseDialog',
      data: {},
    });
    await w.run(streams.dialog(assignedOne as string), dialogDecider, {
      type: 'AssignDialog',
      data: { assigneeId: OPERATOR },
    });
    position = w.lastPosition() as string;
    const alices = (await read(`/api/dialogs?channel_id=${channel.channelId}&status=closed`))
      .body as Page;
    expect(alices.items.map((d) => d.dialog_id)).toEqual([closedOne]);
    const assigned = (await read(`/api/dialogs?assignee_id=${OPERATOR}`)).body as Page;
    expect(assigned.items.map((d) => d.dialog_id)).toEqual([assignedOne]);
    const recent = (await read(`/api/dialogs?updated_since=${encodeURIComponent(since)}`))
      .body as Page;
    expect(recent.items.map((d) => d.dialog_id).sort()).toEqual([closedOne, assignedOne].sort());

    const contactId = (await read(`/api/dialogs/${opened[0]}`)).body.contact_id as string;
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/dialogs?contact_id=${contactId}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await read(query)).body as Page;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.dialog_id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect([...seen].sort()).toEqual([...opened].sort());
  });

  it('answers a merged contact with its survivor, and a deleted one with E_CONTACT_DELETED', async () => {
    const older = await post({
      text: 'a',
      contact_object: { name: 'Old', contacts: [custom('m-a')] },
    });
    const younger = await post({
      text: 'b',
      contact_object: { name: 'Young', contacts: [custom('m-b')] },
    });
    const both = await post({
      text: 'c',
      contact_object: { name: 'Old', contacts: [custom('m-a'), custom('m-b')] },
    });
    expect(both.contact_id).toBe(older.contact_id);
    const merged = await read(`/api/contacts/${younger.contact_id}`);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      contact_id: older.contact_id,
      status: 'active',
      merged_ids: [younger.contact_id],
    });
    expect(merged.headers.get('content-location')).toBe(`/api/contacts/${older.contact_id}`);
    // the merged contact's dialog belongs to the survivor now
    const dialogs = (await read(`/api/dialogs?contact_id=${younger.contact_id}`)).body as Page;
    expect(dialogs.items.map((d) => d.dialog_id)).toContain(younger.dialog_id);
    expect(dialogs.items.every((d) => d.contact_id === older.contact_id)).toBe(true);

    const deleted = await parley.request(`/api/contacts/${older.contact_id}`, {
      method: 'DELETE',
      headers: parley.admin,
    });
    expect(deleted.status).toBe(200);
    position = deleted.headers.get('x-parley-position') ?? '';
    const gone = await read(`/api/contacts/${older.contact_id}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'E_CONTACT_DELETED']);
  });

  it('searches dialogs by contact and text, and filters unassigned and waiting ones', async () => {
    const zina = {
      contact_object: {
        name: 'Zinaida Search',
        contacts: [custom('zina-1'), phone('+7 900 111-22-33')],
      },
    };
    const waiting = await post({ text: 'the kettle leaks', ...zina });
    const answered = await post({ text: 'thanks', ...zina });
    await w.run(streams.dialog(answered.dialog_id), dialogDecider, {
      type: 'SendReply',
      data: {
        messageId: w.ids.objectId(),
        operatorId: OPERATOR,
        text: 'on its way',
        html: null,
        attachments: [],
        now: w.now(),
        requestHash: null,
      },
    });
    position = w.lastPosition() as string;
    const ids = async (query: string) =>
      ((await read(`/api/dialogs?${query}`)).body as Page).items.map((d) => d.dialog_id).sort();
    const both = [waiting.dialog_id, answered.dialog_id].sort();
    expect(await ids('q=zinaida')).toEqual(both);
    expect(await ids('q=111-22')).toEqual(both);
    expect(await ids('q=KETTLE')).toEqual([waiting.dialog_id]);
    expect(await ids('q=zinaida&waiting=true')).toEqual([waiting.dialog_id]);
    expect(await ids('q=zinaida&assigned=false')).toEqual(both);
    const bad = await get('/api/dialogs?assigned=maybe&waiting=1&q=');
    expect([
      bad.status,
      (bad.body.details as Array<{ path: string }>).map((d) => d.path).sort(),
    ]).toEqual([400, ['assigned', 'q', 'waiting']]);
  });

  it('refuses bad parameters with E_VALIDATION and the path of each', async () => {
    const bad = await get(
      '/api/dialogs?limit=0&status=maybe&channel_id=xyz&channelId=1&cursor=%21%21&updated_since=yesterday',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('E_VALIDATION');
    expect((bad.body.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(
      ['channelId', 'channel_id', 'cursor', 'limit', 'status', 'updated_since'].sort(),
    );
    const position = await get('/api/dialogs?min_position=not-a-position');
    expect([position.status, position.body.details]).toEqual([
      400,
      [expect.objectContaining({ path: 'min_position' })],
    ]);
    const noQuery = await get('/api/contacts/search');
    expect([noQuery.status, noQuery.body.code]).toEqual([400, 'E_VALIDATION']);
  });

  it('answers unknown ids with the right 404 and a missing token with 401', async () => {
    for (const [path, code] of [
      ['/api/dialogs/0123456789abcdef01234567', 'E_DIALOG_NOT_FOUND'],
      ['/api/dialogs/not-an-id', 'E_DIALOG_NOT_FOUND'],
      ['/api/dialogs/0123456789abcdef01234567/messages', 'E_DIALOG_NOT_FOUND'],
      ['/api/contacts/0123456789abcdef01234567', 'E_CONTACT_NOT_FOUND'],
    ]) {
      const answer = await get(path as string);
      expect([answer.status, answer.body.code]).toEqual([404, code]);
    }
    const anonymous = await get('/api/dialogs', {});
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'E_UNAUTHORIZED']);
  });

  it('lists channels from the read model, in the shape channel management answers', async () => {
    const list = (await read('/api/channels')).body as Page;
    const one = (await get(`/api/channels/${channel.channelId}`)).body;
    expect(list.items.find((c) => c.id === channel.channelId)).toEqual(one);
  });

  it('reports lag in /readyz and /metrics', async () => {
    const ready = await get('/readyz', {});
    expect(ready.status).toBe(200);
    expect(ready.body.projections).toEqual(
      ['channels', 'dialogs', 'contacts', 'operators'].map((name) =>
        expect.objectContaining({ name, active_here: true, events_behind: expect.any(Number) }),
      ),
    );
    const metrics = await parley.request('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE parley_projection_events_behind gauge$/m);
    expect(text).toMatch(/^parley_projection_active\{projection="dialogs"\} 1$/m);
    expect(text).toMatch(/^parley_projection_seconds_behind\{projection="contacts"\} [\d.]+$/m);
    expect(text).toMatch(/^parley_projection_events_applied_total\{projection="dialogs"\} [1-9]/m);
  });
});

describe('read-your-writes when the read model cannot catch up in time', () => {
  const parley = useTestParley({ MIN_POSITION_TIMEOUT_MS: '300' });

  it('answers 503 E_UNAVAILABLE with Retry-After', async () => {
    const future = `${2n ** 62n}:${2n ** 62n}`;
    const started = Date.now();
    const response = await parley.request(`/api/dialogs?min_position=${future}`, {
      headers: parley.admin,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await bodyOf(response)).code).toBe('E_UNAVAILABLE');
  });
});
