import { Client } from 'pg';
import { streams } from '../../src/application/streams';
import { dialogDecider } from '../../src/domain/dialog/decide';
import {
  createChannel,
  customer,
  eventCount,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useTestParley } from '../support/parley';

/** One test per row of SPEC §2's error table, the seed's codes and ours; each appends nothing. */
describe('inbound endpoint errors', () => {
  const parley = useTestParley({ MAX_BODY_BYTES: '65536', MAX_ATTACHMENTS: '2' });
  let channel: TestChannel;
  let known: { dialogId: string; contactId: string; dataId: string };

  beforeAll(async () => {
    channel = await createChannel(parley);
    const first = await postMessage(parley, channel, { text: 'hi', ...customer('known-customer') });
    const contacts = first.body.contacts as { id: string }[];
    known = {
      dialogId: first.body.dialog_id as string,
      contactId: first.body.contact_id as string,
      dataId: (contacts[0] as { id: string }).id,
    };
  });

  /** posts, expects the status and code, and checks that nothing was appended */
  const refuses = async (
    body: unknown,
    status: number,
    code: string,
    target: Pick<TestChannel, 'path'> = channel,
    headers: Record<string, string> = {},
  ) => {
    const before = await eventCount(parley);
    const response = await postMessage(parley, target, body, headers);
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(typeof response.body.message).toBe('string');
    expect(await eventCount(parley)).toBe(before);
    return response;
  };

  describe('the seed’s codes', () => {
    it('400 E_CONTACT_INFO_REQUIRED: neither contact_object nor contacts_id', () =>
      refuses({ text: 'hi' }, 400, 'E_CONTACT_INFO_REQUIRED'));

    it('400 E_CUSTOM_CONTACTS_REQUIRED: no custom contact data', () =>
      refuses(
        {
          text: 'hi',
          contact_object: {
            name: 'V',
            contacts: [{ type: 'phone', value: '+79876543210', service: 'whatsapp' }],
          },
        },
        400,
        'E_CUSTOM_CONTACTS_REQUIRED',
      ));

    it('400 E_CUSTOM_CONTACTS_REQUIRED: contacts_id naming contact data of another service', async () => {
      const withPhone = await postMessage(parley, channel, {
        text: 'hi',
        contact_object: {
          name: 'P',
          contacts: [
            { type: 'id', value: 'phone-owner', service: 'custom' },
            { type: 'phone', value: '+79990001122', service: 'whatsapp' },
          ],
        },
      });
      const phone = (withPhone.body.contacts as { id: string; service: string }[]).find(
        (c) => c.service === 'whatsapp',
      );
      await refuses(
        { text: 'hi', contacts_id: [{ id: phone?.id }] },
        400,
        'E_CUSTOM_CONTACTS_REQUIRED',
      );
    });

    it('400 E_CONTACTS_VALUE_REQUIRED: a contact data item with an empty value', () =>
      refuses(
        {
          text: 'hi',
          contact_object: { name: 'V', contacts: [{ type: 'id', value: '', service: 'custom' }] },
        },
        400,
        'E_CONTACTS_VALUE_REQUIRED',
      ));

    it('400 E_MALFORMED_CONTACT_ID: contact_object._id is not 24 hex digits', () =>
      refuses({ text: 'hi', ...customer('x', { _id: 'abc' }) }, 400, 'E_MALFORMED_CONTACT_ID'));

    it('400 E_MALFORMED_CONTACT_ID: a contacts_id item is malformed', () =>
      refuses({ text: 'hi', contacts_id: [{ id: 'not-an-id' }] }, 400, 'E_MALFORMED_CONTACT_ID'));

    it('400 E_MALFORMED_CONTACT_ID: a contacts_id item names no contact data', () =>
      refuses(
        { text: 'hi', contacts_id: [{ id: 'ffffffffffffffffffffffff' }] },
        400,
        'E_MALFORMED_CONTACT_ID',
      ));

    it('400 E_MALFORMED_CONTACT_ID: a contacts_id item names another channel’s custom data', async () => {
      const other = await createChannel(parley, 'Other');
      await refuses(
        { text: 'hi', contacts_id: [{ id: known.dataId }] },
        400,
        'E_MALFORMED_CONTACT_ID',
        other,
      );
    });

    it('401 E_INVALID_TOKEN: token missing, wrong, revoked, or channel unknown', async () => {
      const body = { text: 'hi', ...customer('a') };
      await refuses(body, 401, 'E_INVALID_TOKEN', {
        path: `/api/custom-channel/message/${channel.channelId}`,
      });
      await refuses(body, 401, 'E_INVALID_TOKEN', {
        path: `/api/custom-channel/message/${channel.channelId}?token=wrong`,
      });
      await refuses(body, 401, 'E_INVALID_TOKEN', {
        path: `/api/custom-channel/message/aaaaaaaaaaaaaaaaaaaaaaaa?token=${channel.token}`,
      });
      await refuses(body, 401, 'E_INVALID_TOKEN', {
        path: `/api/custom-channel/message/nonsense?token=${channel.token}`,
      });
      const revocable = await createChannel(parley, 'Revocable');
      const revoked = await parley.request(
        `/api/channels/${revocable.channelId}/tokens/${revocable.tokenId}`,
        {
          method: 'DELETE',
          headers: parley.admin,
        },
      );
      expect(revoked.status).toBe(204);
      await refuses(body, 401, 'E_INVALID_TOKEN', revocable);
    });

    it('403 E_CHANNEL_NOT_ENABLED: channel disabled', async () => {
      const disabled = await createChannel(parley, 'Disabled');
      const response = await parley.request(`/api/channels/${disabled.channelId}`, {
        method: 'PATCH',
        headers: { ...parley.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      });
      expect(response.status).toBe(200);
      await refuses({ text: 'hi', ...customer('a') }, 403, 'E_CHANNEL_NOT_ENABLED', disabled);
    });

    it('403 E_CHANNEL_DELETED: channel deleted, its tokens dead', async () => {
      const deleted = await createChannel(parley, 'Deleted');
      expect(
        (
          await parley.request(`/api/channels/${deleted.channelId}`, {
            method: 'DELETE',
            headers: parley.admin,
          })
        ).status,
      ).toBe(200);
      await refuses({ text: 'hi', ...customer('a') }, 403, 'E_CHANNEL_DELETED', deleted);
    });

    it('404 E_CONTACT_NOT_FOUND: contact_object._id names no contact', () =>
      refuses(
        { text: 'hi', ...customer('a', { _id: 'abcdefabcdefabcdefabcdef' }) },
        404,
        'E_CONTACT_NOT_FOUND',
      ));

    it('404 E_CONTACT_DELETED: the contact was deleted', async () => {
      const doomed = await postMessage(parley, channel, { text: 'hi', ...customer('doomed') });
      const contactId = doomed.body.contact_id as string;
      const dataId = (doomed.body.contacts as { id: string }[])[0]?.id;
      expect(
        (
          await parley.request(`/api/contacts/${contactId}`, {
            method: 'DELETE',
            headers: parley.admin,
          })
        ).status,
      ).toBe(200);
      await refuses(
        { text: 'hi', ...customer('doomed', { _id: contactId }) },
        404,
        'E_CONTACT_DELETED',
      );
      await refuses({ text: 'hi', contacts_id: [{ id: dataId }] }, 404, 'E_CONTACT_DELETED');
    });

    it('404 E_DIALOG_NOT_FOUND: dialog_id unknown, malformed, or of another channel', async () => {
      await refuses(
        { text: 'hi', dialog_id: 'abcdefabcdefabcdefabcdef', ...customer('a') },
        404,
        'E_DIALOG_NOT_FOUND',
      );
      await refuses({ text: 'hi', dialog_id: 'nope', ...customer('a') }, 404, 'E_DIALOG_NOT_FOUND');
      const other = await createChannel(parley, 'Elsewhere');
      await refuses(
        { text: 'hi', dialog_id: known.dialogId, ...customer('a') },
        404,
        'E_DIALOG_NOT_FOUND',
        other,
      );
    });
  });

  describe('ours', () => {
    it('400 E_MALFORMED_JSON', () => refuses('{"text": "hi", ', 400, 'E_MALFORMED_JSON'));

    it('400 E_VALIDATION with JSON paths in details', async () => {
      const response = await refuses(
        {
          text: 42,
          attachments: [{ url: 'ftp://x', size: -1, name: 'a', mimeType: 'b' }],
          ...customer('a'),
        },
        400,
        'E_VALIDATION',
      );
      const paths = (response.body.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(
        expect.arrayContaining(['text', 'attachments.0.url', 'attachments.0.size']),
      );
    });

    it('400 E_VALIDATION for a body that is not an object', () =>
      refuses([1, 2], 400, 'E_VALIDATION'));

    it('400 E_CONTACT_INFO_CONFLICT: both contact fields', () =>
      refuses(
        { text: 'hi', ...customer('a'), contacts_id: [{ id: known.dataId }] },
        400,
        'E_CONTACT_INFO_CONFLICT',
      ));

    it('400 E_MESSAGE_EMPTY: no text, html or attachments', async () => {
      await refuses({ ...customer('a') }, 400, 'E_MESSAGE_EMPTY');
      await refuses(
        { text: '', html: '', attachments: [], ...customer('a') },
        400,
        'E_MESSAGE_EMPTY',
      );
    });

    it('409 E_IDEMPOTENCY_CONFLICT: the same key with another body', async () => {
      const key = { 'Idempotency-Key': 'conflict-1' };
      expect(
        (await postMessage(parley, channel, { text: 'one', ...customer('idem') }, key)).status,
      ).toBe(200);
      await refuses(
        { text: 'two', ...customer('idem') },
        409,
        'E_IDEMPOTENCY_CONFLICT',
        channel,
        key,
      );
    });

    it('413 E_PAYLOAD_TOO_LARGE', () =>
      refuses({ text: 'x'.repeat(70_000), ...customer('a') }, 413, 'E_PAYLOAD_TOO_LARGE'));

    it('400 E_VALIDATION when a field is over its limit', async () => {
      const response = await refuses(
        {
          text: 'hi',
          attachments: [1, 2, 3].map((n) => ({
            url: `https://cdn.example.com/${n}`,
            size: 1,
            name: 'a',
            mimeType: 'image/png',
          })),
          ...customer('a'),
        },
        400,
        'E_VALIDATION',
      );
      expect(response.body.details).toEqual([
        { path: 'attachments', message: 'must hold at most 2 items' },
      ]);
    });

    it('415 E_UNSUPPORTED_MEDIA_TYPE', async () => {
      const before = await eventCount(parley);
      const response = await parley.request(channel.path, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { code: string }).code).toBe('E_UNSUPPORTED_MEDIA_TYPE');
      expect(await eventCount(parley)).toBe(before);
    });
  });

  describe('check order: token and channel, then body, then contact, then dialog', () => {
    it('a bad token wins over a bad body', () =>
      refuses('{broken', 401, 'E_INVALID_TOKEN', {
        path: `/api/custom-channel/message/${channel.channelId}?token=bad`,
      }));
    it('a bad body wins over a bad contact', () =>
      refuses(
        { text: 1, ...customer('a', { _id: 'abcdefabcdefabcdefabcdef' }) },
        400,
        'E_VALIDATION',
      ));
    it('a bad contact wins over a bad dialog', () =>
      refuses(
        {
          text: 'hi',
          dialog_id: 'abcdefabcdefabcdefabcdef',
          ...customer('a', { _id: 'abcdefabcdefabcdefabcdef' }),
        },
        404,
        'E_CONTACT_NOT_FOUND',
      ));
    it('a closed dialog is no error: the message reopens it', async () => {
      await parley.deps.commands.handle(
        streams.dialog(known.dialogId),
        dialogDecider,
        { type: 'CloseDialog', data: {} },
        { correlationId: 'test', causationId: null, actor: { type: 'admin' }, now: new Date() },
      );
      const response = await postMessage(parley, channel, {
        text: 'back',
        dialog_id: known.dialogId,
        ...customer('known-customer'),
      });
      expect(response.status).toBe(200);
    });
  });
});

describe('inbound endpoint limits that need their own server', () => {
  const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2' });

  it('429 E_RATE_LIMITED with Retry-After, per channel', async () => {
    const channel = await createChannel(parley);
    const body = { text: 'hi', ...customer('rate') };
    expect((await postMessage(parley, channel, body)).status).toBe(200);
    expect((await postMessage(parley, channel, body)).status).toBe(200);
    const before = await eventCount(parley);
    const limited = await postMessage(parley, channel, body);
    expect({ status: limited.status, code: limited.body.code }).toEqual({
      status: 429,
      code: 'E_RATE_LIMITED',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await eventCount(parley)).toBe(before);
  });

  it('503 E_UNAVAILABLE with Retry-After when the database refuses connections', async () => {
    const channel = await createChannel(parley, 'Second');
    const database = (
      await parley.deps.pool.query<{ db: string }>('SELECT current_database() AS db')
    ).rows[0]?.db as string;
    // from another database: a session cannot lock out the database it is connected to
    const admin = new Client({ connectionString: process.env.PARLEY_TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [database],
      );
      const response = await postMessage(parley, channel, { text: 'hi', ...customer('down') });
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 503,
        code: 'E_UNAVAILABLE',
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const recovered = await postMessage(parley, channel, { text: 'hi again', ...customer('down') });
    // failing, it says which part had not recovered (a 503 once in CI, not seen alone)
    expect({
      status: recovered.status,
      answer: recovered.status === 200 ? null : recovered.body,
    }).toEqual({ status: 200, answer: null });
  });
});
