import { specFor } from '../testing/gwt';
import { CHANNEL, CONTACT, DIALOG, OTHER_CONTACT } from '../testing/builders/ids';
import {
  contactDataRecordDecider,
  type ContactDataRegistered,
  type RegisterContactData,
} from './contactDataRecord';
import { contactKeyDecider, type ContactKeyCommand, type ContactKeyEvent } from './contactKey';
import {
  dialogReferenceDecider,
  type ClaimDialogReference,
  type DialogReferenceClaimed,
} from './dialogReference';

const OTHER_DIALOG = 'd0000000000000000000000b';
const DATA = 'f1000000000000000000000a';
const KEY = `custom:${CHANNEL}:id:abc`;

describe('dialog reference claim', () => {
  const given = specFor(dialogReferenceDecider);
  const claim = (dialogId = DIALOG, replacing: string | null = null): ClaimDialogReference => ({
    type: 'ClaimDialogReference',
    data: { channelId: CHANNEL, reference: 'avito-42', dialogId, replacing },
  });
  const claimed = (dialogId = DIALOG): DialogReferenceClaimed => ({
    type: 'DialogReferenceClaimed',
    data: { channelId: CHANNEL, reference: 'avito-42', dialogId },
  });

  it('claims a free reference', () => given().when(claim()).then(claimed()));
  it('changes nothing when the same dialog claims it again', () =>
    given(claimed()).when(claim()).thenNothingHappens());
  it('refuses another dialog', () =>
    given(claimed()).when(claim(OTHER_DIALOG)).thenFails('E_CLAIM_HELD'));
  it("hands an erased contact's dialog's reference to the dialog replacing it", () =>
    given(claimed()).when(claim(OTHER_DIALOG, DIALOG)).then(claimed(OTHER_DIALOG)));
  it('refuses a replacement of a dialog that no longer holds the reference', () =>
    given(claimed(), claimed(OTHER_DIALOG))
      .when(claim('d0000000000000000000000c', DIALOG))
      .thenFails('E_CLAIM_HELD'));
});

describe('contact key claim', () => {
  const given = specFor(contactKeyDecider);
  const claim = (contactId = CONTACT, replacing: string | null = null): ContactKeyCommand => ({
    type: 'ClaimContactKey',
    data: { key: KEY, contactId, dataId: DATA, replacing },
  });
  const release = (contactId = CONTACT): ContactKeyCommand => ({
    type: 'ReleaseContactKey',
    data: { key: KEY, contactId },
  });
  const claimed = (contactId = CONTACT): ContactKeyEvent => ({
    type: 'ContactKeyClaimed',
    data: { key: KEY, contactId, dataId: DATA },
  });
  const released = (contactId = CONTACT): ContactKeyEvent => ({
    type: 'ContactKeyReleased',
    data: { key: KEY, contactId },
  });

  it('claims a free key', () => given().when(claim()).then(claimed()));
  it('changes nothing when the holder claims it again', () =>
    given(claimed()).when(claim()).thenNothingHappens());
  it('refuses another contact', () =>
    given(claimed()).when(claim(OTHER_CONTACT)).thenFails('E_CLAIM_HELD'));
  it('lets another contact replace a holder known to be gone', () =>
    given(claimed()).when(claim(OTHER_CONTACT, CONTACT)).then(claimed(OTHER_CONTACT)));
  it('claims a released key', () =>
    given(claimed(), released()).when(claim(OTHER_CONTACT)).then(claimed(OTHER_CONTACT)));
  it('releases a key held by the contact', () => given(claimed()).when(release()).then(released()));
  it('does not release a key held by another contact', () =>
    given(claimed()).when(release(OTHER_CONTACT)).thenNothingHappens());
  it('changes nothing when releasing a free key', () =>
    given().when(release()).thenNothingHappens());
});

describe('contact data record', () => {
  const given = specFor(contactDataRecordDecider);
  const register = (contactId = CONTACT): RegisterContactData => ({
    type: 'RegisterContactData',
    data: { dataId: DATA, contactId, channelId: CHANNEL, service: 'custom' },
  });
  const registered = (contactId = CONTACT): ContactDataRegistered => ({
    type: 'ContactDataRegistered',
    data: register(contactId).data,
  });

  it('registers a new data id', () => given().when(register()).then(registered()));
  it('changes nothing when registered again for the same contact', () =>
    given(registered()).when(register()).thenNothingHappens());
  it('refuses to register it for another contact', () =>
    given(registered()).when(register(OTHER_CONTACT)).thenFails('E_CLAIM_HELD'));
});
