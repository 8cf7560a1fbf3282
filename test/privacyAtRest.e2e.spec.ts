import { randomBytes } from 'node:crypto';
import { masterKeyOf, open } from '../src/infrastructure/keys/envelope';
import { keyedHashOf, matchingSecret } from '../src/infrastructure/privacy/matchingSecret';
import { createChannel, postMessage } from './support/inbound';
import { useTestParley } from './support/parley';
import { streams } from '../src/application/streams';
import { createOperator, reply } from './support/webhooks';

const masterKey = randomBytes(32);

/** What the customer told Parley: none of it may sit in the log in plaintext. */
const PERSONAL = {
  name: 'Zinaida Plaintextova',
  description: 'lives at Lenina 13, flat 7',
  phone: '+7 987 654-32-10',
  phoneDigits: '9876543210',
  email: 'Zinaida.P@Example.org',
  customId: 'zina-customer-8841',
  text: 'my passport number is 4510 778899',
  html: '<b>card 5500 0000 1111 2222</b>',
  attachment: 'scan-of-passport-zinaida.jpg',
  attachmentUrl: 'https://files.example/zinaida-scan',
  integrationData: '{"crm_id":"zina-crm-77"}',
  reference: 'avito-chat-zinaida-55',
  title: 'Zinaida asks about a loan',
  reply: 'Dear Zinaida, your loan of 900000 is approved',
};

describe('personal data at rest', () => {
  const parley = useTestParley({ PARLEY_MASTER_KEY: masterKey.toString('base64') });
  let dialogId = '';
  let contactId = '';

  beforeAll(async () => {
    const channel = await createChannel(parley);
    const posted = await postMessage(
      parley,
      channel,
      {
        reference: PERSONAL.reference,
        dialog_title: PERSONAL.title,
        text: PERSONAL.text,
        html: PERSONAL.html,
        integration_data: PERSONAL.integrationData,
        attachments: [
          {
            url: PERSONAL.attachmentUrl,
            size: 10,
            name: PERSONAL.attachment,
            mimeType: 'image/jpeg',
          },
        ],
        contact_object: {
          name: PERSONAL.name,
          description: PERSONAL.description,
          contacts: [
            { type: 'id', value: PERSONAL.customId, service: 'custom', origin: 'custom' },
            { type: 'phone', value: PERSONAL.phone, service: 'whatsapp' },
            { type: 'email', value: PERSONAL.email, service: 'email' },
          ],
        },
      },
      { 'Idempotency-Key': 'privacy-at-rest-1' },
    );
    expect(posted.status).toBe(200);
    dialogId = posted.body.dialog_id as string;
    contactId = posted.body.contact_id as string;
    const operator = await createOperator(parley);
    await reply(parley, operator.auth, dialogId, PERSONAL.reply);
  });

  const needles = (): string[] => [
    ...Object.values(PERSONAL),
    '+79876543210',
    PERSONAL.email.toLowerCase(),
  ];

  it('given a conversation stored, then event_store.events holds none of it in plaintext', async () => {
    const { rows } = await parley.deps.pool.query<{ v: string }>(
      'SELECT stream_id || data::text || metadata::text AS v FROM event_store.events',
    );
    const log = rows.map((r) => r.v).join('\n');
    expect(log).toContain('$sealed');
    for (const needle of needles())
      expect({ needle, found: log.includes(needle) }).toEqual({ needle, found: false });
  });

  it('given a conversation stored, then the audit export holds none of it in plaintext', async () => {
    const response = await parley.request('/api/audit/events', {
      headers: { ...parley.admin, accept: 'application/x-ndjson' },
    });
    const exported = await response.text();
    expect(exported).toContain('MessageReceived');
    for (const needle of needles())
      expect({ needle, found: exported.includes(needle) }).toEqual({ needle, found: false });
  });

  it('given a conversation stored, then the application reads it in plaintext through the codec', async () => {
    const dialog = JSON.stringify(
      (await parley.deps.store.readStream(streams.dialog(dialogId))).map((e) => e.data),
    );
    for (const plain of [PERSONAL.text, PERSONAL.reply, PERSONAL.title, PERSONAL.attachment])
      expect(dialog).toContain(plain);
    const contact = await parley.deps.store.readStream(streams.contact(contactId));
    expect(JSON.stringify(contact.map((e) => e.data))).toContain(PERSONAL.name);
  });

  it('given data keys and the matching secret, then no column of the database holds them in plaintext', async () => {
    const pool = parley.deps.pool;
    const master = masterKeyOf(masterKey);
    const { rows: keys } = await pool.query<{ subject_id: string; wrapped: string }>(
      'SELECT subject_id, wrapped FROM keys.subject_keys WHERE wrapped IS NOT NULL',
    );
    expect(keys.length).toBeGreaterThan(0);
    const dataKeys = keys.map((k) =>
      Buffer.from(open([master], k.wrapped, `keys.subject_keys:${k.subject_id}`), 'base64'),
    );
    const secret = await matchingSecret(pool, [master]);
    const { rows: columns } = await pool.query<{ s: string; t: string; c: string }>(
      `SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
        WHERE data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')
          AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const values: string[] = [];
    for (const { s, t, c } of columns) {
      const { rows } = await pool.query<{ v: string | null }>(
        `SELECT "${c}"::text AS v FROM "${s}"."${t}"`,
      );
      for (const r of rows) if (r.v !== null) values.push(r.v);
    }
    const all = values.join('\n');
    for (const key of [...dataKeys, secret])
      for (const form of [key.toString('base64'), key.toString('hex'), `\\x${key.toString('hex')}`])
        expect(all).not.toContain(form);
    // the scan can fail: a keyed stream id is there, made with the secret
    expect(all).toMatch(/contact-key-[0-9a-f]{64}/);
    expect(keyedHashOf(secret)('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
