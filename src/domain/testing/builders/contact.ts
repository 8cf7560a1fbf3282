import type { ContactCommand } from '../../contact/commands';
import type { ContactData } from '../../contact/contactData';
import type { ContactEvent } from '../../contact/events';
import { CHANNEL, CONTACT, OTHER_CONTACT, T0, T1 } from './ids';
import { builderOf } from './builder';

const event = builderOf<ContactEvent>();
const command = builderOf<ContactCommand>();

/** Contact data with its key derived the way the application derives it. */
export const customId = (
  value = 'phrw1oc544j18buxazs6tlg7q68vdfyin1emk06',
  id = '5c52bf6f3e308a00367a7fae',
): ContactData => ({
  id,
  type: 'id',
  value,
  service: 'custom',
  origin: 'custom',
  key: `custom:${CHANNEL}:id:${value}`,
});
export const phone = (value = '+79876543210', id = '5c52bf6f3e308a00367a7fb0'): ContactData => ({
  id,
  type: 'phone',
  value,
  service: 'whatsapp',
  origin: null,
  key: `phone:${value}`,
});

export const contactCreated = event('ContactCreated', () => ({
  contactId: CONTACT,
  channelId: CHANNEL,
  name: 'Vasya Pupkin',
  description: null,
  createdAt: T0,
}));
export const contactUpdated = event('ContactUpdated', () => ({
  contactId: CONTACT,
  name: 'Vasya Pupkin',
  description: null,
}));
export const contactDataAdded = event('ContactDataAdded', () => ({
  contactId: CONTACT,
  data: customId(),
}));
export const contactDataChanged = event('ContactDataChanged', () => ({
  contactId: CONTACT,
  data: customId('new-value'),
  previousKey: customId().key,
}));
export const contactsMerged = event('ContactsMerged', () => ({
  contactId: CONTACT,
  mergedContactIds: [OTHER_CONTACT],
  data: [],
  mergedAt: T1,
}));
export const contactMergedInto = event('ContactMergedInto', () => ({
  contactId: OTHER_CONTACT,
  survivorId: CONTACT,
  mergedAt: T1,
}));
export const contactDeleted = event('ContactDeleted', () => ({
  contactId: CONTACT,
  deletedAt: T1,
}));

export const contactErased = event('ContactErased', () => ({
  contactId: CONTACT,
  erasedContactIds: [CONTACT],
  erasedAt: T1,
}));

export const createContact = command('CreateContact', () => ({
  contactId: CONTACT,
  channelId: CHANNEL,
  name: 'Vasya Pupkin',
  description: null,
  data: [customId()],
  now: T0,
}));
export const updateContact = command('UpdateContact', () => ({ name: null, data: [] }));
export const absorbContacts = command('AbsorbContacts', () => ({
  contacts: [{ contactId: OTHER_CONTACT, data: [] }],
  now: T1,
}));
export const mergeInto = command('MergeInto', () => ({ survivorId: CONTACT, now: T1 }));
export const deleteContact = command('DeleteContact', () => ({ now: T1 }));
export const eraseContact = command('EraseContact', () => ({ contactIds: [CONTACT], now: T1 }));
