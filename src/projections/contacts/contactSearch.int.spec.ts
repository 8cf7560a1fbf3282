import fc from 'fast-check';
import { useReadModelWorld } from '../../../test/support/readModel';
import { createChannel, createContact, customItem, phoneItem } from '../../../test/support/writer';
import {
  CASCADE,
  matchDictionary,
  SEARCH,
  searchContacts,
  stepValues,
  useSearchThreshold,
} from './contactSearch';

describe('contact search, thresholds in cascade', () => {
  const world = useReadModelWorld();
  beforeAll(async () => {
    const { w } = world;
    const channelId = await createChannel(w, 'Avito');
    // many near names, so that a high threshold fills a page, and a tail only 0.4 finds
    const names = [
      ...Array.from({ length: 14 }, (_, i) => `Anastasia Karovinova ${i}`),
      ...Array.from({ length: 6 }, (_, i) => `Anastasia Karpova ${i}`),
      ...Array.from({ length: 6 }, (_, i) => `Anastas Ivanov ${i}`),
      'Kira Karovina',
      'Boris Godunov',
    ];
    for (const [i, name] of names.entries()) {
      await createContact(w, channelId, name, [
        customItem(w, channelId, `shop-user-${1000 + i}`),
        phoneItem(w, `+7916${String(1_000_000 + i * 37).slice(-7)}`),
      ]);
    }
    await world.caughtUp();
  });

  it.each([
    'anastasia karovinova',
    'anastasa karovinova',
    'karovinova',
    'shop-user-1007',
    '916 100',
    'anastasia',
  ])('pages exactly as a search at 0.4 alone does: "%s"', async (q) => {
    for (const page of [
      { limit: 3, offset: 0 },
      { limit: 5, offset: 5 },
      { limit: 10, offset: 12 },
      { limit: 50, offset: 0 },
    ]) {
      const cascaded = await searchContacts(world.pool, q, page);
      const plain = await searchContacts(world.pool, q, page, [0.4]);
      expect({
        q,
        page,
        ids: cascaded.items.map((c) => [c.contactId, c.score]),
        more: cascaded.more,
      }).toEqual({
        q,
        page,
        ids: plain.items.map((c) => [c.contactId, c.score]),
        more: plain.more,
      });
    }
  });

  /** Each cascade step's page of `q`, its other words looked up per candidate and read by word. */
  const bothForms = async (q: string) => {
    const client = await world.pool.connect();
    const steps: { threshold: number; lookedUp: unknown[]; byWord: unknown[] }[] = [];
    try {
      await client.query('BEGIN');
      const found = await matchDictionary(client, q, { limit: 50, offset: 0 });
      for (const threshold of CASCADE) {
        const values = stepValues(found, threshold, { limit: 50, offset: 0 });
        const page = async (byWord: boolean) =>
          (
            await client.query<{ contact_id: string; score: number }>(SEARCH, [
              ...values.slice(0, -1),
              byWord,
            ])
          ).rows.map((r) => [r.contact_id, r.score]);
        steps.push({ threshold, lookedUp: await page(false), byWord: await page(true) });
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    return steps;
  };

  it.each([
    'anastasia karovinova',
    'anastasa karovinova',
    'kira karovina',
    'anastas shop 1007',
    // six words, as many as a query has (MAX_WORDS); and one word, which has no other
    'anastasia karovinova 7 shop user 1007',
    'karovinova',
  ])(
    'given "%s", when the other words are read by word against the candidates instead of looked up per candidate, then every step answers the same page',
    async (q) => {
      const steps = await bothForms(q);
      for (const { threshold, lookedUp, byWord } of steps)
        expect({ threshold, rows: byWord }).toEqual({ threshold, rows: lookedUp });
      expect(steps.find((s) => s.threshold === 0.4)?.lookedUp.length).toBeGreaterThan(0);
    },
  );

  it('given any query of the contacts’ words, misspelt or not, then both ways of finding the other words answer the same pages', async () => {
    const words = ['anastasia', 'karovinova', 'karpova', 'anastas', 'ivanov', 'kira', 'karovina'];
    const word = fc.oneof(
      fc.constantFrom(...words, 'boris', 'godunov', 'shop', 'user', '1007', '7', '916'),
      // a letter dropped or doubled, as operators type them
      fc.tuple(fc.constantFrom(...words), fc.nat(), fc.boolean()).map(([w, i, drop]) => {
        const at = 1 + (i % (w.length - 1));
        return w.slice(0, at) + (drop ? '' : (w[at] ?? '')) + w.slice(at + 1);
      }),
    );
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 4 }), async (query) => {
        const q = query.join(' ');
        for (const { threshold, lookedUp, byWord } of await bothForms(q)) {
          expect({ q, threshold, rows: byWord }).toEqual({ q, threshold, rows: lookedUp });
          hits += lookedUp.length;
        }
      }),
      { numRuns: 40 },
    );
    // the queries found contacts: the comparison was not of empty pages
    expect(hits).toBeGreaterThan(0);
  });

  it('given a phone number’s part that more contacts hold than a page, when paged, then each page is its slice of the whole list', async () => {
    // the phone hits are found once, only as many as the page needs: the lowest contact ids
    const whole = await searchContacts(world.pool, '916 100', { limit: 50, offset: 0 });
    expect(whole.items.length).toBeGreaterThan(20);
    for (const page of [
      { limit: 3, offset: 0 },
      { limit: 5, offset: 5 },
      { limit: 10, offset: 12 },
    ]) {
      const paged = await searchContacts(world.pool, '916 100', page);
      expect(paged.items.map((c) => c.contactId)).toEqual(
        whole.items.slice(page.offset, page.offset + page.limit).map((c) => c.contactId),
      );
      expect(paged.more).toBe(whole.items.length > page.offset + page.limit);
    }
  });

  it('given a connection whose threshold was set inside a transaction that rolled back, when it searches again outside one, then its session has the threshold again', async () => {
    const { Client } = await import('pg');
    // a connection of its own: the pool's may have had the threshold set already
    const client = new Client({ connectionString: world.connectionString });
    await client.connect();
    const threshold = async () =>
      (
        await client.query<{ t: string }>(
          `SELECT current_setting('pg_trgm.word_similarity_threshold', true) AS t`,
        )
      ).rows[0]?.t;
    try {
      await client.query('BEGIN');
      await useSearchThreshold(client);
      expect(await threshold()).toBe('0.4');
      await client.query('ROLLBACK');
      // what the transaction set went with it
      expect(await threshold()).not.toBe('0.4');
      await useSearchThreshold(client);
      expect(await threshold()).toBe('0.4');
      // and it lasts the session: a transaction that sets its own leaves it as it was
      await client.query('BEGIN');
      await client.query(`SELECT set_config('pg_trgm.word_similarity_threshold', '0.9', true)`);
      await client.query('COMMIT');
      expect(await threshold()).toBe('0.4');
    } finally {
      await client.end();
    }
  });

  it('given two searches on one connection, then neither opens a transaction and only the first sets the threshold', async () => {
    // a pool of one connection whose statements are noted
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: world.connectionString, max: 1 });
    const sent: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text: string };
        sent.push(typeof first === 'string' ? first : first.text);
        return query(...args);
      };
    });
    try {
      await searchContacts(pool, 'anastasia karovinova', { limit: 10, offset: 0 });
      const firstSearch = sent.length;
      await searchContacts(pool, 'karovinova', { limit: 10, offset: 0 });
      const settings = sent.filter((text) => text.includes('pg_trgm.word_similarity_threshold'));
      expect(sent.filter((text) => /^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(text))).toEqual([]);
      expect(settings.filter((text) => text.includes('set_config'))).toHaveLength(1);
      expect(sent.slice(firstSearch).some((text) => text.includes('set_config'))).toBe(false);
    } finally {
      await pool.end();
    }
  });

  it('matches digits as digits only for a query that is part of a phone number', async () => {
    const { w, pool } = world;
    const channelId = await createChannel(w, 'Shop');
    const phoneOnly = await createContact(w, channelId, 'Phone Only', [
      phoneItem(w, '+7 999 123-45-67'),
    ]);
    await world.caughtUp();
    const ids = async (q: string) =>
      (await searchContacts(pool, q, { limit: 50, offset: 0 })).items.map((c) => c.contactId);
    expect(await ids('123 45 67')).toContain(phoneOnly);
    expect(await ids('(999) 123-4567')).toContain(phoneOnly);
    // letters around the digits make it an id or an address, not a phone number
    expect(await ids('order-1234567')).not.toContain(phoneOnly);
    expect(await ids('user1234567@')).not.toContain(phoneOnly);
  });
});
