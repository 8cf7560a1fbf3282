import type { Pool } from 'pg';
import { cliConfig, openCliDatabase } from '../cli/cliDatabase';
import { migrate } from '../postgres/migrations';
import { sealAllUnder, secretCounts } from '../webhooks/secretStore';
import { resolveSigningKey } from '../audit/signingKey';
import { keyedHashOf, matchingSecret, rewrapMatchingSecret } from '../privacy/matchingSecret';
import { PostgresSubjectKeys, rewrapSubjectKeys } from '../privacy/postgresSubjectKeys';
import { protectExisting } from '../privacy/protectExisting';
import type { MasterKey } from './envelope';
import {
  checkMasterKey,
  MasterKeyError,
  parseMasterKey,
  recordMasterKey,
  resolveMasterKey,
  retireOtherKeys,
} from './masterKey';

export type KeysIo = Readonly<{
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}>;

const USAGE = `usage: npm run keys -- status | rotate | protect-existing
  status   which master keys the stored secrets are sealed under
  rotate   re-wrap every secret, data key and the matching secret under PARLEY_MASTER_KEY (the new key), reading those of
           PARLEY_PREVIOUS_MASTER_KEY (the old one); see docs/operations.md
  protect-existing
           seal the personal data of events written before encryption, once, and
           re-anchor the audit log (PostgreSQL store, Parley stopped; docs/privacy.md)
`;

/** How many data keys and matching secrets are still wrapped by another key than `current`. */
const keysUnder = async (pool: Pool, current: MasterKey): Promise<number> => {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM keys.subject_keys WHERE wrapped IS NOT NULL AND key_id <> $1)::int
          + (SELECT count(*) FROM keys.hmac_keys WHERE key_id <> $1)::int AS n`,
    [current.id],
  );
  return rows[0]?.n ?? 0;
};

/** Data keys by master key id, and how many were destroyed (erased subjects). */
const dataKeyCounts = async (
  pool: Pool,
): Promise<{ destroyed: number; byKey: Record<string, number> }> => {
  const { rows } = await pool.query<{ key_id: string | null; n: number }>(
    'SELECT key_id, count(*)::int AS n FROM keys.subject_keys GROUP BY key_id',
  );
  const byKey: Record<string, number> = {};
  let destroyed = 0;
  for (const { key_id: id, n } of rows)
    if (id === null) destroyed += n;
    else byKey[id] = n;
  return { destroyed, byKey };
};

/** `npm run keys`: exit 0 done, 1 failed, 2 bad usage, configuration or master key. */
export const keysCli = async (args: readonly string[], io: KeysIo): Promise<number> => {
  const command = args[0];
  if (command !== 'status' && command !== 'rotate' && command !== 'protect-existing') {
    io.err(USAGE);
    return 2;
  }
  const config = cliConfig(io.env, (text) => io.err(text));
  if (config === null) return 2;
  const database = await openCliDatabase(config);
  try {
    await migrate(database.pool);
    const current = await resolveMasterKey(config.masterKey.current, config.dataDir);
    const keys: MasterKey[] = [current];
    if (config.masterKey.previous !== null)
      keys.push(parseMasterKey(config.masterKey.previous, 'PARLEY_PREVIOUS_MASTER_KEY'));
    await checkMasterKey(database.pool, keys);
    if (command === 'protect-existing') {
      if (config.eventStoreUrl !== null) {
        io.err(
          'parley: protect-existing rewrites the PostgreSQL store only; for EventStoreDB export and import into a new store (docs/privacy.md)\n',
        );
        return 1;
      }
      const report = await protectExisting(
        database.pool,
        new PostgresSubjectKeys(database.pool, { masterKeys: keys as [MasterKey, ...MasterKey[]] }),
        keyedHashOf(await matchingSecret(database.pool, keys as [MasterKey, ...MasterKey[]])),
        await resolveSigningKey(config.audit.signingKey, config.dataDir, false),
      );
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    if (command === 'rotate') {
      const rewrapped =
        (await sealAllUnder(database.pool, current, keys)) +
        (await rewrapSubjectKeys(database.pool, current, keys)) +
        (await rewrapMatchingSecret(database.pool, current, keys));
      await recordMasterKey(database.pool, current);
      const counts = await secretCounts(database.pool);
      if (
        counts.plaintext === 0 &&
        Object.keys(counts.byKey).every((id) => id === current.id) &&
        (await keysUnder(database.pool, current)) === 0
      ) {
        await retireOtherKeys(database.pool, current);
        io.err(`re-wrapped ${rewrapped} secret(s) under key ${current.id}\n`);
      } else {
        io.err(`some secrets are not yet under key ${current.id}: run rotate again\n`);
        return 1;
      }
    }
    const counts = await secretCounts(database.pool);
    const dataKeys = await dataKeyCounts(database.pool);
    io.out(`${JSON.stringify({ currentKeyId: current.id, secrets: counts, dataKeys }, null, 2)}\n`);
    return 0;
  } catch (error) {
    io.err(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof MasterKeyError ? 2 : 1;
  } finally {
    await database.close();
  }
};
