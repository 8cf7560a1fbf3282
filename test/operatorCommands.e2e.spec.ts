import { streams } from '../src/application/streams';
import { bodyOf } from './support/http';
import { useTestParley } from './support/parley';
import { seedDialog } from './support/seed';
import { eventually } from './support/webhooks';

/** SPEC §3: operators, and what they do to dialogs, over HTTP against a whole Parley. */
describe('operators and their commands on dialogs', () => {
  const parley = useTestParley();

  const json = (method: string, headers: Record<string, string>, body?: unknown): RequestInit => ({
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const createOperator = async (name = 'Masha') => {
    const response = await parley.request('/api/operators', json('POST', parley.admin, { name }));
    expect(response.status).toBe(201);
    const body = (await bodyOf(response)) as { id: string; token: { id: string; token: string } };
    return { id: body.id, token: body.token.token, token_id: body.token.id };
  };
  const dialogEvents = async (dialogId: string) =>
    parley.deps.store.readStream(streams.dialog(dialogId));

  it('creates an operator whose token is shown once and recorded only as a hash', async () => {
    const response = await parley.request(
      '/api/operators',
      json('POST', parley.admin, { name: '  Masha  ' }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('x-parley-position')).toMatch(/^\d+:\d+$/);
    const created = (await bodyOf(response)) as { id: string; token: { token: string } };
    expect(created).toMatchObject({ name: 'Masha', tokens: [{ prefix: expect.any(String) }] });
    const token = created.token.token;
    expect(token).toMatch(new RegExp(`^pop_${created.id}_[A-Za-z0-9_-]{43}$`));

    const events = await parley.deps.store.readStream(streams.operator(created.id));
    expect(events.map((e) => e.type)).toEqual(['OperatorCreated', 'OperatorTokenIssued']);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(token);
    expect(events[0]?.metadata.actor).toEqual({ type: 'admin' });

    const shown = await bodyOf(
      await parley.request(`/api/operators/${created.id}`, { headers: parley.admin }),
    );
    expect(shown).toMatchObject({ id: created.id, name: 'Masha' });
    expect(JSON.stringify(shown)).not.toContain(token);
  });

  it('lists operators from the read model, oldest first, to the admin only', async () => {
    const first = await createOperator('Anna');
    const second = await createOperator('Boris');
    const listed = await eventually(async () => {
      const response = await parley.request('/api/operators', { headers: parley.admin });
      const { items } = (await bodyOf(response)) as { items: { id: string; name: string }[] };
      const ids = items.map((o) => o.id);
      expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
      return ids;
    });
    expect(listed.indexOf(first.id)).toBeLessThan(listed.indexOf(second.id));
    const asOperator = await parley.request('/api/operators', {
      headers: bearer(first.token),
    });
    expect(asOperator.status).toBe(403);
  });

  it('refuses a nameless operator with the JSON path of the problem', async () => {
    const response = await parley.request('/api/operators', json('POST', parley.admin, {}));
    expect(response.status).toBe(400);
    expect(await bodyOf(response)).toMatchObject({
      code: 'E_VALIDATION',
      details: [{ path: 'name' }],
    });
  });

  it('lets an operator reply, recording the operator as the actor', async () => {
    const operator = await createOperator();
    const { dialogId } = await seedDialog(parley.deps);
    const response = await parley.request(
      `/api/dialogs/${dialogId}/messages`,
      json('POST', bearer(operator.token), { text: 'how can I help?' }),
    );
    expect(response.status).toBe(201);
    const reply = await bodyOf(response);
    const events = await dialogEvents(dialogId);
    const sent = events[events.length - 1];
    expect(sent?.type).toBe('MessageSent');
    expect(sent?.checkpoint).toBe(response.headers.get('x-parley-position'));
    expect(sent?.data).toMatchObject({
      messageId: reply.message_id,
      operatorId: operator.id,
      text: 'how can I help?',
    });
    expect(sent?.metadata.actor).toEqual({ type: 'operator', operatorId: operator.id });
  });

  it('keeps operators out of admin routes, and everyone without a valid token out of all', async () => {
    const operator = await createOperator();
    const forbidden = await parley.request(
      '/api/operators',
      json('POST', bearer(operator.token), { name: 'Eve' }),
    );
    expect([forbidden.status, (await bodyOf(forbidden)).code]).toEqual([403, 'E_FORBIDDEN']);
    const webhooks = await parley.request('/api/webhooks', { headers: bearer(operator.token) });
    expect(webhooks.status).toBe(403);

    const { dialogId } = await seedDialog(parley.deps);
    for (const token of [
      `pop_${operator.id}_${'A'.repeat(43)}`,
      'pop_nonsense',
      `${operator.token}x`,
    ]) {
      const response = await parley.request(
        `/api/dialogs/${dialogId}/close`,
        json('POST', bearer(token)),
      );
      expect([response.status, (await bodyOf(response)).code]).toEqual([401, 'E_UNAUTHORIZED']);
    }
    const none = await parley.request(`/api/dialogs/${dialogId}/close`, { method: 'POST' });
    expect(none.status).toBe(401);
  });

  it('stops a revoked token at the next request, while a new one works', async () => {
    const operator = await createOperator();
    const { dialogId } = await seedDialog(parley.deps);
    const close = (token: string) =>
      parley.request(`/api/dialogs/${dialogId}/close`, json('POST', bearer(token)));
    expect((await close(operator.token)).status).toBe(200);

    const issued = await parley.request(
      `/api/operators/${operator.id}/tokens`,
      json('POST', parley.admin),
    );
    expect(issued.status).toBe(201);
    const second = (await bodyOf(issued)).token as string;
    const revoked = await parley.request(
      `/api/operators/${operator.id}/tokens/${operator.token_id}`,
      { method: 'DELETE', headers: parley.admin },
    );
    expect(revoked.status).toBe(204);
    expect((await close(operator.token)).status).toBe(401);
    expect((await close(second)).status).toBe(200);
    const again = await parley.request(
      `/api/operators/${operator.id}/tokens/${operator.token_id}`,
      { method: 'DELETE', headers: parley.admin },
    );
    expect([again.status, (await bodyOf(again)).code]).toEqual([404, 'E_TOKEN_NOT_FOUND']);
  });

  describe('replies', () => {
    it('validates the body, naming each bad path, and appends nothing', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      const before = (await dialogEvents(dialogId)).length;
      const response = await parley.request(
        `/api/dialogs/${dialogId}/messages`,
        json('POST', parley.admin, {
          text: 'x'.repeat(64 * 1024 + 1),
          attachments: [{ url: 'ftp://example.com/a', size: -1, name: 'a', mimeType: 'x/y' }],
        }),
      );
      expect(response.status).toBe(400);
      const body = await bodyOf(response);
      expect(body.code).toBe('E_VALIDATION');
      expect((body.details as { path: string }[]).map((d) => d.path).sort()).toEqual([
        'attachments.0.size',
        'attachments.0.url',
        'text',
      ]);
      expect(await dialogEvents(dialogId)).toHaveLength(before);
    });

    it('refuses an empty reply and an unknown dialog', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      const empty = await parley.request(
        `/api/dialogs/${dialogId}/messages`,
        json('POST', parley.admin, { text: '' }),
      );
      expect([empty.status, (await bodyOf(empty)).code]).toEqual([400, 'E_MESSAGE_EMPTY']);
      for (const id of [parley.deps.ids.objectId(), 'not-an-id']) {
        const unknown = await parley.request(
          `/api/dialogs/${id}/messages`,
          json('POST', parley.admin, { text: 'hi' }),
        );
        expect([unknown.status, (await bodyOf(unknown)).code]).toEqual([404, 'E_DIALOG_NOT_FOUND']);
      }
    });

    it('records a retried reply once under an Idempotency-Key, and refuses the key for another body', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      const send = (text: string) =>
        parley.request(
          `/api/dialogs/${dialogId}/messages`,
          json('POST', { ...parley.admin, 'idempotency-key': 'reply-1' }, { text }),
        );
      const first = await send('on my way');
      const retry = await send('on my way');
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(await bodyOf(retry)).toEqual(await bodyOf(first));
      expect(retry.headers.get('x-parley-position')).toBe(first.headers.get('x-parley-position'));
      const sent = (await dialogEvents(dialogId)).filter((e) => e.type === 'MessageSent');
      expect(sent).toHaveLength(1);
      const other = await send('something else');
      expect([other.status, (await bodyOf(other)).code]).toEqual([409, 'E_IDEMPOTENCY_CONFLICT']);
    });

    it('reopens a closed dialog', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      await parley.request(`/api/dialogs/${dialogId}/close`, json('POST', parley.admin));
      await parley.request(
        `/api/dialogs/${dialogId}/messages`,
        json('POST', parley.admin, { html: '<b>back</b>' }),
      );
      expect((await dialogEvents(dialogId)).slice(-3).map((e) => e.type)).toEqual([
        'DialogStatusChanged',
        'DialogReopened',
        'MessageSent',
      ]);
    });
  });

  describe('assignment and status', () => {
    it('assigns to an operator that exists, and unassigns', async () => {
      const operator = await createOperator();
      const { dialogId } = await seedDialog(parley.deps);
      const assigned = await parley.request(
        `/api/dialogs/${dialogId}/assignee`,
        json('PUT', parley.admin, { operator_id: operator.id }),
      );
      expect(assigned.status).toBe(200);
      expect(await bodyOf(assigned)).toEqual({ dialog_id: dialogId, assignee_id: operator.id });
      const unassigned = await parley.request(`/api/dialogs/${dialogId}/assignee`, {
        method: 'DELETE',
        headers: parley.admin,
      });
      expect(await bodyOf(unassigned)).toEqual({ dialog_id: dialogId, assignee_id: null });
      expect(
        (await dialogEvents(dialogId))
          .filter((e) => e.type === 'DialogAssigned')
          .map((e) => e.data),
      ).toEqual([
        { dialogId, assigneeId: operator.id, previousAssigneeId: null },
        { dialogId, assigneeId: null, previousAssigneeId: operator.id },
      ]);
    });

    it('refuses an operator that does not exist, appending nothing', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      const before = (await dialogEvents(dialogId)).length;
      const unknown = await parley.request(
        `/api/dialogs/${dialogId}/assignee`,
        json('PUT', parley.admin, { operator_id: parley.deps.ids.objectId() }),
      );
      expect([unknown.status, (await bodyOf(unknown)).code]).toEqual([404, 'E_OPERATOR_NOT_FOUND']);
      const malformed = await parley.request(
        `/api/dialogs/${dialogId}/assignee`,
        json('PUT', parley.admin, { operator_id: 42 }),
      );
      expect(await bodyOf(malformed)).toMatchObject({
        code: 'E_VALIDATION',
        details: [{ path: 'operator_id' }],
      });
      expect(await dialogEvents(dialogId)).toHaveLength(before);
    });

    it('closes and reopens, once each, answering the position of the state it shows', async () => {
      const { dialogId } = await seedDialog(parley.deps);
      const close = () =>
        parley.request(`/api/dialogs/${dialogId}/close`, json('POST', parley.admin));
      const first = await close();
      const second = await close();
      expect(await bodyOf(first)).toEqual({ dialog_id: dialogId, status: 'closed' });
      expect(second.headers.get('x-parley-position')).toBe(first.headers.get('x-parley-position'));
      const reopened = await parley.request(
        `/api/dialogs/${dialogId}/reopen`,
        json('POST', parley.admin),
      );
      expect(await bodyOf(reopened)).toEqual({ dialog_id: dialogId, status: 'open' });
      expect(
        (await dialogEvents(dialogId))
          .filter((e) => e.type === 'DialogStatusChanged')
          .map((e) => (e.data as { status: string }).status),
      ).toEqual(['closed', 'open']);
    });
  });
});
