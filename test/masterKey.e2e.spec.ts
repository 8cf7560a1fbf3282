import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { checkMasterKey } from '../src/infrastructure/keys/masterKey';
import { masterKeyOf } from '../src/infrastructure/keys/envelope';
import { createTestDatabase } from './support/database';
import { runParley } from './support/process';

describe('the master key at start', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const right = randomBytes(32);

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await checkMasterKey(db.pool, [masterKeyOf(right)]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-key-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = (key: string) =>
    runParley({
      DATABASE_URL: db.connectionString,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_MASTER_KEY: key,
    });

  it('given a database sealed under one key, when started with another, then it exits 2 saying so', async () => {
    const wrong = randomBytes(32).toString('base64');
    const parley = start(wrong);
    expect(await parley.exited).toBe(2);
    expect(parley.output()).toMatch(/wrong master key/);
    expect(parley.output()).not.toContain(wrong);
  });

  it('given a key that is not 32 bytes of base64, when started, then it exits 2 naming the variable', async () => {
    const short = randomBytes(16).toString('base64');
    const parley = start(short);
    expect(await parley.exited).toBe(2);
    expect(parley.output()).toMatch(/PARLEY_MASTER_KEY must be base64 of exactly 32 bytes/);
    expect(parley.output()).not.toContain(short);
  });
});

describe('the master key checked by processes starting together on a new database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(async () => db.drop());

  it('given eight processes with eight keys, then one records its key and the seven others are refused', async () => {
    for (let round = 0; round < 5; round++) {
      await db.pool.query('DROP SCHEMA IF EXISTS keys CASCADE');
      const keys = Array.from({ length: 8 }, () => masterKeyOf(randomBytes(32)));
      // each its own pool, as separate processes have: no connection is shared
      const pools = keys.map(() => new Pool({ connectionString: db.connectionString, max: 1 }));
      try {
        const outcomes = await Promise.allSettled(
          keys.map((key, i) => checkMasterKey(pools[i] as Pool, [key])),
        );
        const refusals = outcomes.flatMap((o) =>
          o.status === 'rejected' ? [(o.reason as Error).message] : [],
        );
        expect(refusals).toHaveLength(7);
        for (const message of refusals) expect(message).toMatch(/^wrong master key/);
        const { rows } = await db.pool.query<{ key_id: string }>(
          'SELECT key_id FROM keys.master_key_check',
        );
        const winner = keys[outcomes.findIndex((o) => o.status === 'fulfilled')];
        expect(rows).toEqual([{ key_id: winner?.id }]);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    }
  });
});
