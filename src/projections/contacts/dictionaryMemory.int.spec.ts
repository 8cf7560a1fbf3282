import fc from 'fast-check';
import { useReadModelWorld } from '../../../test/support/readModel';
import { createChannel, createContact, mergeContacts } from '../../../test/support/writer';
import { rebuildProjection } from '../rebuild';
import { inTransaction } from '../transaction';
import { CASCADE, searchContacts } from './contactSearch';
import { contactsProjection } from './contactsProjection';
import { eraseWords } from './contactWords';
import { DictionaryMemory } from './dictionaryMemory';

const FIRST = ['anna', 'anya', 'olga', 'oleg', 'kira'];
const SYLLABLES = ['ka', 'ro', 'vin', 'pet', 'sha', 'mi', 'lov'];
const PAGE = { limit: 5, offset: 0 };

describe('what a process remembers of the search dictionary', () => {
  const world = useReadModelWorld();
  let channelId = '';
  beforeAll(async () => {
    channelId = await createChannel(world.w, 'Avito');
    // the contacts tables exist before the first search: a run may start with one
    await world.caughtUp();
  });

  /** A search that remembers against one that starts with nothing, page for page. */
  const expectSameAsFresh = async (memory: DictionaryMemory, q: string): Promise<void> => {
    const page = async (m: DictionaryMemory) => {
      const { items, more } = await searchContacts(world.pool, q, PAGE, CASCADE, m);
      return { q, items: items.map((c) => [c.contactId, c.score]), more };
    };
    const remembering = await page(memory);
    expect(remembering).toEqual(await page(new DictionaryMemory()));
  };

  it('given contacts created between searches, then a search that remembers answers as one that does not', async () => {
    const name = fc
      .tuple(
        fc.constantFrom(...FIRST),
        fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 4 }),
        fc.constantFrom('ov', 'ova', 'ina'),
      )
      .map(([first, family, end]) => `${first} ${family.join('')}${end}`);
    // a query: a name as created, or with a letter dropped (a typo), or its family name alone
    const query = fc
      .tuple(name, fc.nat(), fc.constantFrom('whole', 'typo', 'family'))
      .map(([n, i, kind]) => {
        if (kind === 'family') return n.split(' ')[1] ?? n;
        if (kind === 'whole') return n;
        const at = 1 + (i % (n.length - 2));
        return n.slice(0, at) + n.slice(at + 1);
      });
    const step = fc.oneof(
      fc.record({ create: fc.array(name, { minLength: 1, maxLength: 3 }) }),
      fc.record({ search: query }),
      fc.record({ merge: fc.nat() }),
    );
    const created: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 12 }), async (steps) => {
        // a memory per run, small enough that words also leave it
        const memory = new DictionaryMemory(8);
        for (const s of steps) {
          if ('create' in s) {
            for (const n of s.create) created.push(await createContact(world.w, channelId, n, []));
            await world.caughtUp();
          } else if ('merge' in s) {
            if (created.length < 2) continue;
            const [survivor, merged] = [created.pop(), created.pop()] as [string, string];
            await mergeContacts(world.w, survivor, [merged]);
            created.push(survivor);
            await world.caughtUp();
          } else {
            await expectSameAsFresh(memory, s.search);
            // searched twice: the second from what the first remembered
            await expectSameAsFresh(memory, s.search);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('given a remembered word, when a look-alike word is added, then the next search finds its contact among the words added since', async () => {
    const memory = new DictionaryMemory();
    await createContact(world.w, channelId, 'Zoya Berkutova', []);
    await world.caughtUp();
    await searchContacts(world.pool, 'berkutova', PAGE, CASCADE, memory);
    expect(memory.hints('berkutova').words).toEqual(['berkutova']);

    const lookAlike = await createContact(world.w, channelId, 'Zoya Berkutovaya', []);
    await world.caughtUp();
    const { items } = await searchContacts(world.pool, 'berkutova', PAGE, CASCADE, memory);
    expect(items.map((c) => c.contactId)).toContain(lookAlike);
    await expectSameAsFresh(memory, 'berkutova');
  });

  it('given remembered words, when words leave the dictionary (an erasure) or the read model is rebuilt, then the memory starts afresh', async () => {
    const memory = new DictionaryMemory();
    const erased = await createContact(world.w, channelId, 'Yefim Solovyanov', []);
    await createContact(world.w, channelId, 'Yefim Solovyanova', []);
    await world.caughtUp();
    await searchContacts(world.pool, 'solovyanov', PAGE, CASCADE, memory);
    const before = memory.hints('solovyanov').epoch;
    expect(before).not.toBeNull();

    // what ContactErased does to the words: 'solovyanov' leaves the dictionary
    await inTransaction(world.pool, (db) =>
      db.query('SET LOCAL search_path = read_model, public').then(() => eraseWords(db, [erased])),
    );
    await expectSameAsFresh(memory, 'solovyanov');
    const erasedEpoch = memory.hints('solovyanov').epoch;
    expect(erasedEpoch).not.toEqual(before);

    await rebuildProjection({
      pool: world.pool,
      store: world.store,
      projection: contactsProjection,
      lock: 'acquire',
    });
    await expectSameAsFresh(memory, 'solovyanov');
    expect(memory.hints('solovyanov').epoch).not.toEqual(erasedEpoch);
  });

  // last: it takes the memory's table and column away from this world's read model
  it('given a read model of the version before (no epoch, no order of addition) that a rebuild is replacing, then search still answers, remembering nothing', async () => {
    const memory = new DictionaryMemory();
    const expected = await searchContacts(world.pool, 'berkutova', PAGE, CASCADE, memory);
    expect(expected.items.length).toBeGreaterThan(0);
    await world.stopRunners();
    await world.pool.query(
      'ALTER TABLE read_model.search_words DROP COLUMN added; DROP TABLE read_model.search_dictionary',
    );
    const older = new DictionaryMemory();
    const answer = await searchContacts(world.pool, 'berkutova', PAGE, CASCADE, older);
    expect(answer.items.map((c) => c.contactId)).toEqual(expected.items.map((c) => c.contactId));
    expect(older.size).toBe(0);
    // and a memory from before forgets nothing it could not check: it is not used
    const again = await searchContacts(world.pool, 'berkutova', PAGE, CASCADE, memory);
    expect(again.items.map((c) => c.contactId)).toEqual(expected.items.map((c) => c.contactId));
  });
});
