import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
