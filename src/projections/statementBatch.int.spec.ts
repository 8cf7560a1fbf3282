import fc from 'fast-check';
import { useTestDatabase } from '../../test/support/database';
import { StatementBatch } from './statementBatch';
import { inTransaction } from './transaction';

const INSERT = `INSERT INTO kinds (id, t, n, b, at, doc, tags) VALUES ($1, $2, $3, $4, $5, $6, $7)`;

/** values that a literal could get wrong: quotes, backslashes, unicode, nulls, types */
const rows: unknown[][] = [
  ['plain', 'Vasya', 42, true, '2026-01-15T10:00:00.123Z', { a: 1 }, ['x', 'y']],
  ['quotes', `O'Brien "the" \\ back\\slash`, -7, false, new Date('2026-02-01T00:00:00Z'), null, []],
  [
    'unicode',
    'Вася Пупкин 😀 \n\t$1 $$ --',
    9007199254740993n,
    null,
    null,
    { s: "it's" },
    ['a"b', 'c\\d', null],
  ],
  ['nulls', null, null, null, '2026-03-01 12:00:00+03', { list: [1, 'two'] }, null],
];

describe('statement batches: prepared once, executed together', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await db.pool.query(`
      CREATE SCHEMA one; CREATE SCHEMA two;
      CREATE TABLE kinds (id text PRIMARY KEY, t text, n numeric, b boolean, at timestamptz,
                          doc jsonb, tags text[]);
      CREATE TABLE one.items (n integer PRIMARY KEY);
      CREATE TABLE two.items (n integer PRIMARY KEY);`);
  });

  it('writes every kind of value exactly as a parameterised query does', async () => {
    await inTransaction(db.pool, async (client) => {
      const batch = new StatementBatch(client);
      for (const row of rows)
        await batch.client().query(INSERT, ['batched-' + String(row[0]), ...row.slice(1)]);
      await batch.flush();
    });
    for (const row of rows)
      await db.pool.query(INSERT, ['direct-' + String(row[0]), ...row.slice(1)]);
    const read = async (prefix: string) =>
      (
        await db.pool.query(
          `SELECT substr(id, length($1) + 1) AS id, t, n::text, b, at, doc, tags FROM kinds
           WHERE id LIKE $1 || '%' ORDER BY id`,
          [prefix],
        )
      ).rows;
    const batched = await read('batched-');
    expect(batched).toHaveLength(rows.length);
    expect(batched).toEqual(await read('direct-'));
  });

  it('writes any text and text array as a parameterised query does', async () => {
    // every code point PostgreSQL's text holds (no NUL), quotes and backslashes often
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom("'", '\\', '"', '{', '}', ',', ' E', 'NULL'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0'),
      ),
      maxLength: 16,
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.option(text), { maxLength: 5 }), async (t, tags) => {
        const id = `prop-${n++}`;
        await inTransaction(db.pool, async (client) => {
          const batch = new StatementBatch(client);
          await batch.client().query(INSERT, [`${id}-batched`, t, 1, null, null, null, tags]);
          await batch.flush();
        });
        const { rows: read } = await db.pool.query<{ t: string; tags: unknown }>(
          'SELECT t, tags FROM kinds WHERE id = $1',
          [`${id}-batched`],
        );
        expect(read).toEqual([{ t, tags: tags.map((x) => x ?? null) }]);
      }),
      { numRuns: 200 },
    );
  });

  it('sends queued writes before a read, which sees them', async () => {
    await inTransaction(db.pool, async (client) => {
      const batch = new StatementBatch(client);
      await batch.client().query('INSERT INTO kinds (id) VALUES ($1)', ['seen-by-read']);
      const found = await batch
        .client()
        .query<{ id: string }>('SELECT id FROM kinds WHERE id = $1', ['seen-by-read']);
      expect(found.rows).toEqual([{ id: 'seen-by-read' }]);
      await batch.flush();
    });
  });

  it('reports a failing write at the flush, and the transaction keeps none of the batch', async () => {
    const failed = inTransaction(db.pool, async (client) => {
      const batch = new StatementBatch(client);
      await batch.client().query('INSERT INTO kinds (id) VALUES ($1)', ['before-failure']);
      await batch.client().query('INSERT INTO kinds (id) VALUES ($1)', ['plain-dup']);
      await batch.client().query('INSERT INTO kinds (id) VALUES ($1)', ['plain-dup']);
      await batch.flush();
    });
    await expect(failed).rejects.toThrow(/duplicate key/);
    const left = await db.pool.query(
      `SELECT id FROM kinds WHERE id IN ('before-failure', 'plain-dup')`,
    );
    expect(left.rows).toEqual([]);
  });

  it('follows search_path: one prepared statement, two schemas', async () => {
    const client = await db.pool.connect();
    try {
      for (const [schema, n] of [
        ['one', 1],
        ['two', 2],
        ['one', 3],
      ] as const) {
        await client.query(`SET search_path TO ${schema}`);
        const batch = new StatementBatch(client);
        await batch.client().query('INSERT INTO items (n) VALUES ($1)', [n]);
        await batch.flush();
      }
    } finally {
      await client.query('RESET search_path');
      client.release();
    }
    const items = async (schema: string) =>
      (await db.pool.query<{ n: number }>(`SELECT n FROM ${schema}.items ORDER BY n`)).rows.map(
        (r) => r.n,
      );
    expect(await items('one')).toEqual([1, 3]);
    expect(await items('two')).toEqual([2]);
  });

  it('sends a long batch in parts, in order', async () => {
    const big = 'x'.repeat(300_000);
    const sent: string[] = [];
    await inTransaction(db.pool, async (client) => {
      // watch what reaches the connection
      const watched = new Proxy(client, {
        get: (target, property, receiver) =>
          property === 'query'
            ? (text: unknown, ...rest: unknown[]) => {
                if (typeof text === 'string' && text.startsWith('EXECUTE')) sent.push(text);
                return (target.query as (...args: unknown[]) => unknown).call(
                  target,
                  text,
                  ...rest,
                );
              }
            : (Reflect.get(target, property, receiver) as unknown),
      });
      const batch = new StatementBatch(watched);
      for (let i = 0; i < 8; i++)
        await batch.client().query('INSERT INTO kinds (id, t) VALUES ($1, $2)', [`big-${i}`, big]);
      await batch.flush();
    });
    expect(sent.length).toBeGreaterThan(1);
    expect(Math.max(...sent.map((s) => s.length))).toBeLessThan(1_400_000);
    const rows = await db.pool.query<{ id: string; n: number }>(
      `SELECT id, length(t) AS n FROM kinds WHERE id LIKE 'big-%' ORDER BY id`,
    );
    expect(rows.rows).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ id: `big-${i}`, n: 300_000 })),
    );
  });
});
