import fc from 'fast-check';
import { useTestDatabase } from '../../../test/support/database';
import { msUntilNextFetch, NEXT_DUE_FETCH } from './fetchQueue';

type File = Readonly<{
  status: 'pending' | 'stored' | 'failed';
  source: 'fetched' | 'uploaded';
  /** seconds from now, in steps of 10 */
  nextIn: number;
  leasedFor: number | null;
}>;

/** The definition the statement must keep: the earliest of each pending fetch's due time. */
const OLD_NEXT_DUE = `
  SELECT (EXTRACT(EPOCH FROM min(greatest(next_attempt_at,
            coalesce(leased_until, next_attempt_at))) - now()) * 1000)::float8 AS ms
    FROM attachments.files WHERE status = 'pending' AND source = 'fetched'`;

describe('the attachment fetch queue’s next due fetch', () => {
  const db = useTestDatabase();

  const fill = async (files: readonly File[], prefix: string): Promise<void> => {
    await db.pool.query('DELETE FROM attachments.files');
    await db.pool.query(
      `INSERT INTO attachments.files (attachment_id, dialog_id, message_id, position, contact_id,
                                      source, url, name, declared_type, status, next_attempt_at,
                                      leased_until)
       SELECT $1 || i, 'd', 'm', i, 'c', f.source, 'http://127.0.0.1:9/x', 'x', 'image/png',
              f.status, now() + make_interval(secs => f.next_in),
              now() + make_interval(secs => f.leased_for)
         FROM unnest($2::text[], $3::text[], $4::int[], $5::int[])
              WITH ORDINALITY AS f(status, source, next_in, leased_for, i)`,
      [
        prefix,
        files.map((f) => f.status),
        files.map((f) => f.source),
        files.map((f) => f.nextIn),
        files.map((f) => f.leasedFor),
      ],
    );
  };

  it('holds for any files: it is the earliest due time of a pending fetch, its lease’s end when leased, as the read of every pending file gave it', async () => {
    const file: fc.Arbitrary<File> = fc.record({
      status: fc.constantFrom('pending', 'pending', 'stored', 'failed'),
      source: fc.constantFrom('fetched', 'fetched', 'uploaded'),
      nextIn: fc.integer({ min: -30, max: 30 }).map((n) => n * 10),
      leasedFor: fc.option(fc.integer({ min: -30, max: 30 }).map((n) => n * 10)),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(file, { maxLength: 12 }), async (files) => {
        await fill(files, `p${run++}-`);
        const [ours, old] = await Promise.all([
          msUntilNextFetch(db.pool),
          db.pool.query<{ ms: number | null }>(OLD_NEXT_DUE).then((r) => r.rows[0]?.ms ?? null),
        ]);
        if (old === null) expect(ours).toBeNull();
        // the two statements ran a moment apart: due times are 10 s apart at least
        else expect(Math.abs((ours as number) - Math.max(0, old))).toBeLessThan(2_000);
      }),
      { numRuns: 60 },
    );
  });

  it('given thousands of pending fetches far apart, when it looks for the next, then it reads a few rows of two indexes, not every pending file', async () => {
    const files: File[] = Array.from({ length: 3_000 }, (_, i) => ({
      status: 'pending',
      source: 'fetched',
      nextIn: 60 + i * 10,
      leasedFor: i % 500 === 0 ? 30 : null,
    }));
    await fill(files, 'many-');
    await db.pool.query('ANALYZE attachments.files');
    const rowsRead = async (sql: string): Promise<number> => {
      const { rows } = await db.pool.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      );
      let read = 0;
      const walk = (node: Record<string, unknown>): void => {
        if (String(node['Node Type']).includes('Scan'))
          read +=
            Number(node['Actual Rows'] ?? 0) * Number(node['Actual Loops'] ?? 1) +
            Number(node['Rows Removed by Filter'] ?? 0);
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? [])
          walk(child);
      };
      const [plan] = rows[0]?.['QUERY PLAN'] as { Plan: Record<string, unknown> }[];
      walk(plan?.Plan ?? {});
      return read;
    };
    expect(await rowsRead(NEXT_DUE_FETCH)).toBeLessThanOrEqual(20);
    // the read it replaces takes every pending file
    expect(await rowsRead(OLD_NEXT_DUE)).toBeGreaterThanOrEqual(3_000);
    const ms = await msUntilNextFetch(db.pool);
    // the first file's lease ends in 30 s, its next attempt is due in 60: the earliest of all
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
