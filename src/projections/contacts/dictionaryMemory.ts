/**
 * What a process remembers of the search dictionary: for the query words searched lately,
 * their matches at the search threshold (the WORDS_PER_QUERY_WORD most alike, in the order
 * DICTIONARY gives them), as of a stamp, the newest dictionary word then. The dictionary only
 * grows while its epoch stays (an erasure, a rebuild change it), so a word's matches now are
 * the remembered ones and those among the words added since, which DICTIONARY then reads by
 * their order of addition instead of matching the whole dictionary by trigrams: a common word
 * ("shop", "user", a first name) is most of a search's cost otherwise (docs/performance.md).
 * The contacts a match holds may be older than the stamp: they only choose how a search runs
 * (its driver word, which cascade steps), never what it answers.
 */
export type WordMatch = Readonly<{ word: string; sim: number; contacts: number }>;

type Remembered = Readonly<{ stamp: bigint; matches: readonly WordMatch[] }>;

/**
 * What DICTIONARY is told (the remembered words a query may hold, with their stamps, and the
 * epoch they are of) and what they were when it was told: another search may replace them
 * before this one's answer comes.
 */
export type Hints = Readonly<{
  words: string[];
  stamps: string[];
  epoch: string | null;
  remembered: ReadonlyMap<string, Remembered>;
}>;

/** Query words remembered at most; the least recently searched go first. */
const MAX_WORDS = 2_000;
/**
 * Words added since a stamp that DICTIONARY may read instead of matching by trigrams: beyond
 * that, matching the whole dictionary costs less (the words read include the words of digits,
 * most of the additions). DICTIONARY checks it against the dictionary's head as well.
 */
export const MAX_BEHIND = 5_000;

/** A word of digits: matched by prefix, cheap and seldom searched twice, never remembered. */
export const isNumberWord = (word: string): boolean => /^[0-9]+$/.test(word);

/** Bytewise, as PostgreSQL orders `COLLATE "C"` text (JavaScript compares UTF-16 units). */
const bytewise = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** DICTIONARY's order: the most alike first, then by word. */
const byLikeness = (a: WordMatch, b: WordMatch): number =>
  b.sim - a.sim || bytewise(a.word, b.word);

/**
 * A query's words as search splits them (contactWords.ts `splitWords`), close enough to name
 * the remembered words it may hold: PostgreSQL splits it again and decides, so a word split
 * differently here is only not remembered.
 */
const likelyWords = (query: string): string[] =>
  query.toLowerCase().match(/[0-9]+|[^\s\p{P}\p{S}0-9]+/gu) ?? [];

export class DictionaryMemory {
  private epoch: string | null = null;
  private head = 0n;
  private readonly words = new Map<string, Remembered>();

  constructor(
    private readonly maxWords = MAX_WORDS,
    private readonly maxBehind = MAX_BEHIND,
  ) {}

  /** The remembered words `query` may hold, for DICTIONARY's $3, $4, $5. */
  hints(query: string): Hints {
    const words: string[] = [];
    const stamps: string[] = [];
    const remembered = new Map<string, Remembered>();
    for (const word of new Set(likelyWords(query))) {
      if (isNumberWord(word)) continue;
      const entry = this.words.get(word);
      if (entry === undefined || this.head - entry.stamp > BigInt(this.maxBehind)) continue;
      words.push(word);
      stamps.push(String(entry.stamp));
      remembered.set(word, entry);
    }
    return { words, stamps, epoch: this.epoch, remembered };
  }

  /**
   * What DICTIONARY answered of a query word, as of `head` in `epoch`: its matches (`since`
   * null), or those among the words added after `since` (a hint's stamp), merged here into
   * the hinted ones. Returns the query word's matches now.
   */
  learn(
    hints: Hints,
    answer: Readonly<{ epoch: string; head: string }>,
    word: string,
    since: string | null,
    found: readonly WordMatch[],
    limit: number,
  ): readonly WordMatch[] {
    const stamp = BigInt(answer.head);
    const base = since === null ? undefined : hints.remembered.get(word);
    if (since !== null && base === undefined)
      throw new Error(`the dictionary answered a word it was not told of: ${word}`);
    const matches =
      base === undefined || found.length === 0
        ? (base?.matches ?? found)
        : [...base.matches, ...found].sort(byLikeness).slice(0, limit);
    if (answer.epoch !== this.epoch || (base !== undefined && stamp < base.stamp)) {
      // another dictionary (words erased, the tables rebuilt), or an older one (a backup
      // restored under a running process: its next searches match afresh)
      this.words.clear();
      this.epoch = answer.epoch;
    }
    if (stamp > this.head) this.head = stamp;
    const current = this.words.get(word);
    // a search answered later may know a newer stamp already
    if (current === undefined || current.stamp <= stamp) {
      this.words.delete(word);
      this.words.set(word, { stamp, matches });
    }
    if (this.words.size > this.maxWords) {
      const oldest = this.words.keys().next();
      if (oldest.done !== true) this.words.delete(oldest.value);
    }
    return matches;
  }

  /** How many query words are remembered (tests). */
  get size(): number {
    return this.words.size;
  }
}
