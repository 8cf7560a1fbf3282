import type { ClientBase } from 'pg';
import type { EventDigest } from './eventDigest';
import { DIGEST_COLUMNS, type NotaryState } from './auditTables';

/** Where the notary stands, locked for the batch, and the heads of the streams it names. */
export const lockStateAndHeads = async (
  db: ClientBase,
  streams: readonly string[],
): Promise<Readonly<{ state: NotaryState; heads: Map<string, string> }>> => {
  const { rows } = await db.query<{
    seq: string;
    position: string | null;
    global_head: string;
    heads: Record<string, string>;
  }>(
    `SELECT seq, position, global_head,
       (SELECT coalesce(json_object_agg(stream, head), '{}') FROM audit.stream_heads
        WHERE stream = ANY($1::text[])) AS heads
     FROM audit.notary_state FOR UPDATE`,
    [[...streams]],
  );
  const row = rows[0];
  if (row === undefined)
    throw new Error('audit.notary_state has no row: the audit tables were altered');
  return {
    state: { seq: BigInt(row.seq), position: row.position, globalHead: row.global_head },
    heads: new Map(Object.entries(row.heads)),
  };
};

/**
 * A batch's records in one statement: every digest (one array element each), the last digest
 * of each stream as its head, and the notary's new state. The three tables are apart, so the
 * parts of one statement cannot see or undo each other.
 */
export const saveBatch = async (
  db: ClientBase,
  digests: readonly EventDigest[],
  lasts: readonly EventDigest[],
  state: NotaryState,
): Promise<void> => {
  const column = <T>(of: readonly EventDigest[], f: (d: EventDigest) => T): T[] => of.map(f);
  await db.query(
    `WITH digests AS (
       INSERT INTO audit.event_digests (${DIGEST_COLUMNS})
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])),
     heads AS (
       INSERT INTO audit.stream_heads (stream, revision, head, last_seq)
       SELECT * FROM unnest($12::text[], $13::bigint[], $14::text[], $15::bigint[])
       ON CONFLICT (stream) DO UPDATE SET
         revision = EXCLUDED.revision, head = EXCLUDED.head, last_seq = EXCLUDED.last_seq)
     UPDATE audit.notary_state SET seq = $16, position = $17, global_head = $18`,
    [
      column(digests, (d) => d.seq.toString()),
      column(digests, (d) => d.position),
      column(digests, (d) => d.stream),
      column(digests, (d) => d.revision.toString()),
      column(digests, (d) => d.eventId),
      column(digests, (d) => d.type),
      column(digests, (d) => d.dataDigest),
      column(digests, (d) => d.metadataDigest),
      column(digests, (d) => d.leaf),
      column(digests, (d) => d.streamHead),
      column(digests, (d) => d.globalHead),
      column(lasts, (d) => d.stream),
      column(lasts, (d) => d.revision.toString()),
      column(lasts, (d) => d.streamHead),
      column(lasts, (d) => d.seq.toString()),
      state.seq.toString(),
      state.position,
      state.globalHead,
    ],
  );
};
