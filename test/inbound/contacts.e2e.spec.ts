import { streams } from '../../src/application/streams';
import {
  createChannel,
  customer,
  eventsOf,
  eventsOfType,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useTestParley } from '../support/parley';

const withData = (name: string, ...contacts: Record<string, unknown>[]) => ({
  contact_object: { name, contacts },
});
const custom = (value: string) => ({ type: 'id', value, service: 'custom', origin: 'custom' });

describe('inbound contacts', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  beforeAll(async () => {
    channel = await createChannel(parley);
  });

  it('creates a contact, then recognises it by its custom data', async () => {
    const first = await postMessage(parley, channel, { text: 'a', ...customer('cust-1') });
    const second = await postMessage(parley, channel, { text: 'b', ...customer('cust-1') });
    expect(first.body.contact_created).toBe(true);
    expect(second.body).toMatchObject({
      contact_created: false,
      contact_id: first.body.contact_id,
    });
    expect(first.body.contacts).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        value: 'cust-1',
        type: 'id',
        service: 'custom',
        origin: 'custom',
      },
    ]);
  });

  it('matches custom data only within its channel', async () => {
    const other = await createChannel(parley, 'Other');
    const here = await postMessage(parley, channel, { text: 'a', ...customer('per-channel') });
    const there = await postMessage(parley, other, { text: 'a', ...customer('per-channel') });
    expect(there.body.contact_id).not.toBe(here.body.contact_id);
  });

  it('matches phones across channels in E.164 and e-mails case-insensitively', async () => {
    const other = await createChannel(parley, 'Phones');
    const here = await postMessage(parley, channel, {
      text: 'a',
      ...withData('Vasya', custom('p-1'), {
        type: 'phone',
        value: '+7 987 654-32-10',
        service: 'whatsapp',
      }),
    });
    const there = await postMessage(parley, other, {
      text: 'b',
      ...withData('Vasya', custom('p-2'), {
        type: 'phone',
        value: '89876543210',
        service: 'telegram',
      }),
    });
    expect(there.body).toMatchObject({ contact_created: false, contact_id: here.body.contact_id });
    const mail = await postMessage(parley, other, {
      text: 'c',
      ...withData('Petya', custom('m-1'), {
        type: 'mail',
        value: 'Petya@Example.COM',
        service: 'mail',
      }),
    });
    const again = await postMessage(parley, channel, {
      text: 'd',
      ...withData('Petya', custom('m-2'), {
        type: 'mail',
        value: 'petya@example.com',
        service: 'mail',
      }),
    });
    expect(again.body.contact_id).toBe(mail.body.contact_id);
  });

  it('updates name and description and adds new data to the matched contact', async () => {
    const first = await postMessage(parley, channel, {
      text: 'a',
      ...withData('V', custom('upd-1')),
    });
    const second = await postMessage(parley, channel, {
      text: 'b',
      contact_object: {
        name: 'Vasya Pupkin',
        description: 'VIP',
        contacts: [custom('upd-1'), { type: 'mail', value: 'vasya@example.com', service: 'mail' }],
      },
    });
    expect(second.body.contact_id).toBe(first.body.contact_id);
    expect((second.body.contacts as unknown[]).length).toBe(2);
    const events = await eventsOf(parley, streams.contact(first.body.contact_id as string));
    expect(events.map((e) => e.type)).toEqual([
      'ContactCreated',
      'ContactDataAdded',
      'ContactUpdated',
      'ContactDataAdded',
    ]);
    expect(events[2]?.data).toMatchObject({ name: 'Vasya Pupkin', description: 'VIP' });
  });

  it('updates the contact named by contact_object._id', async () => {
    const first = await postMessage(parley, channel, {
      text: 'a',
      ...withData('Old name', custom('named-1')),
    });
    const named = await postMessage(parley, channel, {
      text: 'b',
      contact_object: {
        _id: first.body.contact_id,
        name: 'New name',
        contacts: [custom('named-2')],
      },
    });
    expect(named.body).toMatchObject({ contact_id: first.body.contact_id, contact_created: false });
    expect((named.body.contacts as { value: string }[]).map((c) => c.value).sort()).toEqual([
      'named-1',
      'named-2',
    ]);
  });

  it('identifies the contact by contacts_id, and updates the value it carries', async () => {
    const first = await postMessage(parley, channel, { text: 'a', ...customer('ids-1') });
    const dataId = (first.body.contacts as { id: string }[])[0]?.id as string;
    const byId = await postMessage(parley, channel, { text: 'b', contacts_id: [{ id: dataId }] });
    expect(byId.body).toMatchObject({ contact_id: first.body.contact_id, contact_created: false });
    const changed = await postMessage(parley, channel, {
      text: 'c',
      contacts_id: [{ id: dataId, value: 'ids-1-renamed' }],
    });
    expect(changed.body.contacts).toEqual([
      expect.objectContaining({ id: dataId, value: 'ids-1-renamed' }),
    ]);
    // the new value now matches; the old one is free again
    const byNewValue = await postMessage(parley, channel, {
      text: 'd',
      ...customer('ids-1-renamed'),
    });
    expect(byNewValue.body.contact_id).toBe(first.body.contact_id);
    const byOldValue = await postMessage(parley, channel, { text: 'e', ...customer('ids-1') });
    expect(byOldValue.body.contact_created).toBe(true);
  });

  it('merges contacts that turn out to be one customer into the oldest, and merged ids keep resolving', async () => {
    const older = await postMessage(parley, channel, {
      text: 'a',
      ...withData('Vasya', custom('merge-a')),
    });
    const newer = await postMessage(parley, channel, {
      text: 'b',
      ...withData('Vasya P', custom('merge-b'), {
        type: 'phone',
        value: '+79001112233',
        service: 'whatsapp',
      }),
    });
    expect(newer.body.contact_id).not.toBe(older.body.contact_id);

    const both = await postMessage(parley, channel, {
      text: 'c',
      ...withData('Vasya Pupkin', custom('merge-a'), custom('merge-b')),
    });
    expect(both.body).toMatchObject({ contact_id: older.body.contact_id, contact_created: false });
    expect((both.body.contacts as { value: string }[]).map((c) => c.value).sort()).toEqual([
      '+79001112233',
      'merge-a',
      'merge-b',
    ]);

    const merged = await eventsOfType(parley, 'ContactsMerged');
    expect(merged.at(-1)?.data).toMatchObject({
      contactId: older.body.contact_id,
      mergedContactIds: [newer.body.contact_id],
    });
    const mergedInto = await eventsOf(parley, streams.contact(newer.body.contact_id as string));
    expect(mergedInto.at(-1)).toMatchObject({
      type: 'ContactMergedInto',
      data: { survivorId: older.body.contact_id },
    });

    // the merged contact's id and data lead to the survivor from now on
    const byMergedId = await postMessage(parley, channel, {
      text: 'd',
      contact_object: {
        _id: newer.body.contact_id,
        name: 'Vasya Pupkin',
        contacts: [custom('merge-b')],
      },
    });
    expect(byMergedId.body.contact_id).toBe(older.body.contact_id);
    const byMergedPhone = await postMessage(parley, channel, {
      text: 'e',
      ...withData('Vasya', custom('merge-c'), {
        type: 'phone',
        value: '8 900 111 22 33',
        service: 'sms',
      }),
    });
    expect(byMergedPhone.body.contact_id).toBe(older.body.contact_id);
  });

  it('gives a deleted contact’s data to a new contact', async () => {
    const doomed = await postMessage(parley, channel, { text: 'a', ...customer('reborn') });
    await parley.request(`/api/contacts/${doomed.body.contact_id}`, {
      method: 'DELETE',
      headers: parley.admin,
    });
    const reborn = await postMessage(parley, channel, { text: 'b', ...customer('reborn') });
    expect(reborn.body.contact_created).toBe(true);
    expect(reborn.body.contact_id).not.toBe(doomed.body.contact_id);
    const again = await postMessage(parley, channel, { text: 'c', ...customer('reborn') });
    expect(again.body.contact_id).toBe(reborn.body.contact_id);
  });
});
