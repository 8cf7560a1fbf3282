import type { Pool } from 'pg';
import type { EventStore } from '../../src/application/ports/eventStore';
import { exportLines } from '../../src/infrastructure/audit/exportLog';
import type { ExportLine } from '../../src/infrastructure/audit/exportFormat';
import { importLog, StoreNotEmptyError } from '../../src/infrastructure/audit/importLog';
import { verifyExport, verifyLive } from '../../src/infrastructure/audit/verifyLog';
import { systemClock } from '../../src/infrastructure/clock';
import { EventStoreDbEventStore } from '../../src/infrastructure/eventstore/eventstoredb/eventStoreDbEventStore';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { allProjections } from '../../src/projections/allProjections';
import { buildShadow, dropShadow, rebuildProjection } from '../../src/projections/rebuild';
import { createTestDatabase } from '../support/database';
import { startFakeEventStoreDb, type FakeEventStoreDb } from '../support/fakeEventStoreDb/server';
import { notarizeAll, testSigningKey } from '../support/notary';
import { tableRows } from '../support/readModel';
import { eventually } from '../support/eventually';
import { mixedScenario } from '../support/scenario';
import { writer } from '../support/writer';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

async function* from(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

const collect = async (lines: AsyncIterable<string>): Promise<string[]> => {
  const all: string[] = [];
  for await (const line of lines) all.push(line.trimEnd());
  return all;
};

/** Every read model rebuilt from `store` into shadow schemas, row by row, by table. */
const readModelsOf = async (pool: Pool, store: EventStore): Promise<Record<string, unknown[]>> => {
  const rows: Record<string, unknown[]> = {};
  for (const projection of allProjections) {
    const { shadow } = await buildShadow({ pool, store, projection });
    for (const table of projection.tables) rows[table] = await tableRows(pool, shadow, table);
    await dropShadow(pool, projection);
  }
  return rows;
};

describe('export, offline verification and import', () => {
  const key = testSigningKey();
  const dbs: Db[] = [];
  const stores: EventStore[] = [];
  let source: Db;
  let sourceStore: PostgresEventStore;
  let exported: string[];
  let esdb: FakeEventStoreDb;

  const freshDb = async (): Promise<Db> => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db;
  };
  const events = () =>
    exported.map((l) => JSON.parse(l) as ExportLine).filter((l) => l.kind === 'event') as Extract<
      ExportLine,
      { kind: 'event' }
    >[];
  const verifyEdited = async (edit: (lines: string[]) => string[]) =>
    verifyExport(from(edit([...exported])), key.publicKey);
  const lineIndex = (predicate: (e: Extract<ExportLine, { kind: 'event' }>) => boolean): number =>
    exported.findIndex((l) => {
      const line = JSON.parse(l) as ExportLine;
      return line.kind === 'event' && predicate(line);
    });
  /** a stream with at least `n` events in the export */
  const streamWith = (n: number, prefix = ''): string => {
    const counts = new Map<string, number>();
    for (const e of events()) counts.set(e.stream, (counts.get(e.stream) ?? 0) + 1);
    return [...counts].find(([s, c]) => c >= n && s.startsWith(prefix))?.[0] as string;
  };
  const editLine =
    (index: number, change: (line: Record<string, unknown>) => void) => (lines: string[]) => {
      const line = JSON.parse(lines[index] as string) as Record<string, unknown>;
      change(line);
      lines[index] = JSON.stringify(line);
      return lines;
    };

  beforeAll(async () => {
    source = await freshDb();
    sourceStore = new PostgresEventStore(source.pool, { pollIntervalMs: 50 });
    stores.push(sourceStore);
    const w = writer(sourceStore);
    await mixedScenario(sourceStore, { seed: 7, steps: 150, writer: w });
    await notarizeAll(source.pool, sourceStore, key, w.lastPosition());
    exported = await collect(
      exportLines(
        {
          pool: source.pool,
          store: sourceStore,
          clock: systemClock,
          publicKey: key.publicKeyBase64,
        },
        { after: null },
      ),
    );
    esdb = await startFakeEventStoreDb();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await esdb?.stop();
    for (const db of dbs) await db.drop();
  });

  it('writes a header, every event with its record, the signed checkpoints and an end line', () => {
    const kinds = exported.map((l) => (JSON.parse(l) as ExportLine).kind);
    expect(kinds[0]).toBe('header');
    expect(kinds[kinds.length - 1]).toBe('end');
    expect(kinds).toContain('checkpoint');
    expect(events().length).toBeGreaterThan(200);
    expect(events().every((e) => e.digest !== null)).toBe(true);
  });

  it('verifies offline with the public key alone, and not with another key', async () => {
    const clean = await verifyExport(from(exported), key.publicKey);
    expect(clean).toMatchObject({ ok: true, findings: [], events_unsigned: 0 });
    const other = await verifyExport(from(exported), testSigningKey().publicKey);
    expect(other.ok).toBe(false);
    expect(other.findings.map((f) => f.kind)).toContain('checkpoint_mismatch');
  });

  it('names an event whose data was changed in the file', async () => {
    const i = lineIndex((e) => e.revision === '1');
    const target = JSON.parse(exported[i] as string) as Extract<ExportLine, { kind: 'event' }>;
    const report = await verifyEdited(editLine(i, (l) => (l.data = { forged: true })));
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'changed',
        stream: target.stream,
        revision: '1',
        fields: ['data'],
      }),
    ]);
  });

  it('names an event cut from the middle, from the end, and a whole stream cut', async () => {
    const middle = streamWith(3);
    const mid = await verifyEdited((lines) => {
      lines.splice(
        lineIndex((e) => e.stream === middle && e.revision === '1'),
        1,
      );
      return lines;
    });
    expect(mid.findings).toContainEqual(
      expect.objectContaining({ kind: 'deleted', where: 'middle', stream: middle, revision: '1' }),
    );

    const tailed = streamWith(2, 'contact-');
    const last = events()
      .filter((e) => e.stream === tailed)
      .pop();
    const end = await verifyEdited((lines) => {
      lines.splice(
        lineIndex((e) => e.id === last?.id),
        1,
      );
      return lines;
    });
    expect(end.findings).toContainEqual(
      expect.objectContaining({
        kind: 'deleted',
        where: 'end',
        stream: tailed,
        revision: last?.revision,
      }),
    );

    const gone = streamWith(2, 'dialog-');
    const whole = await verifyEdited((lines) =>
      lines.filter((l) => {
        const line = JSON.parse(l) as ExportLine;
        return line.kind !== 'event' || line.stream !== gone;
      }),
    );
    expect(whole.findings).toContainEqual(
      expect.objectContaining({ kind: 'stream_deleted', stream: gone }),
    );
    // what the cuts left is named too, never as a change of the remaining events
    for (const report of [mid, end, whole])
      expect(
        report.findings.filter((f) => !['deleted', 'stream_deleted'].includes(f.kind)),
      ).toEqual([]);
  });

  it('names a forged line inserted, and two events swapped', async () => {
    const i = lineIndex((e) => e.revision === '2');
    const forged = await verifyEdited((lines) => {
      const copy = JSON.parse(lines[i] as string) as Record<string, unknown>;
      lines.splice(
        i,
        0,
        JSON.stringify({ ...copy, stream: 'contact-forged', revision: '0', id: 'f', digest: null }),
      );
      return lines;
    });
    expect(forged.findings).toEqual([
      expect.objectContaining({ kind: 'inserted', stream: 'contact-forged' }),
    ]);

    const stream = streamWith(3);
    const a = lineIndex((e) => e.stream === stream && e.revision === '1');
    const b = lineIndex((e) => e.stream === stream && e.revision === '2');
    const swapped = await verifyEdited((lines) => {
      const [la, lb] = [JSON.parse(lines[a] as string), JSON.parse(lines[b] as string)];
      lines[a] = JSON.stringify({ ...lb, position: la.position, digest: la.digest });
      lines[b] = JSON.stringify({ ...la, position: lb.position, digest: lb.digest });
      return lines;
    });
    expect(swapped.findings).toEqual([
      expect.objectContaining({
        kind: 'swapped',
        stream,
        revision: '1',
        with: expect.objectContaining({ revision: '2' }),
      }),
    ]);
  });

  it('imports into an empty PostgreSQL store: rebuilt read models equal the source’s, row for row', async () => {
    const target = await freshDb();
    const store = new PostgresEventStore(target.pool);
    stores.push(store);
    const result = await importLog(store, from(exported));
    expect(result.events).toBe(events().length);
    // the gap-safe log shows the last commits once older transactions of the server end
    await eventually(
      async () => (await store.readAll({ maxCount: 10_000 })).events.length,
      (n) => n === events().length,
    );
    expect(await readModelsOf(target.pool, store)).toEqual(
      await readModelsOf(source.pool, sourceStore),
    );
    // ids, revisions and metadata kept: the same events, in the same order
    const again = events().map(({ stream, revision, id, type, data, metadata }) => ({
      stream,
      revision,
      id,
      type,
      data,
      metadata,
    }));
    const imported = (await store.readAll({ maxCount: 10_000 })).events.map((e) => ({
      stream: e.streamId,
      revision: e.revision.toString(),
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
    expect(imported).toEqual(again);

    // and refuses once it is not empty, appending nothing
    await expect(importLog(store, from(exported))).rejects.toBeInstanceOf(StoreNotEmptyError);
    expect((await store.readAll({ maxCount: 10_000 })).events).toHaveLength(events().length);
  });

  it('imports into an empty EventStoreDB (the protocol fake): rebuilt read models equal the source’s', async () => {
    const target = await freshDb();
    const store = await EventStoreDbEventStore.connect(esdb.url);
    stores.push(store);
    const imported = await importLog(store, from(exported));
    expect(await readModelsOf(target.pool, store)).toEqual(
      await readModelsOf(source.pool, sourceStore),
    );
    await expect(importLog(store, from(exported))).rejects.toBeInstanceOf(StoreNotEmptyError);
    // the new store gets a notary chain of its own, over EventStoreDB's positions
    await notarizeAll(target.pool, store, key, imported.checkpoint);
    expect(await verifyLive(target.pool, store, key.publicKey)).toMatchObject({
      ok: true,
      events_notarized: events().length,
    });
  });

  it('still verifies the source after its read models were rebuilt', async () => {
    for (const projection of allProjections)
      await rebuildProjection({
        pool: source.pool,
        store: sourceStore,
        projection,
        lock: 'acquire',
      });
    expect(await verifyLive(source.pool, sourceStore, key.publicKey)).toMatchObject({
      ok: true,
      findings: [],
    });
  });
});
