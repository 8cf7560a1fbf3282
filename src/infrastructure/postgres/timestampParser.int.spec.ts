import fc from 'fast-check';
import { Client, types } from 'pg';
import { useTestDatabase } from '../../../test/support/database';
import { parleyTypes, parseTimestamptz } from './timestampParser';

/** pg's own parser (postgres-date), the one parseTimestamptz must agree with */
const postgresDate = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (
  text: string,
) => unknown;

const time = (value: unknown): number | string =>
  value instanceof Date ? value.getTime() : String(value);

/** what postgres-date reads and what parseTimestamptz reads, for a text */
const both = (text: string) => [time(parseTimestamptz(text)), time(postgresDate(text))];

describe('the timestamptz parser of Parley’s pools', () => {
  const db = useTestDatabase({ migrate: false, poolSize: 2 });

  it('reads every instant PostgreSQL writes as postgres-date does, whatever the session’s zone', async () => {
    // a client that leaves the text alone: the texts are what PostgreSQL wrote
    const client = new Client({
      connectionString: db.connectionString,
      types: { getTypeParser: () => (text: string) => text },
    });
    await client.connect();
    try {
      // whole hours, half hours, a quarter and the seconds of local mean time before 1900
      for (const zone of [
        'UTC',
        'Europe/Moscow',
        'Asia/Kolkata',
        'America/St_Johns',
        'Asia/Kathmandu',
        'Europe/Amsterdam',
        'Pacific/Kiritimati',
      ]) {
        await client.query(`SET TimeZone = '${zone}'`);
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.tuple(
                fc.date({
                  min: new Date('1800-01-01T00:00:00Z'),
                  max: new Date('9990-01-01T00:00:00Z'),
                  noInvalidDate: true,
                }),
                fc.integer({ min: 0, max: 999 }),
              ),
              { minLength: 1, maxLength: 50 },
            ),
            async (instants) => {
              // microseconds too, which PostgreSQL keeps and a Date cuts
              const { rows } = await client.query<{ t: string }>(
                `SELECT (at::timestamptz + make_interval(secs => m / 1000000.0))::text AS t
                 FROM unnest($1::text[], $2::int[]) AS u(at, m)`,
                [instants.map(([d]) => d.toISOString()), instants.map(([, m]) => m)],
              );
              for (const { t } of rows) {
                const [ours, theirs] = both(t);
                expect({ t, ours }).toEqual({ t, ours: theirs });
              }
            },
          ),
          { numRuns: 20 },
        );
      }
    } finally {
      await client.end();
    }
  });

  it('is the parser of the pool: a timestamptz column comes back as the same Date', async () => {
    const at = new Date('2026-12-03T12:34:56.789Z');
    const { rows } = await db.pool.query<{ at: Date; zone: string }>(
      `SELECT $1::timestamptz AS at, current_setting('TimeZone') AS zone`,
      [at.toISOString()],
    );
    expect(rows[0]?.at).toBeInstanceOf(Date);
    expect(rows[0]?.at.getTime()).toBe(at.getTime());
    expect((db.pool as unknown as { options: { types?: unknown } }).options.types).toBe(
      parleyTypes,
    );
  });

  it('agrees with postgres-date on texts PostgreSQL writes rarely or never (BC, infinity, other forms)', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0044-03-15 12:00:00+00 BC',
      '12345-01-01 00:00:00+00',
      '2026-12-03 12:34:56.789Z',
      '2026-12-03 12:34:56',
      '2026-12-03 12:34:56.1234567+05:30',
      '2026-12-03 12:34:56+05:30:15',
    ])
      expect(both(text)[0]).toEqual(both(text)[1]);
  });
});
