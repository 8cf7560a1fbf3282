import { createHmac, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { open, seal, type MasterKey } from '../keys/envelope';

const NAME = 'matching';
const aadOf = (name: string): string => `keys.hmac_keys:${name}`;

/** HMAC-SHA256 (hex) with the server's matching secret: what stream ids of claims are made of. */
export type KeyedHash = (text: string) => string;

export const keyedHashOf =
  (secret: Buffer): KeyedHash =>
  (text) =>
    createHmac('sha256', secret).update(text, 'utf8').digest('hex');

/**
 * The matching secret, made once per database (the first process to start wins the INSERT) and
 * wrapped by the master key. It never changes: every claim stream id is derived from it.
 */
export const matchingSecret = async (
  pool: Pool,
  masterKeys: readonly [MasterKey, ...MasterKey[]],
): Promise<Buffer> => {
  const [current] = masterKeys;
  await pool.query(
    `INSERT INTO keys.hmac_keys (name, key_id, wrapped) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING`,
    [NAME, current.id, seal(current, randomBytes(32).toString('base64'), aadOf(NAME))],
  );
  const { rows } = await pool.query<{ wrapped: string }>(
    'SELECT wrapped FROM keys.hmac_keys WHERE name = $1',
    [NAME],
  );
  return Buffer.from(
    open(masterKeys, (rows[0] as { wrapped: string }).wrapped, aadOf(NAME)),
    'base64',
  );
};

/** Re-wraps the matching secret under `current` (a rotation); its value stays. */
export const rewrapMatchingSecret = async (
  pool: Pool,
  current: MasterKey,
  readable: readonly MasterKey[],
): Promise<number> => {
  const { rows } = await pool.query<{ name: string; wrapped: string }>(
    'SELECT name, wrapped FROM keys.hmac_keys WHERE key_id <> $1',
    [current.id],
  );
  let rewritten = 0;
  for (const row of rows) {
    const plain = open(readable, row.wrapped, aadOf(row.name));
    const { rowCount } = await pool.query(
      'UPDATE keys.hmac_keys SET key_id = $3, wrapped = $4 WHERE name = $1 AND wrapped = $2',
      [row.name, row.wrapped, current.id, seal(current, plain, aadOf(row.name))],
    );
    rewritten += rowCount ?? 0;
  }
  return rewritten;
};
