import { useReadModelWorld } from '../../../test/support/readModel';
import {
  createChannel,
  createContact,
  customItem,
  mergeContacts,
  phoneItem,
  randomFrom,
  type Writer,
} from '../../../test/support/writer';
import { streams } from '../../application/streams';
import type { ContactData } from '../../domain/contact/contactData';
import { contactDecider } from '../../domain/contact/decide';
import { searchContacts } from './contactSearch';

/**
 * Search quality: 30 queries of the kinds operators type, each with the contact it must find
 * among the first 10 (recall@10), over a population of look-alikes (the bench's names:
 * common first names, family names made of the same syllables). Prints the table: the
 * figures before and after a change of search are compared in docs/performance.md.
 */

const emailItem = (w: Writer, value: string): ContactData => ({
  id: w.ids.objectId(),
  type: 'email',
  value,
  service: 'email',
  origin: null,
  key: `email:${value}`,
});

const FIRST = ['Alexander', 'Anastasia', 'Boris', 'Darya', 'Igor', 'Kira', 'Olga', 'Ivan'];
const FIRST_MORE = ['Natalia', 'Dmitry', 'Ekaterina', 'Vasily', 'Yana', 'Roman', 'Petr'];
const SYLLABLES = [
  'ka',
  'ro',
  'vin',
  'pet',
  'sha',
  'mi',
  'lov',
  'sok',
  'kuz',
  'vol',
  'smir',
  'pup',
];

/** look-alikes: the same first names, family names of the targets' syllables */
const lookAlikeName = (rnd: ReturnType<typeof randomFrom>): string => {
  let family = '';
  for (let i = 0, n = 2 + rnd.int(2); i < n; i++) family += rnd.pick(SYLLABLES);
  const first = rnd.pick([...FIRST, ...FIRST_MORE]);
  return `${first} ${family.charAt(0).toUpperCase()}${family.slice(1)}${rnd.chance(0.5) ? 'ov' : 'ova'}`;
};

const LOOK_ALIKES = 400;

type Target =
  | 'pupkin'
  | 'karovinova'
  | 'smirnova'
  | 'petrov'
  | 'kuznetsova'
  | 'sokolov'
  | 'volkova'
  | 'ivanovSurvivor'
  | 'lookAlike7'
  | 'lookAlike42'
  | 'lookAlike123';

type Kind = 'misspelt name' | 'family name' | 'first + family' | 'phone part' | 'e-mail' | 'id';

const QUERIES: readonly (readonly [Kind, string, Target])[] = [
  ['misspelt name', 'vasia pupkn', 'pupkin'],
  ['misspelt name', 'anastasiya karovinova', 'karovinova'],
  ['misspelt name', 'ekaterina smirnva', 'smirnova'],
  ['misspelt name', 'dmitri sokolov', 'sokolov'],
  ['misspelt name', 'natalya volkova', 'volkova'],
  ['misspelt name', 'olga kuznecova', 'kuznetsova'],
  ['family name', 'pupkin', 'pupkin'],
  ['family name', 'karovinova', 'karovinova'],
  ['family name', 'smirnova', 'smirnova'],
  ['family name', 'Sokolov', 'sokolov'],
  ['family name', 'kuznetsova', 'kuznetsova'],
  ['first + family', 'ivan petrov', 'petrov'],
  ['first + family', 'Vasya Pupkin', 'pupkin'],
  ['first + family', 'olga kuznetsova', 'kuznetsova'],
  ['first + family', 'natalia volkova', 'volkova'],
  ['phone part', '987 654 32', 'pupkin'],
  ['phone part', '+7 (987) 654', 'pupkin'],
  ['phone part', '9876543210', 'pupkin'],
  ['phone part', '912-345-67', 'smirnova'],
  ['phone part', '(912) 345 67 89', 'smirnova'],
  ['phone part', '30 1234567', 'sokolov'],
  ['e-mail', 'vasya.pupkin@mail.ru', 'pupkin'],
  ['e-mail', 'vasya.pupkin', 'pupkin'],
  ['e-mail', 'ivan.petrov@gmail', 'petrov'],
  ['e-mail', 'user123@', 'lookAlike123'],
  ['e-mail', 'user123@example.com', 'lookAlike123'],
  ['id', 'shop-user-123', 'lookAlike123'],
  ['id', 'shop-user-42', 'lookAlike42'],
  ['id', 'shop-user-7', 'lookAlike7'],
  // a merged contact's id finds the contact it was merged into
  ['id', 'mp-777001', 'ivanovSurvivor'],
];

describe('contact search quality: recall@10 of 30 queries with known hits', () => {
  const world = useReadModelWorld();
  const targets = new Map<Target, string>();
  const hidden: string[] = [];

  beforeAll(async () => {
    const { w } = world;
    const channelId = await createChannel(w, 'Marketplace');
    const rnd = randomFrom(16);
    for (let i = 0; i < LOOK_ALIKES; i++) {
      const data = [customItem(w, channelId, `shop-user-${i}`)];
      if (i % 5 < 3) data.push(phoneItem(w, `+7 9${String(100_000_000 + i * 7919).slice(-9)}`));
      if (i % 3 === 0) data.push(emailItem(w, `user${i}@example.com`));
      const id = await createContact(w, channelId, lookAlikeName(rnd), data);
      if (i === 7) targets.set('lookAlike7', id);
      if (i === 42) targets.set('lookAlike42', id);
      if (i === 123) targets.set('lookAlike123', id);
    }
    const target = async (key: Target, name: string, data: readonly ContactData[]) =>
      targets.set(key, await createContact(w, channelId, name, data));
    await target('pupkin', 'Vasya Pupkin', [
      phoneItem(w, '+7 987 654-32-10'),
      emailItem(w, 'vasya.pupkin@mail.ru'),
    ]);
    await target('karovinova', 'Anastasia Karovinova', [customItem(w, channelId, 'ak-1')]);
    await target('smirnova', 'Ekaterina Smirnova', [phoneItem(w, '8 (912) 345-67-89')]);
    await target('petrov', 'Ivan Petrov', [emailItem(w, 'ivan.petrov@gmail.com')]);
    await target('kuznetsova', 'Olga Kuznetsova', [customItem(w, channelId, 'ok-1')]);
    await target('sokolov', 'Dmitry Sokolov', [phoneItem(w, '+49 30 1234567')]);
    await target('volkova', 'Natalia Volkova', [customItem(w, channelId, 'nv-1')]);
    await target('ivanovSurvivor', 'Petr Ivanov', [customItem(w, channelId, 'mp-777002')]);
    const merged = await createContact(w, channelId, 'P. Ivanov', [
      customItem(w, channelId, 'mp-777001'),
    ]);
    await mergeContacts(w, targets.get('ivanovSurvivor') as string, [merged]);
    hidden.push(merged);
    // a deleted twin of a target: never shown, whatever it matches
    const deleted = await createContact(w, channelId, 'Vasya Pupkin', [
      phoneItem(w, '+7 987 654-32-11'),
    ]);
    await w.run(streams.contact(deleted), contactDecider, {
      type: 'DeleteContact',
      data: { now: w.now() },
    });
    hidden.push(deleted);
    await world.caughtUp();
  });

  it('finds every expected contact among the first 10, and never a merged or deleted one', async () => {
    const rows: string[] = [];
    const lost: string[] = [];
    for (const [kind, q, key] of QUERIES) {
      const expected = targets.get(key) as string;
      const { items } = await searchContacts(world.pool, q, { limit: 10, offset: 0 });
      const ids = items.map((c) => c.contactId);
      const rank = ids.indexOf(expected) + 1;
      const score = items[rank - 1]?.score;
      rows.push(
        `${kind.padEnd(15)} ${JSON.stringify(q).padEnd(24)} ${rank === 0 ? 'miss' : `#${rank}`}` +
          `${score === undefined ? '' : `  ${score.toFixed(2)}`}`,
      );
      if (rank === 0) lost.push(q);
      expect(ids.filter((id) => hidden.includes(id))).toEqual([]);
    }
    const found = QUERIES.length - lost.length;
    process.stdout.write(
      `recall@10 ${found}/${QUERIES.length}\nkind            query                    rank score\n${rows.join('\n')}\n`,
    );
    expect(lost).toEqual([]);
  });
});
