import { streams } from '../src/application/streams';
import { hashToken } from '../src/application/secrets';
import { createChannel, customer, postMessage } from './support/inbound';
import { useTestParley } from './support/parley';
import { bodyOf } from './support/http';

describe('channel management', () => {
  const parley = useTestParley();
  const admin = (method: string, path: string, body?: unknown) =>
    parley.request(path, {
      method,
      headers: {
        ...parley.admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('creates a channel: its endpoint, and a token shown once and stored only as a hash', async () => {
    const response = await admin('POST', '/api/channels', { name: 'Avito' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown> & {
      id: string;
      token: { token: string };
    };
    expect(body).toMatchObject({
      name: 'Avito',
      enabled: true,
      deleted: false,
      endpoint_url: `${parley.url}/api/custom-channel/message/${body.id}`,
      token: { id: expect.stringMatching(/^[0-9a-f]{24}$/), token: expect.stringMatching(/^pct_/) },
    });
    const events = await parley.deps.store.readStream(streams.channel(body.id));
    const stored = JSON.stringify(events.map((e) => e.data));
    expect(stored).not.toContain(body.token.token);
    expect(stored).toContain(hashToken(body.token.token));
    expect(events.every((e) => e.metadata.actor.type === 'admin')).toBe(true);

    const fetched = await bodyOf(await admin('GET', `/api/channels/${body.id}`));
    expect(fetched).not.toHaveProperty('token');
    expect(JSON.stringify(fetched)).not.toContain(body.token.token);
  });

  it('renames, disables and enables', async () => {
    const channel = await createChannel(parley, 'Before');
    const renamed = await bodyOf(
      await admin('PATCH', `/api/channels/${channel.channelId}`, { name: 'After', enabled: false }),
    );
    expect(renamed).toMatchObject({ name: 'After', enabled: false });
    expect((await postMessage(parley, channel, { text: 'x', ...customer('a') })).status).toBe(403);
    await admin('PATCH', `/api/channels/${channel.channelId}`, { enabled: true });
    expect((await postMessage(parley, channel, { text: 'x', ...customer('a') })).status).toBe(200);
  });

  it('issues more tokens and revokes one without touching the others', async () => {
    const channel = await createChannel(parley, 'Tokens');
    const issued = (await (
      await admin('POST', `/api/channels/${channel.channelId}/tokens`)
    ).json()) as { id: string; token: string };
    const second = {
      path: `/api/custom-channel/message/${channel.channelId}?token=${issued.token}`,
    };
    expect((await postMessage(parley, second, { text: 'x', ...customer('t') })).status).toBe(200);
    expect(
      (await admin('DELETE', `/api/channels/${channel.channelId}/tokens/${channel.tokenId}`))
        .status,
    ).toBe(204);
    expect((await postMessage(parley, channel, { text: 'x', ...customer('t') })).status).toBe(401);
    expect((await postMessage(parley, second, { text: 'x', ...customer('t') })).status).toBe(200);
    const again = await admin(
      'DELETE',
      `/api/channels/${channel.channelId}/tokens/${channel.tokenId}`,
    );
    expect([again.status, (await bodyOf(again)).code]).toEqual([404, 'E_TOKEN_NOT_FOUND']);
  });

  it('deletes a channel for good', async () => {
    const channel = await createChannel(parley, 'Doomed');
    expect(await bodyOf(await admin('DELETE', `/api/channels/${channel.channelId}`))).toMatchObject(
      { deleted: true },
    );
    const again = await admin('DELETE', `/api/channels/${channel.channelId}`);
    expect([again.status, (await bodyOf(again)).code]).toEqual([403, 'E_CHANNEL_DELETED']);
    const rename = await admin('PATCH', `/api/channels/${channel.channelId}`, { name: 'Lazarus' });
    expect((await bodyOf(rename)).code).toBe('E_CHANNEL_DELETED');
  });

  it('answers 404 for unknown channels and 400 for bad input', async () => {
    for (const id of ['aaaaaaaaaaaaaaaaaaaaaaaa', 'nonsense']) {
      const response = await admin('GET', `/api/channels/${id}`);
      expect([response.status, (await bodyOf(response)).code]).toEqual([
        404,
        'E_CHANNEL_NOT_FOUND',
      ]);
    }
    const blank = await admin('POST', '/api/channels', { name: '  ' });
    expect([blank.status, (await bodyOf(blank)).code]).toEqual([400, 'E_VALIDATION']);
    const nothing = await admin(
      'PATCH',
      `/api/channels/${(await createChannel(parley)).channelId}`,
      {},
    );
    expect([nothing.status, (await bodyOf(nothing)).code]).toEqual([400, 'E_VALIDATION']);
  });

  it('needs the admin token', async () => {
    const none = await parley.request('/api/channels', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect([none.status, (await bodyOf(none)).code]).toEqual([401, 'E_UNAUTHORIZED']);
    const wrong = await parley.request('/api/channels/aaaaaaaaaaaaaaaaaaaaaaaa', {
      headers: { authorization: 'Bearer nope' },
    });
    expect([wrong.status, (await bodyOf(wrong)).code]).toEqual([401, 'E_UNAUTHORIZED']);
  });
});
