import { verify, type KeyObject } from 'node:crypto';
import type { ClientBase, Pool } from 'pg';
import type { Finding } from '../audit/verification';

/**
 * What a re-anchoring states (signed with the audit key): the log up to `seq` was rewritten
 * once (protect-existing sealed personal fields and renamed matching streams), its chain
 * moved from `previous_global_head` (signed by `previous_checkpoint`) to `new_global_head`.
 */
export type ReanchoringPayload = Readonly<{
  kind: 'reanchoring';
  reason: 'protect-existing';
  seq: string;
  position: string;
  previous_global_head: string;
  previous_checkpoint: Readonly<{ payload: string; signature: string }> | null;
  new_global_head: string;
  events_rewritten: number;
  streams_renamed: number;
  at: string;
}>;

export const createReanchorings = async (db: ClientBase): Promise<void> => {
  await db.query(`
    CREATE SCHEMA IF NOT EXISTS audit;
    CREATE TABLE IF NOT EXISTS audit.reanchorings (
      seq bigint NOT NULL,
      payload text NOT NULL,
      signature text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );`);
};

const signedBy = (text: string, signature: string, key: KeyObject): boolean => {
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Each re-anchoring checked: its signature is the audit key's, the old chain's checkpoint it
 * keeps is too and names the old head, and the notary's record at its seq has the new head.
 */
export const verifyReanchorings = async (pool: Pool, key: KeyObject): Promise<Finding[]> => {
  const { rows: exists } = await pool.query<{ t: string | null }>(
    "SELECT to_regclass('audit.reanchorings')::text AS t",
  );
  if (exists[0]?.t === null || exists[0]?.t === undefined) return [];
  const { rows } = await pool.query<{ payload: string; signature: string }>(
    'SELECT payload, signature FROM audit.reanchorings ORDER BY seq',
  );
  const findings: Finding[] = [];
  for (const row of rows) {
    const problem = await problemOf(pool, row, key);
    if (problem !== null)
      findings.push({
        kind: 'reanchoring_mismatch',
        stream: null,
        revision: null,
        position: null,
        detail: problem,
      });
  }
  return findings;
};

const problemOf = async (
  pool: Pool,
  row: Readonly<{ payload: string; signature: string }>,
  key: KeyObject,
): Promise<string | null> => {
  if (!signedBy(row.payload, row.signature, key))
    return 'a re-anchoring record is not signed by the audit key';
  const payload = JSON.parse(row.payload) as ReanchoringPayload;
  const old = payload.previous_checkpoint;
  if (old !== null) {
    if (!signedBy(old.payload, old.signature, key))
      return `the re-anchoring at seq ${payload.seq} keeps a checkpoint not signed by the audit key`;
    const signed = JSON.parse(old.payload) as { seq: string; global_head: string };
    if (signed.seq === payload.seq && signed.global_head !== payload.previous_global_head)
      return `the re-anchoring at seq ${payload.seq} disagrees with the old chain's checkpoint`;
  }
  const { rows } = await pool.query<{ global_head: string }>(
    'SELECT global_head FROM audit.event_digests WHERE seq = $1',
    [payload.seq],
  );
  if (rows[0]?.global_head !== payload.new_global_head)
    return `the notary's record at seq ${payload.seq} is not the head the re-anchoring states`;
  return null;
};
