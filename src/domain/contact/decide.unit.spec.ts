import { specFor } from '../testing/gwt';
import {
  absorbContacts,
  contactCreated,
  contactDataAdded,
  contactDataChanged,
  contactDeleted,
  contactErased,
  contactMergedInto,
  contactsMerged,
  contactUpdated,
  createContact,
  customId,
  deleteContact,
  eraseContact,
  mergeInto,
  phone,
  updateContact,
} from '../testing/builders/contact';
import { CONTACT, OTHER_CONTACT, THIRD_CONTACT } from '../testing/builders/ids';
import { contactDecider } from './decide';

const given = specFor(contactDecider);
const merged = contactMergedInto({ contactId: CONTACT, survivorId: OTHER_CONTACT });

describe('contact', () => {
  describe('CreateContact', () => {
    it('creates a contact with its data', () =>
      given().when(createContact()).then(contactCreated(), contactDataAdded()));

    it('adds each key once', () =>
      given()
        .when(
          createContact({
            data: [customId(), customId(undefined, '5c52bf6f3e308a00367a7fff'), phone()],
          }),
        )
        .then(contactCreated(), contactDataAdded(), contactDataAdded({ data: phone() })));

    it('refuses to create a contact twice', () =>
      given(contactCreated()).when(createContact()).thenFails('E_ALREADY_EXISTS'));
  });

  describe('UpdateContact', () => {
    it('renames and describes', () =>
      given(contactCreated())
        .when(updateContact({ name: 'Vasiliy Pupkin', description: 'VIP' }))
        .then(contactUpdated({ name: 'Vasiliy Pupkin', description: 'VIP' })));

    it('keeps the name when none or an empty one is given', () =>
      given(contactCreated())
        .when(updateContact({ name: '' }))
        .thenNothingHappens());

    it('keeps the description when it is not given', () =>
      given(contactCreated({ description: 'VIP' }))
        .when(updateContact({ name: 'Vasya Pupkin' }))
        .thenNothingHappens());

    it('clears the description when it is given as null', () =>
      given(contactCreated({ description: 'VIP' }))
        .when(updateContact({ name: null, description: null }))
        .then(contactUpdated({ description: null })));

    it('adds new contact data', () =>
      given(contactCreated(), contactDataAdded())
        .when(updateContact({ data: [customId(), phone()] }))
        .then(contactDataAdded({ data: phone() })));

    it('changes an item named by its id', () =>
      given(contactCreated(), contactDataAdded())
        .when(updateContact({ data: [customId('new-value')] }))
        .then(contactDataChanged()));

    it('changes nothing for data it already has', () =>
      given(contactCreated(), contactDataAdded())
        .when(updateContact({ data: [customId()] }))
        .thenNothingHappens());

    it('refuses a contact that does not exist', () =>
      given().when(updateContact()).thenFails('E_CONTACT_NOT_FOUND'));

    it('refuses a deleted contact', () =>
      given(contactCreated(), contactDeleted())
        .when(updateContact())
        .thenFails('E_CONTACT_DELETED'));

    it('points a merged contact to its survivor', () =>
      given(contactCreated(), merged).when(updateContact()).thenFails('E_CONTACT_MERGED'));
  });

  describe('AbsorbContacts', () => {
    it('absorbs other contacts and the data it lacks', () =>
      given(contactCreated(), contactDataAdded())
        .when(
          absorbContacts({ contacts: [{ contactId: OTHER_CONTACT, data: [customId(), phone()] }] }),
        )
        .then(contactsMerged({ mergedContactIds: [OTHER_CONTACT], data: [phone()] })));

    it('absorbs several contacts at once', () =>
      given(contactCreated())
        .when(
          absorbContacts({
            contacts: [
              { contactId: OTHER_CONTACT, data: [phone()] },
              { contactId: THIRD_CONTACT, data: [phone()] },
            ],
          }),
        )
        .then(
          contactsMerged({ mergedContactIds: [OTHER_CONTACT, THIRD_CONTACT], data: [phone()] }),
        ));

    it('changes nothing for contacts already absorbed, so a retried merge converges', () =>
      given(contactCreated(), contactsMerged()).when(absorbContacts()).thenNothingHappens());

    it('ignores itself', () =>
      given(contactCreated())
        .when(absorbContacts({ contacts: [{ contactId: CONTACT, data: [] }] }))
        .thenNothingHappens());

    it('refuses a survivor that does not exist', () =>
      given().when(absorbContacts()).thenFails('E_CONTACT_NOT_FOUND'));
  });

  describe('MergeInto', () => {
    it('marks a contact as merged into its survivor', () =>
      given(contactCreated({ contactId: OTHER_CONTACT }))
        .when(mergeInto())
        .then(contactMergedInto()));

    it('changes nothing when already merged into the same survivor', () =>
      given(contactCreated({ contactId: OTHER_CONTACT }), contactMergedInto())
        .when(mergeInto())
        .thenNothingHappens());

    it('refuses to merge a contact already merged into another', () =>
      given(
        contactCreated({ contactId: OTHER_CONTACT }),
        contactMergedInto({ survivorId: THIRD_CONTACT }),
      )
        .when(mergeInto())
        .thenFails('E_CONTACT_MERGED'));

    it('refuses to merge a contact into itself', () =>
      given(contactCreated())
        .when(mergeInto({ survivorId: CONTACT }))
        .thenFails('E_CONFLICT'));

    it('refuses a deleted contact', () =>
      given(contactCreated(), contactDeleted())
        .when(mergeInto({ survivorId: OTHER_CONTACT }))
        .thenFails('E_CONTACT_DELETED'));
  });

  describe('DeleteContact', () => {
    it('deletes', () => given(contactCreated()).when(deleteContact()).then(contactDeleted()));
    it('refuses to delete twice', () =>
      given(contactCreated(), contactDeleted())
        .when(deleteContact())
        .thenFails('E_CONTACT_DELETED'));
    it('refuses a contact that does not exist', () =>
      given().when(deleteContact()).thenFails('E_CONTACT_NOT_FOUND'));
    it('refuses a merged contact: delete its survivor instead', () =>
      given(contactCreated(), merged).when(deleteContact()).thenFails('E_CONTACT_MERGED'));
  });

  describe('EraseContact', () => {
    const withMerged = eraseContact({ contactIds: [CONTACT, OTHER_CONTACT, THIRD_CONTACT] });

    it('erases a contact and the contacts merged into it, ids only', () =>
      given(contactCreated(), contactsMerged())
        .when(withMerged)
        .then(contactErased({ erasedContactIds: [CONTACT, OTHER_CONTACT, THIRD_CONTACT] })));

    it('names the erased contact first and each id once', () =>
      given(contactCreated())
        .when(eraseContact({ contactIds: [OTHER_CONTACT, CONTACT, OTHER_CONTACT] }))
        .then(contactErased({ erasedContactIds: [CONTACT, OTHER_CONTACT] })));

    it('erases a deleted contact: its data is still in the log', () =>
      given(contactCreated(), contactDeleted()).when(eraseContact()).then(contactErased()));

    it('changes nothing when erased already, so a retry is safe', () =>
      given(contactCreated(), contactErased()).when(eraseContact()).thenNothingHappens());

    it('refuses a merged contact: erase its survivor instead', () =>
      given(contactCreated(), merged).when(eraseContact()).thenFails('E_CONTACT_MERGED'));

    it('refuses a contact that does not exist', () =>
      given().when(eraseContact()).thenFails('E_CONTACT_NOT_FOUND'));

    it('leaves an erased contact that matches nothing and takes no data', () =>
      given(contactCreated(), contactDataAdded(), contactErased())
        .when(updateContact({ name: 'Vasya', data: [phone()] }))
        .thenFails('E_CONTACT_DELETED'));
  });
});
