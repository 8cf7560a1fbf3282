import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ClientBase, Pool } from 'pg';
import { LOCKS } from '../../projections/runner/lockKeys';
import { inTransaction } from '../../projections/transaction';
import { EnvelopeError, masterKeyOf, open, seal, type MasterKey } from './envelope';
import type { Logger } from '../logger';

const KEY_FILE = 'master-key';
const CHECK_VALUE = 'parley master key check';
const CHECK_AAD = 'keys.master_key_check';

/** A bad, missing or wrong master key: Parley refuses to start (exit code 2). */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export const parseMasterKey = (base64: string, source: string): MasterKey => {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32)
    throw new MasterKeyError(
      `${source} must be base64 of exactly 32 bytes (openssl rand -base64 32)`,
    );
  return masterKeyOf(key);
};

/**
 * PARLEY_MASTER_KEY when set (production: every process must read the same secrets); otherwise
 * DATA_DIR/master-key, made on the first start (mode 0600). A process whose own file holds
 * another key than the database's secrets is refused by checkMasterKey, never left to corrupt.
 */
export const resolveMasterKey = async (
  fromEnv: string | null,
  dataDir: string,
): Promise<MasterKey & { source: 'environment' | 'data-dir' }> => {
  if (fromEnv !== null)
    return { ...parseMasterKey(fromEnv, 'PARLEY_MASTER_KEY'), source: 'environment' };
  const file = path.join(path.resolve(dataDir), KEY_FILE);
  if (existsSync(file))
    return { ...parseMasterKey(await readFile(file, 'utf8'), file), source: 'data-dir' };
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { ...masterKeyOf(key), source: 'data-dir' };
};

const ENSURE = `
  CREATE SCHEMA IF NOT EXISTS keys;
  CREATE TABLE IF NOT EXISTS keys.master_key_check (
    key_id text PRIMARY KEY,
    sealed text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );`;

/**
 * The keys this database's secrets are sealed under must include one of `keys` (current first,
 * then PARLEY_PREVIOUS_MASTER_KEY during a rotation): each key leaves a sealed known value in
 * keys.master_key_check at first use, so a wrong key is found at start, not at the first
 * delivery. One process at a time, in one transaction: two starting together on a new database
 * raced on creating the table (one crashed), and with different keys both could record theirs
 * and seal secrets the other cannot open.
 */
export const checkMasterKey = (pool: Pool, keys: readonly MasterKey[]): Promise<void> =>
  inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCKS.masterKey]);
    await db.query(ENSURE);
    await checkUnderLock(db, keys);
  });

const checkUnderLock = async (db: ClientBase, keys: readonly MasterKey[]): Promise<void> => {
  const { rows } = await db.query<{ key_id: string; sealed: string }>(
    'SELECT key_id, sealed FROM keys.master_key_check',
  );
  const known = rows.filter((r) => keys.some((k) => k.id === r.key_id));
  for (const row of known) {
    let opened: string | null = null;
    try {
      opened = open(keys, row.sealed, CHECK_AAD);
    } catch (e) {
      if (!(e instanceof EnvelopeError)) throw e;
    }
    if (opened !== CHECK_VALUE)
      throw new MasterKeyError(
        `the master key check of key ${row.key_id} does not open: wrong key`,
      );
  }
  if (known.length === 0 && rows.length > 0)
    throw new MasterKeyError(
      `wrong master key: this database's secrets are sealed under key ${rows.map((r) => r.key_id).join(', ')}, not ${keys.map((k) => k.id).join(', ')} (docs/operations.md)`,
    );
  const current = keys[0];
  if (current !== undefined && !rows.some((r) => r.key_id === current.id))
    await recordMasterKey(db, current);
};

/** Adds the check row of a new key (rotation), once every secret opens under it. */
export const recordMasterKey = async (db: Pool | ClientBase, key: MasterKey): Promise<void> => {
  await db.query(
    'INSERT INTO keys.master_key_check (key_id, sealed) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [key.id, seal(key, CHECK_VALUE, CHECK_AAD)],
  );
};

/** Drops the check rows of every key but `key` (the end of a rotation). */
export const retireOtherKeys = async (pool: Pool, key: MasterKey): Promise<void> => {
  await pool.query('DELETE FROM keys.master_key_check WHERE key_id <> $1', [key.id]);
};

/** The current master key, then PARLEY_PREVIOUS_MASTER_KEY during a rotation; checked against the database. */
export const checkedMasterKeys = async (
  pool: Pool,
  config: Readonly<{
    masterKey: Readonly<{ current: string | null; previous: string | null }>;
    dataDir: string;
  }>,
): Promise<[MasterKey, ...MasterKey[]]> => {
  const current = await resolveMasterKey(config.masterKey.current, config.dataDir);
  const keys: [MasterKey, ...MasterKey[]] = [current];
  if (config.masterKey.previous !== null)
    keys.push(parseMasterKey(config.masterKey.previous, 'PARLEY_PREVIOUS_MASTER_KEY'));
  await checkMasterKey(pool, keys);
  return keys;
};

/**
 * The current master key (PARLEY_MASTER_KEY, else DATA_DIR/master-key), then
 * PARLEY_PREVIOUS_MASTER_KEY during a rotation: warns when a shared database is sealed with a
 * key file only this process reads.
 */
export const processMasterKeys = async (
  config: Readonly<{
    masterKey: Readonly<{ current: string | null; previous: string | null }>;
    dataDir: string;
    databaseUrl: string | null;
  }>,
  logger: Pick<Logger, 'warn'>,
): Promise<[MasterKey, ...MasterKey[]]> => {
  const current = await resolveMasterKey(config.masterKey.current, config.dataDir);
  if (config.databaseUrl !== null && current.source !== 'environment')
    logger.warn(
      { keyFile: 'DATA_DIR/master-key' },
      'stored secrets are sealed with a master key of this process alone; set PARLEY_MASTER_KEY so that every process reads them (docs/operations.md)',
    );
  const previous = config.masterKey.previous;
  return previous === null
    ? [current]
    : [current, parseMasterKey(previous, 'PARLEY_PREVIOUS_MASTER_KEY')];
};
