import type { ContactDataRecordEvent } from '../../src/domain/claims/contactDataRecord';
import type { ContactKeyEvent } from '../../src/domain/claims/contactKey';
import type { ContactData } from '../../src/domain/contact/contactData';
import type { Event } from '../../src/domain/shared/decider';
import { streams } from '../../src/application/streams';
import { builderOf } from '../../src/domain/testing/builders/builder';
import { CHANNEL, CONTACT, T0 } from '../../src/domain/testing/builders/ids';
import {
  contactCreated,
  contactDataAdded,
  customId,
} from '../../src/domain/testing/builders/contact';
import { inStream, type InStream } from './useCase';

const keyEvent = builderOf<ContactKeyEvent>();
const dataEvent = builderOf<ContactDataRecordEvent>();

export const contactKeyClaimed = keyEvent('ContactKeyClaimed', () => ({
  key: customId().key,
  contactId: CONTACT,
  dataId: customId().id,
}));
export const contactKeyReleased = keyEvent('ContactKeyReleased', () => ({
  key: customId().key,
  contactId: CONTACT,
}));
export const contactDataRegistered = dataEvent('ContactDataRegistered', () => ({
  dataId: customId().id,
  contactId: CONTACT,
  channelId: CHANNEL,
  service: 'custom',
}));

/** The claims a contact's data leaves: each key claimed, each data id registered. */
export const claimsOf = (
  contactId: string,
  data: readonly ContactData[],
): Record<string, Event[]> =>
  Object.fromEntries(
    data.flatMap((d) => [
      [streams.contactKey(d.key), [contactKeyClaimed({ key: d.key, contactId, dataId: d.id })]],
      [
        streams.contactData(d.id),
        [contactDataRegistered({ dataId: d.id, contactId, service: d.service })],
      ],
    ]),
  );

/** Every stream of a contact created at `createdAt` with `data`, as the inbound endpoint leaves them. */
export const existingContact = (
  contactId: string,
  data: readonly ContactData[],
  createdAt = T0,
): Record<string, Event[]> => ({
  ...claimsOf(contactId, data),
  [streams.contact(contactId)]: [
    contactCreated({ contactId, createdAt }),
    ...data.map((d) => contactDataAdded({ contactId, data: d })),
  ],
});

/** What a request appends for a new contact with `data`: claims, registrations, then the contact. */
export const newContactEvents = (
  contactId: string,
  data: readonly ContactData[],
  createdAt: string,
): InStream[] => [
  ...data.flatMap((d) =>
    inStream(streams.contactKey(d.key), contactKeyClaimed({ key: d.key, contactId, dataId: d.id })),
  ),
  ...data.flatMap((d) =>
    inStream(
      streams.contactData(d.id),
      contactDataRegistered({ dataId: d.id, contactId, service: d.service }),
    ),
  ),
  ...inStream(
    streams.contact(contactId),
    contactCreated({ contactId, createdAt }),
    ...data.map((d) => contactDataAdded({ contactId, data: d })),
  ),
];
