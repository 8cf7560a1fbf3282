import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Checkpoint, RecordedEvent } from '../../src/application/ports/eventStore';
import type { ParleyEvent } from '../../src/domain';
import type { Pool } from 'pg';
import {
  applyEvent,
  applyEvents,
  createQueryIndexes,
  type Projection,
} from '../../src/projections/projection';
import { quoted, useSchema } from '../../src/projections/schema';
import { inTransaction } from '../../src/projections/transaction';
import { createTestDatabase, type TestDatabase } from './database';
import { tableRows } from './readModel';

/** One event of a projection spec's history, with the stream it was appended to. */
export type Given = Readonly<{ stream: string; event: ParleyEvent; recordedAt?: string }>;

export const inStream = (stream: string, ...events: ParleyEvent[]): Given[] =>
  events.map((event) => ({ stream, event }));

type Row = Record<string, unknown>;

let schemas = 0;

/**
 * Given/when/then for read models, on a real PostgreSQL:
 *
 *   const given = projectionSpec(dialogsProjection);
 *   it('counts messages', () =>
 *     given(...inStream('dialog-1', dialogOpened(), messageReceived()))
 *       .thenRows('dialogs', [{ dialog_id: DIALOG, messages_in: 1 }]));
 *
 * Each case builds the projection's tables in a schema of its own, applies the history as the
 * runner would (revisions per stream, in order, in one transaction), then compares the named
 * columns of every row of a table, whatever order PostgreSQL returns them in.
 */
export const projectionSpec = (projection: Projection) => {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  return (...history: (Given | Given[])[]) => {
    const events = recorded(history.flat());
    const build = async (): Promise<string> => {
      if (db === undefined) throw new Error('projectionSpec: the database is not ready');
      const schema = `spec_${projection.name}_${++schemas}`;
      await inTransaction(db.pool, async (client) => {
        await client.query(`CREATE SCHEMA ${quoted(schema)}`);
        await useSchema(client, schema);
        await projection.createTables(client);
        await createQueryIndexes(client, projection);
        await applyEvents(client, projection, events);
      });
      return schema;
    };
    return {
      /** the table holds exactly these rows (compared on their columns) */
      thenRows: async (table: string, expected: readonly Row[]): Promise<void> => {
        const schema = await build();
        const columns = [...new Set(expected.flatMap((row) => Object.keys(row)))];
        const rows = await rowsOf(schema, table, columns);
        expect(rows).toEqual(sorted(expected, columns));
      },
      /** the table has no row */
      thenNoRows: async (table: string): Promise<void> => {
        const schema = await build();
        expect(await rowsOf(schema, table, [])).toEqual([]);
      },
    };
  };

  async function rowsOf(schema: string, table: string, columns: readonly string[]): Promise<Row[]> {
    if (db === undefined) throw new Error('projectionSpec: the database is not ready');
    const list = columns.length === 0 ? '*' : columns.map(quoted).join(', ');
    const result = await db.pool.query<Row>(
      `SELECT ${list} FROM ${quoted(schema)}.${quoted(table)}`,
    );
    return sorted(result.rows, columns);
  }
};

/** A history as the store would record it: revisions per stream, positions in order. */
export const recorded = (history: readonly Given[]): RecordedEvent[] => {
  const revisions = new Map<string, bigint>();
  return history.map(({ stream, event, recordedAt }, i) => {
    const revision = revisions.get(stream) ?? 0n;
    revisions.set(stream, revision + 1n);
    const at = recordedAt ?? new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
    return {
      id: randomUUID(),
      streamId: stream,
      revision,
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: randomUUID(),
        causationId: null,
        actor: { type: 'system' },
        recordedAt: at,
        schemaVersion: 1,
      },
      checkpoint: String(i + 1) as Checkpoint,
      created: new Date(at),
    };
  });
};

/** both sides in one order, by the compared columns (JavaScript's, not the database's collation) */
const sorted = (rows: readonly Row[], columns: readonly string[]): Row[] =>
  [...rows].sort((a, b) => {
    for (const column of columns) {
      const x = comparable(a[column]);
      const y = comparable(b[column]);
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });

const comparable = (value: unknown): unknown =>
  value instanceof Date
    ? value.getTime()
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : value;

/** Every table of the projection, fresh in `schema`, after `apply`, row for row. */
const tablesAfter = async (
  pool: Pool,
  projection: Projection,
  schema: string,
  apply: (client: Parameters<typeof applyEvents>[0]) => Promise<void>,
): Promise<unknown[]> => {
  await inTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`);
    await client.query(`CREATE SCHEMA ${quoted(schema)}`);
    await useSchema(client, schema);
    await projection.createTables(client);
    await apply(client);
  });
  const tables = [];
  for (const table of projection.tables)
    tables.push({ table, rows: await tableRows(pool, schema, table) });
  return tables;
};

/**
 * `events` applied one handler call at a time and as the runner applies a batch (its runs
 * together, Projection.runs) leave the same tables. Returns how many neighbours the events
 * had in a run, so that a property can tell it tested runs.
 */
const expectRunsAsHandlers = async (
  pool: Pool,
  projection: Projection,
  events: readonly RecordedEvent[],
): Promise<number> => {
  const inRun = (e: RecordedEvent | undefined) =>
    projection.runs?.types.has(e?.type ?? '') === true;
  let neighbours = 0;
  for (let i = 1; i < events.length; i++)
    if (inRun(events[i]) && inRun(events[i - 1])) neighbours++;
  const oneByOne = await tablesAfter(pool, projection, 'runs_one_by_one', async (client) => {
    for (const event of events) await applyEvent(client, projection, event);
  });
  const together = await tablesAfter(pool, projection, 'runs_together', (client) =>
    applyEvents(client, projection, events),
  );
  expect(together).toEqual(oneByOne);
  return neighbours;
};

/**
 * The property of Projection.runs, as a test: every log `logs` generates leaves the same
 * tables applied one handler call at a time as applied in runs, and the logs held runs.
 */
export const itAppliesRunsAsHandlers = (
  projection: Projection,
  logs: fc.Arbitrary<readonly RecordedEvent[]>,
): void => {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('leaves the tables as the handlers one event after the other do', async () => {
    let neighbours = 0;
    await fc.assert(
      fc.asyncProperty(logs, async (events) => {
        if (db === undefined) throw new Error('the database is not ready');
        neighbours += await expectRunsAsHandlers(db.pool, projection, events);
      }),
      { numRuns: 60 },
    );
    // the property was about runs: most logs held some
    expect(neighbours).toBeGreaterThan(100);
  });
};

/** Recording times for generated logs: two a second apart and one a day later (ties and order). */
export const recordingTimes = fc.constantFrom(
  '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:01.000Z',
  '2026-01-02T10:00:00.000Z',
);

/**
 * Short texts that array literals and SQL must carry: quotes, backslashes, braces, commas,
 * NULL, Cyrillic and emoji, and the projection's own `extra` characters.
 */
export const awkwardText = (extra: readonly string[]): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...'ab Яя"\\{},NULL'.split(''), '😀', ...extra),
    maxLength: 12,
  });
