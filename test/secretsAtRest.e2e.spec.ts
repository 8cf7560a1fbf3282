import { randomBytes } from 'node:crypto';
import { keysCli } from '../src/infrastructure/keys/keysCli';
import { secretOpener, secretCounts } from '../src/infrastructure/webhooks/secretStore';
import { masterKeyOf } from '../src/infrastructure/keys/envelope';
import { createOperator, subscribe, useWebhookWorld } from './support/webhooks';

const masterKey = randomBytes(32);

/** Every text, jsonb and bytea value of every table, as text (information_schema). */
const everyStoredValue = async (query: (sql: string) => Promise<{ rows: unknown[] }>) => {
  const { rows } = (await query(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns
      WHERE data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')
        AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  )) as { rows: { table_schema: string; table_name: string; column_name: string }[] };
  const values: string[] = [];
  for (const c of rows) {
    const found = (await query(
      `SELECT "${c.column_name}"::text AS v FROM "${c.table_schema}"."${c.table_name}"`,
    )) as { rows: { v: string | null }[] };
    for (const r of found.rows) if (r.v !== null) values.push(r.v);
  }
  return values;
};

describe('secrets at rest', () => {
  const world = useWebhookWorld({ PARLEY_MASTER_KEY: masterKey.toString('base64') });

  it('given webhooks and tokens issued, then no column of any table holds them or the master key in plaintext', async () => {
    const { parley, receiver } = world;
    await subscribe(parley, receiver);
    const secret = receiver.secret as string;
    const operator = await createOperator(parley);
    const pool = parley.deps.pool;
    const values = (await everyStoredValue((sql) => pool.query(sql))).join('\n');
    expect(values.length).toBeGreaterThan(0);
    const needles = [
      secret,
      secret.replace(/^whsec_/, ''),
      Buffer.from(secret.replace(/^whsec_/, ''), 'base64').toString('hex'),
      operator.auth.authorization.replace(/^Bearer /, ''),
      parley.adminToken.token,
      masterKey.toString('base64'),
      masterKey.toString('hex'),
    ];
    for (const needle of needles) expect(values).not.toContain(needle);
    // the scan can fail: the sealed secret is found, and opens to the secret
    const { rows } = await pool.query<{ webhook_id: string; secret: string }>(
      'SELECT webhook_id, secret FROM webhooks.secrets',
    );
    expect(values).toContain(rows[0]?.secret);
    const open = secretOpener([masterKeyOf(masterKey)]);
    expect(rows.map((r) => open(r.webhook_id, r.secret))).toContain(secret);
  });

  it('given a new key, when keys rotate runs, then every secret is re-wrapped and still opens', async () => {
    const pool = world.parley.deps.pool;
    const next = randomBytes(32);
    const out: string[] = [];
    const code = await keysCli(['rotate'], {
      env: {
        DATABASE_URL: world.parley.deps.config.databaseUrl ?? undefined,
        DATA_DIR: world.parley.deps.config.dataDir,
        PARLEY_MASTER_KEY: next.toString('base64'),
        PARLEY_PREVIOUS_MASTER_KEY: masterKey.toString('base64'),
      },
      out: (text) => void out.push(text),
      err: (text) => void out.push(text),
    });
    expect({ code, out: out.join('') }).toMatchObject({ code: 0 });
    const counts = await secretCounts(pool);
    expect(counts).toEqual({ plaintext: 0, byKey: { [masterKeyOf(next).id]: 1 } });
    // the matching secret is re-wrapped too (data keys: src/infrastructure/privacy/*.int.spec.ts)
    const { rows: wrapped } = await pool.query<{ key_id: string }>(
      'SELECT key_id FROM keys.hmac_keys',
    );
    expect(wrapped).toEqual([{ key_id: masterKeyOf(next).id }]);
    const { rows } = await pool.query<{ webhook_id: string; secret: string }>(
      'SELECT webhook_id, secret FROM webhooks.secrets',
    );
    const open = secretOpener([masterKeyOf(next)]);
    expect(rows.map((r) => open(r.webhook_id, r.secret))).toContain(world.receiver.secret);
    expect(() =>
      secretOpener([masterKeyOf(masterKey)])(rows[0]!.webhook_id, rows[0]!.secret),
    ).toThrow();
  });
});
