import { tableRows, useReadModelWorld } from '../../../test/support/readModel';
import {
  createChannel,
  createContact,
  customItem,
  mergeContacts,
  phoneItem,
} from '../../../test/support/writer';
import { streams } from '../../application/streams';
import { contactDecider } from '../../domain/contact/decide';
import { getContact } from './contactQueries';
import { searchContacts } from './contactSearch';

describe('the contacts read model', () => {
  const world = useReadModelWorld();
  let channelId: string;
  let vasya: string;
  beforeAll(async () => {
    const { w } = world;
    channelId = await createChannel(w, 'Avito');
    vasya = await createContact(w, channelId, 'Vasya Pupkin', [
      customItem(w, channelId, 'phrw1oc544j18buxazs6tlg7q68vdfyin1emk06'),
      phoneItem(w, '+79876543210'),
    ]);
    // people search must tell apart from him
    const others: Array<[string, string]> = [
      ['Petya Ivanov', '+79161234567'],
      ['Pushkin Alexander', '+74951112233'],
      ['Vasilisa Prekrasnaya', '+79035554433'],
      ['Masha Petrova', '+79990001122'],
    ];
    for (const [name, phone] of others) {
      await createContact(w, channelId, name, [
        customItem(w, channelId, `ext-${w.ids.objectId()}`),
        phoneItem(w, phone),
      ]);
    }
    await world.caughtUp();
  });

  const search = (q: string) => searchContacts(world.pool, q, { limit: 10, offset: 0 });

  it.each(['pupkin', 'vasia pupkn', '987 654 32', 'Vasya', '+7 (987) 654-32-10'])(
    'finds Vasya Pupkin first from "%s"',
    async (q) => {
      const { items } = await search(q);
      expect(items[0]?.contactId).toBe(vasya);
      expect(items[0]?.data.map((d) => d.value)).toContain('+79876543210');
    },
  );

  it('finds nothing for an unrelated query, and ranks exact names above near ones', async () => {
    expect((await search('zzyzx qwerty')).items).toEqual([]);
    const { items } = await search('pushkin');
    expect(items[0]?.name).toBe('Pushkin Alexander');
  });

  it('pages the ranking', async () => {
    const first = await searchContacts(world.pool, 'a', { limit: 1, offset: 0 });
    // a one-letter query is too short for trigrams to find anything sensible
    expect(first.items.length).toBeLessThanOrEqual(1);
    const all = await searchContacts(world.pool, '79', { limit: 50, offset: 0 });
    const paged = [
      ...(await searchContacts(world.pool, '79', { limit: 2, offset: 0 })).items,
      ...(await searchContacts(world.pool, '79', { limit: 2, offset: 2 })).items,
      ...(await searchContacts(world.pool, '79', { limit: 50, offset: 4 })).items,
    ];
    expect(all.items.length).toBeGreaterThan(2);
    expect(paged.map((c) => c.contactId)).toEqual(all.items.map((c) => c.contactId));
  });

  it('moves merged data to the survivor, resolves merged ids, and searches through them', async () => {
    const { w } = world;
    const older = await createContact(w, channelId, 'Ivan Older', [
      customItem(w, channelId, `older-${w.ids.objectId()}`),
    ]);
    const shared = phoneItem(w, '+78120000001');
    const younger = await createContact(w, channelId, 'Ivan Younger', [
      customItem(w, channelId, `younger-${w.ids.objectId()}`),
      shared,
    ]);
    const third = await createContact(w, channelId, 'Ivan Third', [phoneItem(w, '+78120000002')]);
    await mergeContacts(w, older, [younger]);
    await mergeContacts(w, third, [older]);
    await world.caughtUp();

    const survivor = await getContact(world.pool, younger);
    expect(survivor?.contactId).toBe(third);
    expect(survivor?.mergedIds).toEqual(expect.arrayContaining([older, younger]));
    expect(survivor?.data.map((d) => d.value)).toEqual(
      expect.arrayContaining(['+78120000002', '+78120000001']),
    );
    // in the order they were added and merged, as the read model dates them
    const inOrder = async (sql: string) =>
      (await world.pool.query<{ id: string }>(sql, [third])).rows.map((r) => r.id);
    expect(survivor?.data.map((d) => d.id)).toEqual(
      await inOrder(
        'SELECT data_id AS id FROM read_model.contact_data WHERE contact_id = $1 ORDER BY added_at, data_id',
      ),
    );
    expect(survivor?.mergedIds).toEqual(
      await inOrder(
        'SELECT contact_id AS id FROM read_model.contacts WHERE survivor_id = $1 ORDER BY merged_at, contact_id',
      ),
    );
    expect(survivor?.data).toHaveLength(4);
    const rows = (await tableRows(world.pool, 'read_model', 'contacts')) as Array<{
      contact_id: string;
      status: string;
      merged_into_id: string | null;
      survivor_id: string | null;
    }>;
    expect(rows.find((r) => r.contact_id === younger)).toMatchObject({
      status: 'merged',
      merged_into_id: older,
      survivor_id: third,
    });
    // the merged contact's own phone finds the survivor, never the merged contact
    const { items } = await search('8120000001');
    expect(items.map((c) => c.contactId)).toEqual([third]);
  });

  it('keeps deleted contacts out of search and marks them deleted', async () => {
    const { w } = world;
    const gone = await createContact(w, channelId, 'Zinaida Deleted', [
      phoneItem(w, '+70000000077'),
    ]);
    await w.run(streams.contact(gone), contactDecider, {
      type: 'DeleteContact',
      data: { now: w.now() },
    });
    await world.caughtUp();
    expect((await search('zinaida')).items).toEqual([]);
    expect((await getContact(world.pool, gone))?.status).toBe('deleted');
  });

  it('follows a changed data value', async () => {
    const { w } = world;
    const item = customItem(w, channelId, 'before-change');
    const contactId = await createContact(w, channelId, 'Changer', [item]);
    const changed = { ...item, value: 'after-change', key: `custom:${channelId}:id:after-change` };
    await w.run(streams.contact(contactId), contactDecider, {
      type: 'UpdateContact',
      data: { name: null, data: [changed] },
    });
    await world.caughtUp();
    expect((await getContact(world.pool, contactId))?.data.map((d) => d.value)).toEqual([
      'after-change',
    ]);
  });
});
