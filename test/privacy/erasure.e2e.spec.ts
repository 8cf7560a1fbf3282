import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditCli } from '../../src/infrastructure/cli/auditCli';
import { keysCli } from '../../src/infrastructure/keys/keysCli';
import { parseMasterKey } from '../../src/infrastructure/keys/masterKey';
import { PostgresSubjectKeys } from '../../src/infrastructure/privacy/postgresSubjectKeys';
import { createTestDatabase } from '../support/database';
import { scanDatabase } from '../support/databaseScan';
import { eventually } from '../support/eventually';
import { bodyOf } from '../support/http';
import { createChannel, postMessage, type TestChannel } from '../support/inbound';
import { startTestParley, type TestParley } from '../support/parley';
import { TEST_MASTER_KEY } from '../support/process';
import { expectRebuildEqualsLive, headOf, waitForPosition } from '../support/readModel';
import { WebhookReceiver } from '../support/webhookReceiver';
import { createOperator, deliveriesOf, jsonRequest, reply, subscribe } from '../support/webhooks';

/** Zinovy's values: none may be found anywhere once he is erased. Masha's must stay. */
const ZINOVY = {
  name: 'Zinovy Erasable',
  otherName: 'Zinovy Twice',
  description: 'prefers-calls-zinovy',
  customA: 'zinovy-custom-7731',
  customB: 'zinovy-custom-8842',
  phone: '+7 912 555-01-77',
  phoneDigits: '9125550177',
  email: 'zinovy@erase.example',
  inA: 'ZINOVY-SECRET-IN-ONE',
  inB: 'ZINOVY-SECRET-IN-TWO',
  inMerged: 'ZINOVY-SECRET-IN-THREE',
  inKeyed: 'ZINOVY-SECRET-IN-KEYED',
  out: 'ZINOVY-SECRET-OUT-ONE',
  title: 'ZINOVY-TITLE',
  reference: 'zinovy-ref-1',
  integration: 'zinovy-crm-1',
  attachment: 'zinovy-passport.pdf',
};
const MASHA = { name: 'Masha Intact', custom: 'masha-custom-1', text: 'MASHA-TEXT-ONE' };
const NEEDLES = Object.values(ZINOVY);
const NEW_MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

const custom = (value: string) => ({ type: 'id', value, service: 'custom', origin: 'custom' });

describe('erasing a person (SPEC §8, issue 14 "Must show")', () => {
  const logs: string[] = [];
  let parley: TestParley & { stop(): Promise<void> };
  let ok: WebhookReceiver;
  let failing: WebhookReceiver;
  let channel: TestChannel;
  let zinovy: string;
  let twice: string;
  let masha: string;
  let zinovyDialogs: string[];
  let mashaDialog: string;
  let secrets: string[];
  let failingHook: string;

  const get = async (path: string, headers = parley.admin) => {
    const response = await parley.request(path, { headers });
    return { status: response.status, body: await bodyOf(response) };
  };
  const verified = () =>
    eventually(
      async () => (await get('/api/audit/verify')).body,
      (r) => r.events_pending === 0 && r.events_unsigned === 0,
      30_000,
    );
  const erase = (id: string, headers: Record<string, string>) =>
    parley.request(`/api/contacts/${id}/erase`, { method: 'POST', headers });
  const post = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const posted = await postMessage(parley, channel, body, headers);
    expect(posted.status).toBe(200);
    return posted.body as { contact_id: string; dialog_id: string };
  };

  beforeAll(async () => {
    parley = await startTestParley(
      { WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'debug' },
      {},
      (line) => logs.push(line),
    );
    ok = await WebhookReceiver.start();
    failing = await WebhookReceiver.start();
    // answers with what it was sent: a delivery log that keeps answers would keep the person
    failing.answer = ({ body }) => ({ status: 500, body });
    channel = await createChannel(parley);
    await subscribe(parley, ok);
    failingHook = await subscribe(parley, failing);
    secrets = [ok.secret as string, failing.secret as string, channel.token];

    const first = await post(
      {
        contact_object: {
          name: ZINOVY.name,
          description: ZINOVY.description,
          contacts: [
            custom(ZINOVY.customA),
            { type: 'phone', value: ZINOVY.phone, service: 'whatsapp' },
          ],
        },
        text: ZINOVY.inA,
        reference: ZINOVY.reference,
        dialog_title: ZINOVY.title,
        integration_data: ZINOVY.integration,
        attachments: [
          {
            url: `https://files.example/${ZINOVY.attachment}`,
            size: 10,
            name: ZINOVY.attachment,
            mimeType: 'application/pdf',
          },
        ],
      },
      { 'idempotency-key': 'zinovy-first' },
    );
    zinovy = first.contact_id;
    const second = await post({
      contact_object: {
        name: ZINOVY.otherName,
        contacts: [
          custom(ZINOVY.customB),
          { type: 'email', value: ZINOVY.email, service: 'email' },
        ],
      },
      text: ZINOVY.inB,
    });
    twice = second.contact_id;
    // one request with both custom ids: the two contacts are one person, merged into the older
    const merged = await post(
      {
        contact_object: {
          name: ZINOVY.name,
          contacts: [custom(ZINOVY.customA), custom(ZINOVY.customB)],
        },
        text: ZINOVY.inMerged,
      },
      { 'idempotency-key': 'zinovy-merge' },
    );
    expect(merged.contact_id).toBe(zinovy);
    await post(
      {
        contact_object: { name: ZINOVY.name, contacts: [custom(ZINOVY.customA)] },
        text: ZINOVY.inKeyed,
      },
      { 'idempotency-key': 'zinovy-keyed' },
    );
    const operator = await createOperator(parley, 'Olga');
    await reply(parley, operator.auth, first.dialog_id, ZINOVY.out);
    zinovyDialogs = [...new Set([first.dialog_id, second.dialog_id, merged.dialog_id])];

    const mashaPosted = await post({
      contact_object: { name: MASHA.name, contacts: [custom(MASHA.custom)] },
      text: MASHA.text,
    });
    masha = mashaPosted.contact_id;
    mashaDialog = mashaPosted.dialog_id;

    // delivered to one receiver, pending (retrying) at the other, before the erasure
    await eventually(
      async () => ok.received.filter((r) => r.body.includes(ZINOVY.out)).length,
      (n) => n > 0,
      30_000,
    );
    await eventually(
      () => deliveriesOf(parley, failingHook),
      (ds) => ds.some((d) => d.status === 'pending' && d.attempts > 0 && d.last_response !== null),
      30_000,
    );
    // the read models too hold all of it before the scan (they may lag the outbox under load)
    await waitForPosition(
      parley.deps.pool,
      parley.deps.store,
      await headOf(parley.deps.store, parley.deps.pool),
    );
  }, 120_000);

  afterAll(async () => {
    await ok?.close();
    await failing?.close();
    await parley?.stop();
  });

  it('finds him before the erasure: read models, the outbox and the delivery log hold him', async () => {
    const tables = new Set((await scanDatabase(parley.deps.pool, NEEDLES)).map((f) => f.table));
    expect([...tables]).toEqual(
      expect.arrayContaining([
        'read_model.contacts',
        'read_model.contact_data',
        'read_model.messages',
        'webhooks.messages',
        'webhooks.attempts',
      ]),
    );
  }, 60_000);

  it('is the admin’s alone', async () => {
    const operator = await createOperator(parley, 'Petya');
    expect((await erase(zinovy, operator.auth)).status).toBe(403);
    const auditor = await parley.request(
      '/api/auditors',
      jsonRequest('POST', parley.admin, { name: 'Vera' }),
    );
    const token = ((await bodyOf(auditor)) as { token: { token: string } }).token.token;
    const refused = await erase(zinovy, { authorization: `Bearer ${token}` });
    expect({ status: refused.status, code: (await bodyOf(refused)).code }).toEqual({
      status: 403,
      code: 'E_FORBIDDEN',
    });
  });

  it('erases the person through a merged id, and a retry with its key answers the same', async () => {
    const headers = { ...parley.admin, 'idempotency-key': 'erase-zinovy' };
    const first = await erase(twice, headers);
    const body = await bodyOf(first);
    expect({ status: first.status, body }).toEqual({
      status: 200,
      body: { id: zinovy, erased: true, erased_contact_ids: [zinovy, twice] },
    });
    const again = await erase(twice, headers);
    expect({ status: again.status, body: await bodyOf(again) }).toEqual({ status: 200, body });
    // read-your-writes, then the outbox (its own runner) too
    const position = first.headers.get('x-parley-position') as string;
    expect((await get(`/api/dialogs?min_position=${position}`)).status).toBe(200);
  });

  it('leaves none of the person’s values in any text, jsonb or bytea column of the database', async () => {
    const findings = await eventually(
      () => scanDatabase(parley.deps.pool, NEEDLES),
      (found) => found.length === 0,
      30_000,
    );
    expect(findings).toEqual([]);
  }, 60_000);

  it('answers the erased contact 410 E_CONTACT_ERASED, its merged id too; inbound with its _id 404 E_CONTACT_DELETED', async () => {
    for (const id of [zinovy, twice])
      expect((await get(`/api/contacts/${id}`)).body.code).toBe('E_CONTACT_ERASED');
    const posted = await postMessage(parley, channel, {
      contact_object: { _id: zinovy, name: 'x', contacts: [custom('someone-else')] },
      text: 'hi',
    });
    expect({ status: posted.status, code: posted.body.code }).toEqual({
      status: 404,
      code: 'E_CONTACT_DELETED',
    });
  });

  it('keeps the dialogs’ times and counts; their messages read [erased] both ways', async () => {
    for (const id of zinovyDialogs) {
      const { body } = await get(`/api/dialogs/${id}`);
      expect(body.messages_in).toBeGreaterThan(0);
      expect(body.opened_at).toEqual(expect.any(String));
      const messages = (await get(`/api/dialogs/${id}/messages`)).body.items as {
        text: string;
        direction: string;
      }[];
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expect(m.text).toBe('[erased]');
    }
  });

  it('refuses a reply in their dialog: nothing new can be sealed for them', async () => {
    const response = await parley.request(
      `/api/dialogs/${zinovyDialogs[0]}/messages`,
      jsonRequest('POST', parley.admin, { text: 'are you there?' }),
    );
    expect({ status: response.status, code: (await bodyOf(response)).code }).toEqual({
      status: 410,
      code: 'E_CONTACT_ERASED',
    });
  });

  it('exports what is left of the person: ids, times and [erased]', async () => {
    const exported = await get(`/api/contacts/${twice}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.merged_contact_ids).toEqual([twice]);
    const text = JSON.stringify(exported.body);
    expect(NEEDLES.filter((n) => text.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
  });

  it('leaves the audit export without them, and the log verifies', async () => {
    const ndjson = await parley.request('/api/audit/events', {
      headers: { ...parley.admin, accept: 'application/x-ndjson' },
    });
    const text = (await ndjson.text()).toLowerCase();
    expect(NEEDLES.filter((n) => text.includes(n.toLowerCase()))).toEqual([]);
    expect(await verified()).toMatchObject({ ok: true, findings: [] });
  }, 90_000);

  it('keeps the other person intact and readable everywhere', async () => {
    const contact = await get(`/api/contacts/${masha}`);
    expect(contact.body).toMatchObject({
      name: MASHA.name,
      contacts: [expect.objectContaining({ value: MASHA.custom })],
    });
    const messages = (await get(`/api/dialogs/${mashaDialog}/messages`)).body.items as {
      text: string;
    }[];
    expect(messages.map((m) => m.text)).toEqual([MASHA.text]);
    expect(ok.received.some((r) => r.body.includes(MASHA.text))).toBe(true);
    const exported = JSON.stringify((await get(`/api/contacts/${masha}/export`)).body);
    expect(exported).toContain(MASHA.text);
    expect(exported).toContain(MASHA.name);
    const found = await scanDatabase(parley.deps.pool, [MASHA.text]);
    expect(found.map((f) => f.table)).toEqual(expect.arrayContaining(['read_model.messages']));
  });

  it('a rebuild from position 0 equals the live, erased read models', async () => {
    const { pool, store } = parley.deps;
    await expectRebuildEqualsLive(pool, store);
  }, 60_000);

  it('new messages with the same custom data make a new contact', async () => {
    const again = await post({
      contact_object: { name: 'Zinovy again', contacts: [custom(ZINOVY.customA)] },
      text: 'back',
    });
    expect([zinovy, twice]).not.toContain(again.contact_id);
  });

  it('logged none of the person’s values, nor a token or secret', () => {
    expect(logs.length).toBeGreaterThan(10);
    const all = logs.join('\n').toLowerCase();
    const leaked = [...NEEDLES, ...secrets, parley.deps.config.adminToken ?? ''].filter((v) =>
      all.includes(v.toLowerCase()),
    );
    expect(leaked).toEqual([]);
  });

  it('erases again where its export is imported, whatever keys were restored there', async () => {
    const ndjson = await parley.request('/api/audit/events', {
      headers: { ...parley.admin, accept: 'application/x-ndjson' },
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-erased-'));
    const file = path.join(dir, 'log.ndjson');
    await writeFile(file, await ndjson.text());
    const target = await createTestDatabase();
    try {
      // his key came back with a backup of the keys taken before the erasure
      const restored = new PostgresSubjectKeys(target.pool, {
        masterKeys: [parseMasterKey(TEST_MASTER_KEY, 'PARLEY_MASTER_KEY')],
      });
      await restored.seal(zinovy, Buffer.from('x'), 'restored');
      const err: string[] = [];
      const code = await auditCli(['import', file], {
        env: {
          DATABASE_URL: target.connectionString,
          DATA_DIR: dir,
          PARLEY_MASTER_KEY: TEST_MASTER_KEY,
          LOG_LEVEL: 'silent',
        },
        out: () => undefined,
        err: (t) => void err.push(t),
      });
      expect({ code, err }).toMatchObject({ code: 0 });
      const { rows } = await target.pool.query(
        'SELECT subject_id FROM keys.subject_keys WHERE wrapped IS NULL ORDER BY subject_id',
      );
      expect(rows.map((r) => r.subject_id)).toEqual([zinovy, twice].sort());
    } finally {
      await target.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  // last: this process still holds the old master key, as a process not yet restarted does
  it('verifies after the keys are rotated to a new master key', async () => {
    const out: string[] = [];
    const code = await keysCli(['rotate'], {
      env: {
        DATABASE_URL: parley.deps.config.databaseUrl as string,
        DATA_DIR: parley.deps.config.dataDir,
        PARLEY_MASTER_KEY: NEW_MASTER_KEY,
        PARLEY_PREVIOUS_MASTER_KEY: TEST_MASTER_KEY,
        LOG_LEVEL: 'silent',
      },
      out: (t) => void out.push(t),
      err: (t) => void out.push(t),
    });
    expect({ code, out }).toMatchObject({ code: 0 });
    expect(await verified()).toMatchObject({ ok: true, findings: [] });
  }, 90_000);
});
