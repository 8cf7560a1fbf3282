import type { ClientBase, Pool } from 'pg';
import { GENESIS, type EventDigest } from './eventDigest';
import { digestOfJson, type DigestJson } from './exportFormat';
import type { SignedCheckpoint, StreamHead } from './signedCheckpoint';

/**
 * The notary's own tables, in schema `audit`: outside the event log and outside read_model,
 * so no rebuild touches them. Created by the notary's first run; idempotent.
 */
export const createAuditTables = async (db: ClientBase): Promise<void> => {
  await db.query(`
    CREATE SCHEMA IF NOT EXISTS audit;
    CREATE TABLE IF NOT EXISTS audit.event_digests (
      seq bigint PRIMARY KEY,
      position text NOT NULL,
      stream text NOT NULL,
      revision bigint NOT NULL,
      event_id text NOT NULL UNIQUE,
      type text NOT NULL,
      data_digest text NOT NULL,
      metadata_digest text NOT NULL,
      leaf text NOT NULL,
      stream_head text NOT NULL,
      global_head text NOT NULL
    );
    -- a stream's head is its latest digest's (migration 182)
    CREATE INDEX IF NOT EXISTS event_digests_stream ON audit.event_digests (stream, seq);
    -- one row: where the notary's chain stands; locked by each batch and each signing
    CREATE TABLE IF NOT EXISTS audit.notary_state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      seq bigint NOT NULL,
      position text,
      global_head text NOT NULL
    );
    INSERT INTO audit.notary_state (seq, position, global_head)
      VALUES (0, NULL, '${GENESIS}') ON CONFLICT DO NOTHING;
    CREATE TABLE IF NOT EXISTS audit.checkpoints (
      seq bigint PRIMARY KEY,
      payload text NOT NULL,
      signature text NOT NULL
    );
  `);
};

export type NotaryState = Readonly<{ seq: bigint; position: string | null; globalHead: string }>;

export const lockNotaryState = async (db: ClientBase): Promise<NotaryState> => {
  const { rows } = await db.query<{ seq: string; position: string | null; global_head: string }>(
    'SELECT seq, position, global_head FROM audit.notary_state FOR UPDATE',
  );
  const row = rows[0];
  if (row === undefined)
    throw new Error('audit.notary_state has no row: the audit tables were altered');
  return { seq: BigInt(row.seq), position: row.position, globalHead: row.global_head };
};

// a row reads back as the export writes a record: bigints as decimal strings
type DigestRow = DigestJson;

export const DIGEST_COLUMNS =
  'seq, position, stream, revision, event_id, type, data_digest, metadata_digest, leaf, stream_head, global_head';

const toDigest = digestOfJson;

/**
 * Each stream's head as the digests after `seq` up to `head` left it: what a checkpoint lists,
 * read from a range of the digests' key.
 */
export const streamsChangedSince = async (
  db: ClientBase,
  seq: bigint,
  head: bigint,
): Promise<StreamHead[]> => {
  const { rows } = await db.query<{ stream: string; revision: string; head: string }>(
    `SELECT stream, revision::text AS revision, stream_head AS head FROM (
       SELECT DISTINCT ON (stream) stream, revision, stream_head FROM audit.event_digests
       WHERE seq > $1 AND seq <= $2 ORDER BY stream, seq DESC
     ) AS last ORDER BY stream COLLATE "C"`,
    [seq.toString(), head.toString()],
  );
  return rows;
};

export const lastCheckpointSeq = async (db: ClientBase): Promise<bigint> => {
  const { rows } = await db.query<{ seq: string | null }>(
    'SELECT max(seq)::text AS seq FROM audit.checkpoints',
  );
  return BigInt(rows[0]?.seq ?? 0);
};

export const insertCheckpoint = async (
  db: ClientBase,
  seq: bigint,
  checkpoint: SignedCheckpoint,
): Promise<void> => {
  await db.query('INSERT INTO audit.checkpoints (seq, payload, signature) VALUES ($1, $2, $3)', [
    seq.toString(),
    checkpoint.payload,
    checkpoint.signature,
  ]);
};

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';
const missing = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA;
};

/** Keyset pages of a table in seq order; nothing when the notary never ran. */
async function* pages<R, T>(
  pool: Pool,
  sql: string,
  after: bigint,
  upTo: bigint,
  toItem: (row: R) => T,
  seqOf: (item: T) => bigint,
  pageSize = 1_000,
): AsyncGenerator<T> {
  let from = after;
  for (;;) {
    let rows: R[];
    try {
      rows = (await pool.query<R & object>(sql, [from.toString(), pageSize, upTo.toString()])).rows;
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    for (const row of rows) {
      const item = toItem(row);
      from = seqOf(item);
      yield item;
    }
    if (rows.length < pageSize) return;
  }
}

const NO_LIMIT = 2n ** 63n - 1n;

/** Every digest after `after` (up to `upTo`) in seq order: the notary's commit order. */
export const digestsAfter = (
  pool: Pool,
  after = 0n,
  upTo = NO_LIMIT,
): AsyncGenerator<EventDigest> =>
  pages<DigestRow, EventDigest>(
    pool,
    `SELECT ${DIGEST_COLUMNS} FROM audit.event_digests WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`,
    after,
    upTo,
    toDigest,
    (d) => d.seq,
  );

export type StoredCheckpoint = SignedCheckpoint & Readonly<{ seq: bigint }>;

/** Signed checkpoints after `after` (up to `upTo`), in seq order. */
export const checkpointsAfter = (
  pool: Pool,
  after = 0n,
  upTo = NO_LIMIT,
): AsyncGenerator<StoredCheckpoint> =>
  pages<{ seq: string; payload: string; signature: string }, StoredCheckpoint>(
    pool,
    'SELECT seq, payload, signature FROM audit.checkpoints WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2',
    after,
    upTo,
    (row) => ({ seq: BigInt(row.seq), payload: row.payload, signature: row.signature }),
    (c) => c.seq,
  );

/** The digests of the events at these positions (an export's page). */
export const digestsAt = async (
  pool: Pool,
  eventIds: readonly string[],
): Promise<Map<string, EventDigest>> => {
  try {
    const { rows } = await pool.query<DigestRow>(
      `SELECT ${DIGEST_COLUMNS} FROM audit.event_digests WHERE event_id = ANY($1::text[])`,
      [[...eventIds]],
    );
    return new Map(rows.map((row) => [row.event_id, toDigest(row)]));
  } catch (error) {
    if (missing(error)) return new Map();
    throw error;
  }
};

/** Where the notary stands, without locking: a verification's or an export's snapshot. */
export const notaryHead = async (pool: Pool): Promise<NotaryState> => {
  try {
    const { rows } = await pool.query<{
      seq: string;
      position: string | null;
      global_head: string;
    }>('SELECT seq, position, global_head FROM audit.notary_state');
    const row = rows[0];
    if (row !== undefined)
      return { seq: BigInt(row.seq), position: row.position, globalHead: row.global_head };
  } catch (error) {
    if (!missing(error)) throw error;
  }
  return { seq: 0n, position: null, globalHead: GENESIS };
};

/** The digest just before `seq`: where a partial export's chains start. */
export const digestBefore = async (pool: Pool, seq: bigint): Promise<EventDigest | null> => {
  const { rows } = await pool.query<DigestRow>(
    `SELECT ${DIGEST_COLUMNS} FROM audit.event_digests WHERE seq < $1 ORDER BY seq DESC LIMIT 1`,
    [seq.toString()],
  );
  return rows[0] === undefined ? null : toDigest(rows[0]);
};
