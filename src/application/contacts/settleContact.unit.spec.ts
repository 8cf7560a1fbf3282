import { isLeft } from 'fp-ts/Either';
import {
  validateContactInfo,
  type ContactDataReference,
  type IncomingContactData,
} from '../../domain/contact/contactInfo';
import type { EventStore } from '../ports/eventStore';
import { streams } from '../streams';
import {
  claimsOf,
  contactKeyClaimed,
  contactKeyReleased,
  contactDataRegistered,
  existingContact,
  newContactEvents,
} from '../../../test/support/contactStreams';
import {
  contactCreated,
  contactDataAdded,
  contactDataChanged,
  contactDeleted,
  contactErased,
  contactMergedInto,
  contactsMerged,
  contactUpdated,
  customId,
  phone,
} from '../../domain/testing/builders/contact';
import { CHANNEL, CONTACT, OTHER_CONTACT, T0, T1 } from '../../domain/testing/builders/ids';
import { aroundAppends } from '../../../test/support/faultyStore';
import { given, inStream, NOW, type World } from '../../../test/support/useCase';
import { planContact } from './planContact';
import { settleContact } from './settleContact';

const ABC = customId('abc', 'da000000000000000000000a');
const DEF = customId('def', 'da000000000000000000000b');
const PHONE = phone('+79876543210', 'da000000000000000000000c');

const sent = (d: typeof ABC): IncomingContactData => ({
  type: d.type,
  value: d.value,
  service: d.service,
  origin: d.origin,
});

/** What the inbound endpoint does with a request's contact fields, up to the settled contact. */
const settling =
  (request: {
    contact_object?: { _id?: string; name: string; contacts: IncomingContactData[] };
    contacts_id?: ContactDataReference[];
  }) =>
  async (world: World) => {
    const info = validateContactInfo({
      contactObject: request.contact_object,
      contactsId: request.contacts_id,
    });
    if (isLeft(info)) return info;
    const plan = () =>
      planContact(world.commands, info.right, {
        channelId: CHANNEL,
        defaultRegion: 'RU',
        now: NOW,
        newId: () => world.ids.objectId(),
      });
    const planned = await plan();
    if (isLeft(planned)) return planned;
    return settleContact(world.commands, planned.right, plan, world.context);
  };

const vasya = (...contacts: IncomingContactData[]) => ({
  contact_object: { name: 'Vasya Pupkin', contacts },
});

describe('contact settlement, on the in-memory store', () => {
  it('no contact owns the data: claims its keys, registers its ids, creates the contact', () =>
    given()
      .when(settling(vasya(sent(ABC))))
      .then(({ contactId, contact }) => {
        const data = customId('abc', contact.data[0]?.id);
        return {
          result: { created: true },
          events: [
            ...inStream(
              streams.contactKey(ABC.key),
              contactKeyClaimed({ key: ABC.key, contactId, dataId: data.id }),
            ),
            ...inStream(
              streams.contactData(data.id),
              contactDataRegistered({ dataId: data.id, contactId }),
            ),
            ...inStream(
              streams.contact(contactId),
              contactCreated({ contactId, createdAt: NOW }),
              contactDataAdded({ contactId, data }),
            ),
          ],
        };
      }));

  it('one contact owns the data: it is updated and gains the new data', () =>
    given(existingContact(CONTACT, [ABC]))
      .when(
        settling({
          contact_object: { name: 'Vasiliy Pupkin', contacts: [sent(ABC), sent(PHONE)] },
        }),
      )
      .then(({ contact }) => {
        const added = phone(PHONE.value, contact.data[1]?.id);
        return {
          result: { contactId: CONTACT, created: false },
          events: [
            ...inStream(
              streams.contactKey(PHONE.key),
              contactKeyClaimed({ key: PHONE.key, dataId: added.id }),
            ),
            ...inStream(
              streams.contactData(added.id),
              contactDataRegistered({ dataId: added.id, service: PHONE.service }),
            ),
            ...inStream(
              streams.contact(CONTACT),
              contactUpdated({ name: 'Vasiliy Pupkin' }),
              contactDataAdded({ data: added }),
            ),
          ],
        };
      }));

  it('several contacts own the data: they are merged into the oldest', () =>
    given({ ...existingContact(CONTACT, [ABC], T1), ...existingContact(OTHER_CONTACT, [DEF], T0) })
      .when(settling(vasya(sent(ABC), sent(DEF))))
      .then(() => ({
        result: { contactId: OTHER_CONTACT, created: false, contact: { data: [DEF, ABC] } },
        events: [
          ...inStream(
            streams.contact(OTHER_CONTACT),
            contactsMerged({
              contactId: OTHER_CONTACT,
              mergedContactIds: [CONTACT],
              data: [ABC],
              mergedAt: NOW,
            }),
          ),
          ...inStream(
            streams.contact(CONTACT),
            contactMergedInto({ contactId: CONTACT, survivorId: OTHER_CONTACT, mergedAt: NOW }),
          ),
        ],
      })));

  it('a merged contact id resolves to its survivor', () =>
    given({
      ...existingContact(OTHER_CONTACT, [DEF]),
      ...existingContact(CONTACT, [ABC], T1),
      [streams.contact(OTHER_CONTACT)]: [
        contactCreated({ contactId: OTHER_CONTACT }),
        contactDataAdded({ contactId: OTHER_CONTACT, data: DEF }),
        contactsMerged({ contactId: OTHER_CONTACT, mergedContactIds: [CONTACT], data: [ABC] }),
      ],
      [streams.contact(CONTACT)]: [
        contactCreated({ createdAt: T1 }),
        contactDataAdded({ data: ABC }),
        contactMergedInto({ contactId: CONTACT, survivorId: OTHER_CONTACT }),
      ],
    })
      .when(
        settling({ contact_object: { _id: CONTACT, name: 'Vasya Pupkin', contacts: [sent(ABC)] } }),
      )
      .then(() => ({
        result: { contactId: OTHER_CONTACT, created: false, contact: { data: [DEF, ABC] } },
        events: [],
      })));

  it('contacts_id edits the item it names: new key claimed, item changed, old key released', () =>
    given(existingContact(CONTACT, [ABC]))
      .when(settling({ contacts_id: [{ id: ABC.id, value: 'xyz' }] }))
      .then(() => {
        const edited = customId('xyz', ABC.id);
        return {
          result: { contactId: CONTACT, created: false, contact: { data: [edited] } },
          events: [
            ...inStream(
              streams.contactKey(edited.key),
              contactKeyClaimed({ key: edited.key, dataId: ABC.id }),
            ),
            ...inStream(
              streams.contact(CONTACT),
              contactDataChanged({ data: edited, previousKey: ABC.key }),
            ),
            ...inStream(streams.contactKey(ABC.key), contactKeyReleased({ key: ABC.key })),
          ],
        };
      }));

  it('a claim found unfulfilled is fulfilled: the promised contact is created, and reported created', () =>
    given(claimsOf(CONTACT, [ABC]))
      .when(settling(vasya(sent(ABC))))
      .then(() => ({
        result: { contactId: CONTACT, created: true, contact: { data: [ABC] } },
        events: inStream(
          streams.contact(CONTACT),
          contactCreated({ createdAt: NOW }),
          contactDataAdded({ data: ABC }),
        ),
      })));

  it('a deleted contact’s data matches no more: a new contact claims it over', () =>
    given({
      ...existingContact(CONTACT, [ABC]),
      [streams.contact(CONTACT)]: [
        contactCreated(),
        contactDataAdded({ data: ABC }),
        contactDeleted(),
      ],
    })
      .when(settling(vasya(sent(ABC))))
      .then(({ contactId, contact }) => {
        const data = customId('abc', contact.data[0]?.id);
        expect(contactId).not.toBe(CONTACT);
        return { result: { created: true }, events: newContactEvents(contactId, [data], NOW) };
      }));

  it('an erased contact’s data matches no more: a new contact claims it over', () =>
    given({
      ...existingContact(CONTACT, [ABC]),
      [streams.contact(CONTACT)]: [
        contactCreated(),
        contactDataAdded({ data: ABC }),
        contactErased(),
      ],
    })
      .when(settling(vasya(sent(ABC))))
      .then(({ contactId, contact }) => {
        const data = customId('abc', contact.data[0]?.id);
        expect(contactId).not.toBe(CONTACT);
        return { result: { created: true }, events: newContactEvents(contactId, [data], NOW) };
      }));

  it('data held by a contact merged into an erased one is claimed over too', () =>
    given({
      ...existingContact(OTHER_CONTACT, [ABC]),
      [streams.contact(OTHER_CONTACT)]: [
        contactCreated({ contactId: OTHER_CONTACT }),
        contactMergedInto({ contactId: OTHER_CONTACT, survivorId: CONTACT }),
      ],
      [streams.contact(CONTACT)]: [
        contactCreated(),
        contactErased({ erasedContactIds: [CONTACT, OTHER_CONTACT] }),
      ],
    })
      .when(settling(vasya(sent(ABC))))
      .then(({ contactId, contact }) => {
        const data = customId('abc', contact.data[0]?.id);
        expect([CONTACT, OTHER_CONTACT]).not.toContain(contactId);
        return { result: { created: true }, events: newContactEvents(contactId, [data], NOW) };
      }));

  it('refuses an erased contact named by _id as the seed refuses a deleted one', () =>
    given({
      ...existingContact(CONTACT, [ABC]),
      [streams.contact(CONTACT)]: [contactCreated(), contactErased()],
    })
      .when(settling({ contact_object: { _id: CONTACT, name: 'Vasya', contacts: [sent(DEF)] } }))
      .thenFails('E_CONTACT_DELETED'));

  /** another request claims the key between this request's plan and its first append */
  const racedBy = (contactId: string) => (store: EventStore) => {
    let raced = false;
    return aroundAppends(store, async (append, streamId) => {
      if (!raced && streamId === streams.contactKey(ABC.key)) {
        raced = true;
        for (const [stream, events] of Object.entries(existingContact(contactId, [ABC], T1)))
          await store.appendToStream(
            stream,
            events.map((e, i) => ({
              id: `00000000-0000-4000-8000-a0000000000${i}`,
              ...e,
              metadata: {
                correlationId: 'other request',
                causationId: null,
                actor: { type: 'system' },
                recordedAt: T1,
                schemaVersion: 1,
              },
            })),
            { expectedRevision: 'any' },
          );
      }
      return append();
    });
  };

  it('a refused step makes it plan again: the key another request claimed first names the contact', () =>
    given({}, racedBy(OTHER_CONTACT))
      .when(settling(vasya(sent(ABC))))
      .then(() => ({
        result: { contactId: OTHER_CONTACT, created: false },
        // only the other request's events: this one appended nothing of its own
        events: Object.entries(existingContact(OTHER_CONTACT, [ABC], T1)).flatMap(
          ([stream, events]) => inStream(stream, ...events),
        ),
      })));

  it('refuses a deleted contact named by _id, appending nothing', () =>
    given({
      ...existingContact(CONTACT, [ABC]),
      [streams.contact(CONTACT)]: [contactCreated(), contactDeleted()],
    })
      .when(settling({ contact_object: { _id: CONTACT, name: 'Vasya', contacts: [sent(DEF)] } }))
      .thenFails('E_CONTACT_DELETED'));

  it('refuses contacts_id that names no contact data, appending nothing', () =>
    given(existingContact(CONTACT, [ABC]))
      .when(settling({ contacts_id: [{ id: DEF.id }] }))
      .thenFails('E_MALFORMED_CONTACT_ID'));
});
