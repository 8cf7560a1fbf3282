import fc from 'fast-check';
import { createPool } from '../../infrastructure/postgres/pool';
import { useReadModelWorld } from '../../../test/support/readModel';
import { mixedScenario } from '../../../test/support/scenario';
import { DIALOG_TEXT } from './dialogsProjection';
import {
  listDialogs,
  rowsRead,
  textPage,
  type DialogFilter,
  type DialogPosition,
  type TextPageTier,
} from './dialogQueries';

/**
 * The dialog list as one statement with every filter as `$n IS NULL OR …` (main before issue
 * 16's statement per filter combination): what each page must still answer.
 */
const REFERENCE = `SELECT d.dialog_id, d.updated_at FROM read_model.dialogs d
  WHERE ($1::text IS NULL OR d.channel_id = $1)
    AND ($2::text IS NULL OR d.status = $2)
    AND ($3::text IS NULL OR d.reference = $3)
    AND ($4::text IS NULL OR d.contact_id = coalesce(
          (SELECT a.survivor_id FROM read_model.dialog_contact_aliases a WHERE a.merged_id = $4),
          $4))
    AND ($5::text IS NULL OR d.assignee_id = $5)
    AND ($6::timestamptz IS NULL OR d.updated_at >= $6)
    AND ($7::timestamptz IS NULL OR (d.updated_at, d.dialog_id) < ($7, $8::text))
    AND ($10::boolean IS NULL OR (d.assignee_id IS NOT NULL) = $10)
    AND ($11::boolean IS NULL OR (d.status = 'open' AND d.last_message_direction = 'incoming') = $11)
    AND ($12::text IS NULL OR d.dialog_id IN (
          SELECT t.dialog_id FROM read_model.dialogs t WHERE ${DIALOG_TEXT} LIKE $12
          UNION
          SELECT t.dialog_id FROM read_model.contacts tc
          JOIN read_model.dialogs t ON t.contact_id = tc.contact_id WHERE tc.search_text LIKE $12
          UNION
          SELECT t.dialog_id FROM read_model.contact_data cd
          JOIN read_model.dialogs t ON t.contact_id = cd.contact_id WHERE cd.value_search LIKE $12))
  ORDER BY d.updated_at DESC, d.dialog_id DESC
  LIMIT $9`;

const LIMIT = 4;

describe('the dialog list, a statement per combination of filters', () => {
  const world = useReadModelWorld();

  it('answers every page of every filter exactly as the one statement with every filter did', async () => {
    // given a long mixed history: merges, deletions, replies, assignments, closes, reopens
    const scenario = await mixedScenario(world.store, {
      seed: 20261202,
      steps: 300,
      writer: world.w,
    });
    await world.caughtUp();
    const { rows: values } = await world.pool.query<{
      assignee_id: string | null;
      reference: string | null;
      contact_id: string;
      updated_at: Date;
    }>(
      'SELECT assignee_id, reference, contact_id, updated_at FROM read_model.dialogs ORDER BY dialog_id',
    );
    const assignees = [
      ...new Set(values.flatMap((v) => (v.assignee_id === null ? [] : [v.assignee_id]))),
    ];
    expect(assignees.length).toBeGreaterThan(1);
    const reference = values.find((v) => v.reference !== null)?.reference as string;
    const median = values.map((v) => v.updated_at).sort((a, b) => a.getTime() - b.getTime())[
      Math.floor(values.length / 2)
    ] as Date;
    const [channel, other] = scenario.channels as [string, string];
    const merged = scenario.contacts.find((c) => c.status === 'gone')?.contactId as string;
    const owner = values[0]?.contact_id as string;

    const singles: DialogFilter[] = [
      {},
      { channelId: channel },
      { channelId: other },
      { status: 'open' },
      { status: 'closed' },
      { reference },
      { reference, channelId: channel },
      { contactId: owner },
      { contactId: merged },
      { assigneeId: assignees[0] as string },
      { assigned: true },
      { assigned: false },
      { waiting: true },
      { waiting: false },
      { updatedSince: median },
      { search: 'order' },
      { search: 'vasya' },
      { search: 'ext-' },
      { search: '100%_' },
    ];
    const pairs: DialogFilter[] = [
      { channelId: channel, status: 'open' },
      { assigneeId: assignees[1] as string, status: 'open' },
      { assigned: false, waiting: true },
      { status: 'closed', waiting: false, search: 'o' },
      { channelId: other, assigned: true, updatedSince: median },
      { contactId: owner, status: 'open', search: 'order' },
    ];

    // when each is listed page by page, after each page's cursor
    for (const filter of [...singles, ...pairs]) {
      let after: DialogPosition | null = null;
      for (let pages = 0; ; pages++) {
        const page = await listDialogs(world.pool, filter, { limit: LIMIT, after });
        const { rows } = await world.pool.query<{ dialog_id: string; updated_at: Date }>(
          REFERENCE,
          [
            filter.channelId ?? null,
            filter.status ?? null,
            filter.reference ?? null,
            filter.contactId ?? null,
            filter.assigneeId ?? null,
            filter.updatedSince ?? null,
            after?.updatedAt ?? null,
            after?.dialogId ?? null,
            LIMIT + 1,
            filter.assigned ?? null,
            filter.waiting ?? null,
            filter.search === undefined
              ? null
              : `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
          ],
        );
        // then the same dialogs, in the same order, and the same answer to "is there more"
        expect({ filter, pages, ids: page.items.map((d) => d.dialogId), more: page.more }).toEqual({
          filter,
          pages,
          ids: rows.slice(0, LIMIT).map((r) => r.dialog_id),
          more: rows.length > LIMIT,
        });
        const last = page.items[page.items.length - 1];
        if (!page.more || last === undefined) break;
        after = { updatedAt: last.updatedAt, dialogId: last.dialogId };
      }
    }
  });

  it('answers a first page of every size as the one statement did', async () => {
    // the scenario above wrote more dialogs than the largest page below
    for (const filter of [{}, { status: 'open' }] as DialogFilter[])
      for (const limit of [1, 9, 10, 11, 20, 25, 26, 49, 50, 51, 100, 101, 150, 200, 250]) {
        const page = await listDialogs(world.pool, filter, { limit, after: null });
        const { rows } = await world.pool.query<{ dialog_id: string }>(
          `SELECT d.dialog_id FROM read_model.dialogs d WHERE $1::text IS NULL OR d.status = $1
           ORDER BY d.updated_at DESC, d.dialog_id DESC LIMIT $2`,
          [filter.status ?? null, limit + 1],
        );
        expect({ limit, ids: page.items.map((d) => d.dialogId), more: page.more }).toEqual({
          limit,
          ids: rows.slice(0, limit).map((r) => r.dialog_id),
          more: rows.length > limit,
        });
      }
    // and a handful of statements per combination of filters, whatever the page's size
    const sizes = new Set(Array.from({ length: 200 }, (_, i) => rowsRead(i + 1)));
    expect(sizes.size).toBeLessThanOrEqual(6);
  });

  it("given any text, as many dialogs hold it or as few, then every page of it is the one statement's, whichever way it was found", async () => {
    // texts cut from what the list searches: titles, references, last messages, contact
    // names and data (so some are in most dialogs, some in one), and texts of any characters
    const { rows: sources } = await world.pool.query<{ text: string }>(
      `SELECT ${DIALOG_TEXT} AS text FROM read_model.dialogs
       UNION SELECT search_text FROM read_model.contacts WHERE search_text IS NOT NULL
       UNION SELECT value_search FROM read_model.contact_data`,
    );
    const texts = sources.map((r) => r.text).filter((t) => t.length > 0);
    const cut = fc
      .tuple(fc.constantFrom(...texts), fc.nat(), fc.integer({ min: 1, max: 6 }))
      .map(([text, start, length]) => {
        const from = start % text.length;
        return text.slice(from, from + length);
      });
    const tiers = new Map<TextPageTier, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: cut }, fc.string({ minLength: 1, maxLength: 3 })),
        fc.constantFrom<DialogFilter>({}, { status: 'open' }, { assigned: false }),
        fc.integer({ min: 1, max: 12 }),
        async (search, others, limit) => {
          const filter = { ...others, search };
          let after: DialogPosition | null = null;
          for (let pages = 0; ; pages++) {
            const page = await listDialogs(world.pool, filter, { limit, after });
            const tier = (await textPage(world.pool, filter, after, rowsRead(limit))).tier;
            tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
            const { rows } = await world.pool.query<{ dialog_id: string }>(REFERENCE, [
              null,
              filter.status ?? null,
              null,
              null,
              null,
              null,
              after?.updatedAt ?? null,
              after?.dialogId ?? null,
              limit + 1,
              filter.assigned ?? null,
              null,
              `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
            ]);
            expect({
              search,
              pages,
              ids: page.items.map((d) => d.dialogId),
              more: page.more,
            }).toEqual({
              search,
              pages,
              ids: rows.slice(0, limit).map((r) => r.dialog_id),
              more: rows.length > limit,
            });
            const last = page.items[page.items.length - 1];
            if (!page.more || last === undefined) break;
            after = { updatedAt: last.updatedAt, dialogId: last.dialogId };
          }
        },
      ),
      { numRuns: 60, seed: 20261203 },
    );
    // and the three ways were each taken, so each was held to the reference
    expect([...tiers.keys()].sort()).toEqual(['first window', 'indexes', 'second window']);
  });

  it('runs on a generic plan once PostgreSQL has seen five runs: not planned at every page', async () => {
    // an inbox of thousands, where a page is a sliver of the table (copies of the scenario's
    // dialogs, last in this file): on the scenario's few, any plan costs next to nothing
    await world.pool.query(`
      INSERT INTO read_model.dialogs
      SELECT (jsonb_populate_record(d, jsonb_build_object(
        'dialog_id', d.dialog_id || '-' || g, 'reference', NULL))).*
      FROM read_model.dialogs d, generate_series(1, 100) g`);
    await world.pool.query('ANALYZE read_model.dialogs');
    // one connection, so that its prepared statements are the ones counted
    const pool = createPool({ connectionString: world.connectionString, max: 1 });
    try {
      const filters: DialogFilter[] = [
        {},
        { status: 'open' },
        { waiting: true },
        { assigned: false },
      ];
      for (let run = 0; run < 10; run++)
        for (const filter of filters) await listDialogs(pool, filter, { limit: 50, after: null });
      const { rows } = await pool.query<{ name: string; generic: string; custom: string }>(
        `SELECT name, generic_plans AS generic, custom_plans AS custom
         FROM pg_prepared_statements WHERE name LIKE 'dialog-list-%'`,
      );
      expect(rows).toHaveLength(filters.length);
      // LIMIT $n kept PostgreSQL on custom plans, planned again at every run
      for (const { name, generic, custom } of rows)
        expect({ name, replanned: Number(custom) > 5, generic: Number(generic) >= 5 }).toEqual({
          name,
          replanned: false,
          generic: true,
        });
    } finally {
      await pool.end();
    }
  });
});
