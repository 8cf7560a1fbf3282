import { stepValues, stepWorthRunning, type Matches } from './contactSearch';

/** a query's dictionary matches: [query word n, similarity, contacts holding the word] */
const found = (
  matches: readonly (readonly [number, number, number])[],
  more: Partial<Matches> = {},
): Matches => ({
  words: new Set(matches.map(([n]) => n)).size,
  matches: matches.map(([n, sim, contacts], i) => ({ n, word: `w${i}`, sim, contacts })),
  phoneHits: null,
  population: 100_000,
  ...more,
});

const page = { limit: 20, offset: 0 };

describe('which cascade steps a contact search runs', () => {
  it('given one word, runs a step when the contacts of its matches there fill the page', () => {
    const emma = found([
      [1, 1, 2_500],
      [1, 0.5, 30],
    ]);
    expect(stepWorthRunning(emma, 0.9, page)).toBe(true);
    const rare = found([
      [1, 1, 6],
      [1, 0.8, 12],
      [1, 0.6, 900],
    ]);
    expect([0.9, 0.75, 0.6, 0.5].map((t) => stepWorthRunning(rare, t, page))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('given a first name and a family name, expects the hits of independent words, not the rarer word’s contacts', () => {
    // 1 contact in 40 is an Olivia; the family name's look-alikes: 30 contacts at 0.75, 3,000 at 0.5
    const olivia = found([
      [1, 1, 2_500],
      [2, 0.8, 30],
      [2, 0.55, 2_970],
    ]);
    // 30 contacts could fill a page of 20, but 30 / 40 is under one expected hit
    expect(stepWorthRunning(olivia, 0.75, page)).toBe(false);
    // 3,000 / 40 = 75
    expect(stepWorthRunning(olivia, 0.5, page)).toBe(true);
    expect(stepWorthRunning({ ...olivia, population: 1_000_000 }, 0.5, page)).toBe(false);
  });

  it('given no estimate of the contacts yet (-1), falls back to the most any word holds', () => {
    const unknown = found(
      [
        [1, 1, 50],
        [2, 1, 40],
      ],
      { population: -1 },
    );
    // 50 × 40 / 50 = 40 expected: never more than the rarer word's contacts
    expect(stepWorthRunning(unknown, 0.9, page)).toBe(true);
    expect(stepWorthRunning(unknown, 0.9, { limit: 40, offset: 0 })).toBe(false);
  });

  it('given a word that matches nothing at a threshold, never runs that step', () =>
    expect(
      stepWorthRunning(
        found([
          [1, 1, 5_000],
          [2, 0.45, 5_000],
        ]),
        0.5,
        page,
      ),
    ).toBe(false));

  it('given a phone number’s part, counts the phone hits found with the dictionary', () => {
    const digits = found([[1, 1, 1]], { phoneHits: Array.from({ length: 21 }, (_, i) => `c${i}`) });
    expect(stepWorthRunning(digits, 0.9, page)).toBe(true);
    expect(stepWorthRunning({ ...digits, phoneHits: ['c1'] }, 0.9, page)).toBe(false);
    // one phone hit and the word's one contact: a page of one and one more
    expect(stepWorthRunning({ ...digits, phoneHits: ['c1'] }, 0.9, { limit: 1, offset: 0 })).toBe(
      true,
    );
  });
});

describe('how a cascade step finds the other words of a query', () => {
  // stepValues: [..., 6: words, 7: the driver, 8: the other words read by word]
  const how = (f: Matches, threshold = 0.4) => stepValues(f, threshold, page).slice(6);

  it('given a first name and a family name, drives by the rarer and reads the other by word', () =>
    // 33,000 Olivias against the family name's 11,000 look-alikes
    expect(
      how(
        found([
          [1, 1, 33_000],
          [2, 0.6, 7_000],
          [2, 0.45, 4_000],
        ]),
      ),
    ).toEqual([2, 2, true]));

  it('given a marketplace id, looks up the words of the number’s few contacts', () =>
    // "shop" and "user" are every contact's; "715284" is one's
    expect(
      how(
        found([
          [1, 1, 1_000_000],
          [2, 1, 1_000_000],
          [3, 1, 2],
        ]),
      ),
    ).toEqual([3, 3, false]));

  it('reads by word up to 40 times the candidates, counting only the matches at the threshold', () => {
    const at = (others: number) =>
      how(
        found([
          [1, 1, 1_000],
          [2, 1, others],
          [2, 0.45, 1_000_000],
        ]),
        0.5,
      )[2];
    expect([at(40_000), at(40_001)]).toEqual([true, false]);
  });
});
