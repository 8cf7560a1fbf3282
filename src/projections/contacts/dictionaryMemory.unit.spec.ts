import { DictionaryMemory, type WordMatch } from './dictionaryMemory';

const match = (word: string, sim: number, contacts = 1): WordMatch => ({ word, sim, contacts });
const at = (head: number, epoch = 'e1') => ({ epoch, head: String(head) });

describe('DictionaryMemory', () => {
  it('given nothing remembered, when asked for hints, then it names no word and no epoch', () => {
    expect(new DictionaryMemory().hints('Anna Karovina')).toEqual({
      words: [],
      stamps: [],
      epoch: null,
      remembered: new Map(),
    });
  });

  it('given a word learnt in full, then the next query holding it hints it with the stamp it was learnt at, and never a word of digits', () => {
    const memory = new DictionaryMemory();
    const first = memory.hints('anna');
    memory.learn(first, at(10), 'anna', null, [match('anna', 1)], 200);
    memory.learn(first, at(10), '4567', null, [match('4567', 1)], 200);
    const next = memory.hints('Anna 4567, anna!');
    expect({ words: next.words, stamps: next.stamps, epoch: next.epoch }).toEqual({
      words: ['anna'],
      stamps: ['10'],
      epoch: 'e1',
    });
  });

  it('given a hinted word, when the words added since match too, then its matches are both, most alike first, ties in bytewise order, cut at the limit', () => {
    const memory = new DictionaryMemory();
    memory.learn(
      memory.hints('ann'),
      at(10),
      'ann',
      null,
      [match('ann', 1), match('anno', 0.5)],
      3,
    );
    const hints = memory.hints('ann');
    const now = memory.learn(
      hints,
      at(12),
      'ann',
      '10',
      [match('annz', 0.5), match('annÄ', 0.5), match('anna', 0.75)],
      3,
    );
    expect(now.map((m) => m.word)).toEqual(['ann', 'anna', 'anno']);
    // U+FB00 before U+1F600 bytewise (UTF-8 EF… before F0…), after it in UTF-16 units
    const wider = new DictionaryMemory();
    wider.learn(wider.hints('ann'), at(10), 'ann', null, [match('anno', 0.5)], 9);
    const all = wider.learn(
      wider.hints('ann'),
      at(11),
      'ann',
      '10',
      [match('ann\u{1F600}', 0.5), match('ann\uFB00', 0.5)],
      9,
    );
    expect(all.map((m) => m.word)).toEqual(['anno', 'ann\uFB00', 'ann\u{1F600}']);
    expect(memory.hints('ann').stamps).toEqual(['12']);
  });

  it('given remembered words, when an answer comes from another epoch, then everything remembered is forgotten', () => {
    const memory = new DictionaryMemory();
    memory.learn(memory.hints('anna'), at(10), 'anna', null, [match('anna', 1)], 200);
    memory.learn(memory.hints('olga'), at(10), 'olga', null, [match('olga', 1)], 200);
    memory.learn(memory.hints('kira'), at(11, 'e2'), 'kira', null, [match('kira', 1)], 200);
    expect(memory.size).toBe(1);
    expect(memory.hints('anna olga kira')).toMatchObject({ words: ['kira'], epoch: 'e2' });
  });

  it('given two searches answered out of order, then the older answer does not replace the newer one', () => {
    const memory = new DictionaryMemory();
    const early = memory.hints('anna');
    const late = memory.hints('anna');
    memory.learn(late, at(20), 'anna', null, [match('anna', 1), match('annas', 0.8)], 200);
    memory.learn(early, at(15), 'anna', null, [match('anna', 1)], 200);
    const hints = memory.hints('anna');
    expect(hints.stamps).toEqual(['20']);
    expect(hints.remembered.get('anna')?.matches).toHaveLength(2);
  });

  it('given a stamp too far behind the newest word seen, then the word is not hinted: it is matched afresh', () => {
    const memory = new DictionaryMemory(10, 100);
    memory.learn(memory.hints('anna'), at(10), 'anna', null, [match('anna', 1)], 200);
    memory.learn(memory.hints('olga'), at(111), 'olga', null, [match('olga', 1)], 200);
    expect(memory.hints('anna olga').words).toEqual(['olga']);
  });

  it('given more words than it keeps, then the least recently learnt leave first', () => {
    const memory = new DictionaryMemory(2);
    for (const word of ['anna', 'olga', 'kira'])
      memory.learn(memory.hints(word), at(10), word, null, [match(word, 1)], 200);
    expect(memory.hints('anna olga kira').words).toEqual(['olga', 'kira']);
  });

  it('given an answer about a word it was not told of, then it says so rather than take a part for the whole', () => {
    const memory = new DictionaryMemory();
    expect(() => memory.learn(memory.hints('anna'), at(10), 'anna', '5', [], 200)).toThrow(
      /not told of/,
    );
  });
});
