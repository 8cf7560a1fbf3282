import { streams } from '../src/application/streams';
import { routersFor } from '../src/infrastructure/parley';
import { bodyOf } from './support/http';
import { createChannel, customer, eventCount, postMessage } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator, eventually, jsonRequest } from './support/webhooks';

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** SPEC §3 and §7: an auditor reads everything and changes nothing; the admin manages auditors. */
describe('auditors', () => {
  const parley = useTestParley();
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const createAuditor = async (name = 'Vera') => {
    const response = await parley.request(
      '/api/auditors',
      jsonRequest('POST', parley.admin, { name }),
    );
    expect(response.status).toBe(201);
    const body = (await bodyOf(response)) as { id: string; token: { token: string } };
    return { id: body.id, auth: bearer(body.token.token), token: body.token.token };
  };

  /** every route behind staff authentication, with its path parameters filled with real ids */
  const staffRoutes = async () => {
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      ...customer('auditor-matrix'),
      text: 'hi',
    });
    expect(posted.status).toBe(200);
    const operator = await createOperator(parley);
    const auditor = await createAuditor('Other');
    const ids: Record<string, string> = {
      channels: channel.channelId,
      dialogs: String(posted.body.dialog_id),
      contacts: String(posted.body.contact_id),
      operators: operator.id,
      auditors: auditor.id,
      webhooks: 'f00000000000000000000001',
    };
    // reads compare the auditor's answers with the admin's: wait for the read models first
    for (const path of [`/api/dialogs/${ids.dialogs}`, `/api/contacts/${ids.contacts}`])
      await eventually(async () => {
        expect((await parley.request(path, { headers: parley.admin })).status).toBe(200);
      });
    const routes: { method: string; path: string }[] = [];
    for (const router of routersFor(parley.deps))
      for (const layer of router.stack)
        for (const method of layer.methods) {
          const path = String(layer.path);
          if (!path.startsWith('/api/') || path.startsWith('/api/custom-channel/')) continue;
          const filled = path
            .replace(
              /^\/api\/(\w+)\/:id/,
              (_, kind: string) => `/api/${kind}/${ids[kind] ?? 'f'.repeat(24)}`,
            )
            .replace(':tokenId', channel.tokenId)
            .replace(':deliveryId', '1');
          routes.push({ method, path: filled });
        }
    return routes;
  };

  it('is created by the admin with a token shown once and recorded only as a hash', async () => {
    const auditor = await createAuditor('  Vera  ');
    expect(auditor.token).toMatch(/^paud_[A-Za-z0-9_-]{43}$/);
    const events = await parley.deps.store.readStream(streams.auditors());
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['AuditorCreated', 'AuditorTokenIssued']),
    );
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(auditor.token);

    const list = await parley.request('/api/auditors', { headers: auditor.auth });
    expect(list.status).toBe(200);
    expect((await bodyOf(list)).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: auditor.id, name: 'Vera' })]),
    );
    const me = await parley.request('/api/me', { headers: auditor.auth });
    expect(await bodyOf(me)).toEqual({ actor: { type: 'auditor', auditor_id: auditor.id } });
  });

  it('may not be created by an operator, nor by an auditor', async () => {
    const operator = await createOperator(parley, 'Petya');
    const auditor = await createAuditor();
    for (const auth of [operator.auth, auditor.auth]) {
      const response = await parley.request(
        '/api/auditors',
        jsonRequest('POST', auth, { name: 'Eve' }),
      );
      expect([response.status, (await bodyOf(response)).code]).toEqual([403, 'E_FORBIDDEN']);
    }
    const operatorList = await parley.request('/api/auditors', { headers: operator.auth });
    expect(operatorList.status).toBe(403);
  });

  it('answers every write route 403 E_FORBIDDEN to an auditor and appends nothing', async () => {
    const routes = await staffRoutes();
    const writes = routes.filter((r) => WRITES.includes(r.method));
    expect(writes.length).toBeGreaterThan(15);
    const auditor = await createAuditor();
    const before = await eventCount(parley);
    const answers: string[] = [];
    for (const { method, path } of writes) {
      const response = await parley.request(
        path,
        jsonRequest(method, auditor.auth, { name: 'x', text: 'x' }),
      );
      answers.push(`${method} ${path} ${response.status} ${String((await bodyOf(response)).code)}`);
    }
    expect(answers.filter((a) => !a.endsWith(' 403 E_FORBIDDEN'))).toEqual([]);
    expect(await eventCount(parley)).toBe(before);
  });

  it('reads every read route an admin reads', async () => {
    const routes = await staffRoutes();
    // the inbox's event stream takes a stream ticket (a cookie), not a bearer token: test/inboxEvents.e2e.spec.ts
    // a signed attachment link takes its signature, not a bearer token: test/attachments/
    const reads = routes.filter(
      (r) => r.method === 'GET' && r.path !== '/api/inbox/events' && !r.path.endsWith('/signed'),
    );
    expect(reads.length).toBeGreaterThan(10);
    const auditor = await createAuditor();
    const refused: string[] = [];
    for (const { path } of reads) {
      const query = path.endsWith('/search') ? '?q=Vasya' : '';
      const asAuditor = await parley.request(`${path}${query}`, { headers: auditor.auth });
      const asAdmin = await parley.request(`${path}${query}`, { headers: parley.admin });
      if (asAuditor.status !== asAdmin.status || [401, 403].includes(asAuditor.status))
        refused.push(`GET ${path}: auditor ${asAuditor.status}, admin ${asAdmin.status}`);
    }
    expect(refused).toEqual([]);
  });

  it('shuts a removed auditor out at the next request', async () => {
    const auditor = await createAuditor();
    expect((await parley.request('/api/dialogs', { headers: auditor.auth })).status).toBe(200);
    const removed = await parley.request(`/api/auditors/${auditor.id}`, {
      method: 'DELETE',
      headers: parley.admin,
    });
    expect(removed.status).toBe(204);
    const after = await parley.request('/api/dialogs', { headers: auditor.auth });
    expect([after.status, (await bodyOf(after)).code]).toEqual([401, 'E_UNAUTHORIZED']);
    const again = await parley.request(`/api/auditors/${auditor.id}`, {
      method: 'DELETE',
      headers: parley.admin,
    });
    expect([again.status, (await bodyOf(again)).code]).toEqual([404, 'E_NOT_FOUND']);
  });
});
