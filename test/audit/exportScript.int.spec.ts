import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportLines } from '../../src/infrastructure/audit/exportLog';
import { systemClock } from '../../src/infrastructure/clock';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createTestDatabase } from '../support/database';
import { notarizeAll, testSigningKey } from '../support/notary';
import { mixedScenario } from '../support/scenario';
import { writer } from '../support/writer';

const run = promisify(execFile);

/** The script docs/audit.md gives auditors, taken from the page itself. */
const documentedScript = async (): Promise<string> => {
  const doc = await readFile(path.join(__dirname, '..', '..', 'docs', 'audit.md'), 'utf8');
  const from = doc.indexOf('<!-- check-export.mjs');
  const block = /```js\n([\s\S]*?)```/.exec(doc.slice(from));
  if (from < 0 || block === null) throw new Error('docs/audit.md has no check-export.mjs block');
  return block[1] as string;
};

describe('the export check of docs/audit.md', () => {
  const key = testSigningKey();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dir: string;
  let lines: string[];
  const check = async (content: string): Promise<{ code: number; out: string }> => {
    const file = path.join(dir, 'log.ndjson');
    await writeFile(file, content);
    try {
      const { stdout } = await run(process.execPath, [
        path.join(dir, 'check-export.mjs'),
        file,
        key.publicKeyBase64,
      ]);
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, out: failed.stdout };
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-script-'));
    await writeFile(path.join(dir, 'check-export.mjs'), await documentedScript());
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    const w = writer(store);
    await mixedScenario(store, { seed: 5, steps: 40, writer: w });
    await notarizeAll(db.pool, store, key, w.lastPosition());
    lines = [];
    const exported = exportLines(
      { pool: db.pool, store, clock: systemClock, publicKey: key.publicKeyBase64 },
      { after: null },
    );
    for await (const line of exported) lines.push(line);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes an untouched export', async () => {
    expect(await check(lines.join(''))).toMatchObject({
      code: 0,
      out: expect.stringContaining('ok:'),
    });
  });

  it('fails an export with an event changed, cut, or the end cut off', async () => {
    const i = lines.findIndex((l) => l.includes('"kind":"event"')) + 3;
    const changed = [...lines];
    changed[i] =
      `${JSON.stringify({ ...JSON.parse(changed[i] as string), data: { forged: true } })}\n`;
    expect((await check(changed.join(''))).code).toBe(1);
    expect((await check(lines.filter((_, k) => k !== i).join(''))).code).toBe(1);
    expect((await check(lines.slice(0, -1).join(''))).code).toBe(1);
  });
});
