import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allProjections } from '../src/projections/allProjections';
import { RUNNER_TABLES } from '../src/projections/schema';
import { ROOT } from './support/process';
import { useReadModelWorld } from './support/readModel';
import { mixedScenario } from './support/scenario';

const doc = readFileSync(path.join(ROOT, 'docs', 'read-models.md'), 'utf8');

/** Every ```sql block of the document. */
const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/** The columns each `### \`table\`` section documents, from the first cell of its table. */
const documentedColumns = (): Map<string, string[]> => {
  const sections = doc.split(/^### /m).slice(1);
  return new Map(
    sections.flatMap((section) => {
      const table = /^`([a-z_]+)`/.exec(section)?.[1];
      if (table === undefined) return [];
      const columns = [...section.matchAll(/^\| `([a-z0-9_]+)`/gm)].map((m) => m[1] as string);
      return [[table, columns] as [string, string[]]];
    }),
  );
};

describe('docs/read-models.md', () => {
  const world = useReadModelWorld();
  beforeAll(async () => {
    await mixedScenario(world.store, { seed: 99, steps: 300, writer: world.w });
    await world.caughtUp();
  });

  it('documents every table and every column there is, and nothing else', async () => {
    const actual = await world.pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'read_model' ORDER BY table_name, ordinal_position`,
    );
    const tables = new Map<string, string[]>();
    for (const row of actual.rows) {
      tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
    }
    const owned = allProjections.flatMap((p) => p.tables).concat(RUNNER_TABLES);
    expect([...tables.keys()].sort()).toEqual([...owned].sort());
    expect(documentedColumns()).toEqual(tables);
  });

  it('has example queries that run, and answer', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const sql of examples) {
      const result = await world.pool.query(sql).catch((error: Error) => {
        throw new Error(`${error.message} in:\n${sql}`);
      });
      // "this week" depends on today; the scenario's history is older
      if (!sql.includes("date_trunc('week', now())")) {
        expect({ sql, answered: result.rows.length > 0 }).toEqual({ sql, answered: true });
      }
    }
  });
});
