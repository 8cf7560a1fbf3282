import type { Migration } from '../postgres/migrations';

/**
 * audit.notarize_batch, as migrations 180, 181 and 182 make it (a database that had not applied
 * 180 yet applies them in one go, so each makes the latest). Its signature stays that of 180: a
 * Parley of before 182 on the same database during an upgrade still calls it, and p_last, which
 * said where a stream's head was to be stored, is no longer read.
 */
const NOTARIZE_BATCH_FUNCTION = `
    -- p_previous[i]: the index of the batch's previous event of the same stream, 0 if none;
    -- p_last: not read since migration 182. Returns how many it chained.
    CREATE OR REPLACE FUNCTION audit.notarize_batch(
      p_positions text[], p_streams text[], p_revisions bigint[], p_ids text[], p_types text[],
      p_data_digests text[], p_metadata_digests text[], p_leaves text[],
      p_previous integer[], p_last boolean[]
    ) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      n integer := coalesce(array_length(p_leaves, 1), 0);
      chained integer := 0;
      base bigint;
      head text;
      stored text[];
      stream_heads text[] := array_fill(NULL::text, ARRAY[n]);
      global_heads text[] := array_fill(NULL::text, ARRAY[n]);
      previous text;
    BEGIN
      SELECT seq, global_head INTO base, head FROM audit.notary_state FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'audit.notary_state has no row: the audit tables were altered';
      END IF;
      IF n = 0 THEN RETURN 0; END IF;
      -- a replay (a first build in bulk cut short, a batch lost to a crash): what was chained
      -- is a prefix of the log, so of the batch, and is left as it is
      IF EXISTS (SELECT 1 FROM audit.event_digests WHERE event_id = p_ids[1]) THEN
        SELECT count(*) INTO chained FROM unnest(p_ids) AS u(id)
        WHERE EXISTS (SELECT 1 FROM audit.event_digests d WHERE d.event_id = u.id);
      END IF;
      IF chained = n THEN RETURN 0; END IF;
      -- a stream's head is its latest digest's: for the events whose previous link is not in
      -- what this batch chains (a replay's chained prefix is stored already)
      SELECT array_agg(coalesce(h.stream_head, repeat('0', 64)) ORDER BY u.ord) INTO stored
      FROM unnest(p_streams, p_previous) WITH ORDINALITY AS u(stream, prev, ord)
      LEFT JOIN LATERAL (
        SELECT d.stream_head FROM audit.event_digests d
        WHERE u.ord > chained AND u.prev <= chained AND d.stream = u.stream
        ORDER BY d.seq DESC LIMIT 1
      ) h ON true;
      FOR i IN chained + 1 .. n LOOP
        previous := CASE WHEN p_previous[i] > chained THEN stream_heads[p_previous[i]]
                         ELSE stored[i] END;
        stream_heads[i] := encode(sha256(convert_to(previous || p_leaves[i], 'UTF8')), 'hex');
        head := encode(sha256(convert_to(head || p_leaves[i], 'UTF8')), 'hex');
        global_heads[i] := head;
      END LOOP;
      INSERT INTO audit.event_digests (seq, position, stream, revision, event_id, type,
        data_digest, metadata_digest, leaf, stream_head, global_head)
      SELECT base + u.ord - chained, u.position, u.stream, u.revision, u.id, u.type, u.dd, u.md,
        u.leaf, u.sh, u.gh
      FROM unnest(p_positions, p_streams, p_revisions, p_ids, p_types, p_data_digests,
        p_metadata_digests, p_leaves, stream_heads, global_heads)
        WITH ORDINALITY AS u(position, stream, revision, id, type, dd, md, leaf, sh, gh, ord)
      WHERE u.ord > chained;
      UPDATE audit.notary_state
      SET seq = base + n - chained, position = p_positions[n], global_head = head;
      RETURN n - chained;
    END $$;
`;

/**
 * The notary's batch as one statement (notaryBatch.ts): the leaves come computed from Parley,
 * the chains are extended here, where the heads they start from are. The batch's transaction is
 * then one message with its commit: a transaction that has written holds back what every
 * subscriber of the log sees, and the notary's used to wait twice for a saturated event loop
 * while holding it (docs/performance.md).
 */
export const notaryBatchMigration: Migration = {
  version: 180,
  name: 'audit: the notary chains a batch in one statement',
  sql: `
    CREATE SCHEMA IF NOT EXISTS audit;

${NOTARIZE_BATCH_FUNCTION}  `,
};

/**
 * A stream's head is updated by every batch that touches the stream; indexed by the seq it was
 * last changed at, every update wrote a new entry in two indexes and none could be HOT. The
 * signer finds the streams a checkpoint lists from the digests since the last one instead
 * (auditTables.ts), so the heads keep only their key's index and room on their pages for the
 * updates in place: 5.7–6.1 → 4.0–4.5 ms of backend CPU a batch of 120 (docs/performance.md).
 * The tables are made by the notary's first run, so on a database where it has not run yet
 * this changes nothing and createAuditTables makes them in this shape.
 */
export const notaryHotHeadsMigration: Migration = {
  version: 181,
  name: 'audit: stream heads updated in place, the changed streams read from the digests',
  sql: `
    CREATE SCHEMA IF NOT EXISTS audit;
    DROP INDEX IF EXISTS audit.stream_heads_last_seq;
    ALTER TABLE IF EXISTS audit.stream_heads DROP COLUMN IF EXISTS last_seq;
    ALTER TABLE IF EXISTS audit.stream_heads SET (fillfactor = 70);

${NOTARIZE_BATCH_FUNCTION}  `,
};

/**
 * A stream's head is its latest digest's stream_head, found by an index on (stream, seq)
 * instead of kept in audit.stream_heads: a batch upserted the head of every stream it touched,
 * a third of the function's time. 9.2–10.3 → 8.2–8.3 ms a batch of 500 on the bench's
 * 809,671-event log (docs/performance.md). The index is built in the migration's transaction,
 * so on a long log the notary waits for it; nothing else does. As with 181, a database whose
 * notary has not run yet has no audit tables, and createAuditTables makes them in this shape.
 */
export const notaryHeadsFromDigestsMigration: Migration = {
  version: 182,
  name: 'audit: a stream head read from its latest digest, audit.stream_heads gone',
  sql: `
    CREATE SCHEMA IF NOT EXISTS audit;
    DO $$ BEGIN
      IF to_regclass('audit.event_digests') IS NOT NULL THEN
        CREATE INDEX IF NOT EXISTS event_digests_stream ON audit.event_digests (stream, seq);
      END IF;
    END $$;
    DROP TABLE IF EXISTS audit.stream_heads;

${NOTARIZE_BATCH_FUNCTION}  `,
};
