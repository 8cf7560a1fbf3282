import { createChannel, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator, jsonRequest } from './support/webhooks';

type Answer = { status: number; location: string | null; body: unknown };

const person = (name: string, ...ids: string[]) => ({
  contact_object: {
    name,
    contacts: ids.map((value) => ({ type: 'id', value, service: 'custom', origin: 'custom' })),
  },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SPEC §7: a dialog's and a contact's live answers, recorded at several moments of a scenario
 * (messages, replies, assignment, merge, deletion), are what `as_of` and `at_position` answer
 * for those moments afterwards.
 */
describe('time travel', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  beforeAll(async () => {
    channel = await createChannel(parley);
  });

  const answer = async (path: string): Promise<Answer> => {
    const response = await parley.request(path, { headers: parley.admin });
    return {
      status: response.status,
      location: response.headers.get('content-location'),
      body: await response.json(),
    };
  };
  const withQuery = (path: string, query: string) =>
    `${path}${path.includes('?') ? '&' : '?'}${query}`;

  it('answers as the live read model answered at each moment', async () => {
    const moments: { at: string; position: string; paths: string[]; answers: Answer[] }[] = [];
    let paths: string[] = [];
    const record = async (position: string | null) => {
      expect(position).not.toBeNull();
      const answers: Answer[] = [];
      for (const path of paths)
        answers.push(
          await answer(withQuery(path, `min_position=${encodeURIComponent(position as string)}`)),
        );
      moments.push({
        at: new Date().toISOString(),
        position: position as string,
        paths: [...paths],
        answers,
      });
      await pause(5); // the next step's events are recorded strictly later
    };
    const post = async (body: unknown) => {
      const posted = await postMessage(parley, channel, body);
      expect(posted.status).toBe(200);
      return posted;
    };

    const first = await post({ ...person('Anna', 'tt-a'), text: 'hello', reference: 'tt-1' });
    const dialogId = String(first.body.dialog_id);
    const anna = String(first.body.contact_id);
    paths = [
      `/api/dialogs/${dialogId}`,
      `/api/dialogs/${dialogId}/messages`,
      `/api/dialogs/${dialogId}/messages?limit=1`,
      `/api/contacts/${anna}`,
      `/api/channels/${channel.channelId}`,
    ];
    await record(first.headers.get('x-parley-position'));

    const second = await post({
      ...person('Anna', 'tt-a'),
      dialog_id: dialogId,
      dialog_title: 'Order 1',
      text: 'where is it?',
      html: '<p onclick="x()">where <b>is</b> it?</p>',
      integration_data: 'ctx-2',
    });
    await record(second.headers.get('x-parley-position'));

    const masha = await createOperator(parley, 'Masha');
    const replied = await parley.request(
      `/api/dialogs/${dialogId}/messages`,
      jsonRequest('POST', masha.auth, { text: 'on its way' }),
    );
    expect(replied.status).toBe(201);
    await record(replied.headers.get('x-parley-position'));

    const assigned = await parley.request(
      `/api/dialogs/${dialogId}/assignee`,
      jsonRequest('PUT', masha.auth, { operator_id: masha.id }),
    );
    await record(assigned.headers.get('x-parley-position'));

    const closed = await parley.request(
      `/api/dialogs/${dialogId}/close`,
      jsonRequest('POST', masha.auth),
    );
    await record(closed.headers.get('x-parley-position'));

    const other = await post({ ...person('Anya', 'tt-b'), text: 'me again, elsewhere' });
    const anya = String(other.body.contact_id);
    paths = [...paths, `/api/dialogs/${String(other.body.dialog_id)}`, `/api/contacts/${anya}`];
    await record(other.headers.get('x-parley-position'));

    // both data at once: Anya merges into Anna (the older), the closed dialog reopens
    const merging = await post({
      ...person('Anna K', 'tt-a', 'tt-b'),
      dialog_id: dialogId,
      text: 'both',
    });
    expect(merging.body.contact_id).toBe(anna);
    await record(merging.headers.get('x-parley-position'));

    const renamed = await parley.request(
      `/api/channels/${channel.channelId}`,
      jsonRequest('PATCH', parley.admin, { name: 'Avito 2' }),
    );
    await record(renamed.headers.get('x-parley-position'));

    const deleted = await parley.request(`/api/contacts/${anna}`, {
      method: 'DELETE',
      headers: parley.admin,
    });
    expect(deleted.status).toBe(200);
    await record(deleted.headers.get('x-parley-position'));

    const seen = new Set(moments.flatMap((m) => m.answers.map((a) => `${a.status} ${a.location}`)));
    expect(seen).toEqual(
      new Set(['200 null', `200 /api/contacts/${anna}`, '404 null']), // merged id, then deleted
    );
    for (const moment of moments) {
      for (const [i, path] of moment.paths.entries()) {
        const live = moment.answers[i];
        expect([path, 'as_of', await answer(withQuery(path, `as_of=${moment.at}`))]).toEqual([
          path,
          'as_of',
          live,
        ]);
        expect([
          path,
          'at_position',
          await answer(withQuery(path, `at_position=${encodeURIComponent(moment.position)}`)),
        ]).toEqual([path, 'at_position', live]);
      }
    }
  });

  it('answers the not-found code before the aggregate existed', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    const posted = await postMessage(parley, channel, {
      ...person('Olga', 'tt-early'),
      text: 'hi',
    });
    for (const [path, code] of [
      [`/api/dialogs/${String(posted.body.dialog_id)}`, 'E_DIALOG_NOT_FOUND'],
      [`/api/dialogs/${String(posted.body.dialog_id)}/messages`, 'E_DIALOG_NOT_FOUND'],
      [`/api/contacts/${String(posted.body.contact_id)}`, 'E_CONTACT_NOT_FOUND'],
      [`/api/channels/${channel.channelId}`, 'E_CHANNEL_NOT_FOUND'],
    ]) {
      const response = await answer(`${path}?as_of=${before}`);
      expect([path, response.status, (response.body as { code: string }).code]).toEqual([
        path,
        404,
        code,
      ]);
    }
  });

  it('refuses a malformed as_of or at_position, and both at once', async () => {
    for (const query of [
      'as_of=yesterday',
      'as_of=2026-13-45',
      'at_position=nope',
      'at_position=',
      'as_of=2026-01-01T00:00:00Z&at_position=1:1',
    ]) {
      const response = await answer(`/api/channels/${channel.channelId}?${query}`);
      expect([query, response.status, (response.body as { code: string }).code]).toEqual([
        query,
        400,
        'E_VALIDATION',
      ]);
    }
  });
});
