import { streams } from '../application/streams';
import { ERASED } from '../domain/shared/erased';
import {
  contactCreated,
  contactDataAdded,
  contactErased,
  contactMergedInto,
  contactsMerged,
  customId,
  phone,
} from '../domain/testing/builders/contact';
import { dialogOpened, messageReceived, messageSent } from '../domain/testing/builders/dialog';
import {
  CONTACT,
  DIALOG,
  MESSAGE,
  OTHER_CONTACT,
  OTHER_MESSAGE,
  THIRD_CONTACT,
} from '../domain/testing/builders/ids';
import { inStream, projectionSpec, type Given } from '../../test/support/projectionSpec';
import { contactsProjection } from './contacts/contactsProjection';
import { dialogsProjection } from './dialogs/dialogsProjection';

const OTHER_DIALOG = 'd0000000000000000000000b';
const attachment = {
  url: 'https://files.example/passport.jpg',
  size: 10,
  name: 'passport.jpg',
  mimeType: 'image/jpeg',
};

/**
 * Vasya (CONTACT) absorbed Vasiliy (OTHER_CONTACT); Masha (THIRD_CONTACT) is someone else.
 * `say` is what each personal field holds: the values as written, or ERASED as a replay of the
 * log reads them once the keys are destroyed. Both histories must leave the same rows.
 */
const history = (say: (value: string) => string): Given[] => {
  return [
    ...inStream(
      streams.contact(CONTACT),
      contactCreated({ name: say('Vasya Pupkin'), description: say('VIP') }),
      contactDataAdded({ data: phone(say('+79876543210')) }),
    ),
    ...inStream(
      streams.contact(OTHER_CONTACT),
      contactCreated({ contactId: OTHER_CONTACT, name: say('Vasiliy'), description: null }),
      contactDataAdded({
        contactId: OTHER_CONTACT,
        data: customId(say('vasiliy-42'), 'da000000000000000000000b'),
      }),
      contactMergedInto({ contactId: OTHER_CONTACT, survivorId: CONTACT }),
    ),
    ...inStream(
      streams.contact(THIRD_CONTACT),
      contactCreated({ contactId: THIRD_CONTACT, name: 'Masha', description: null }),
      contactDataAdded({
        contactId: THIRD_CONTACT,
        data: phone('+79990001122', 'da000000000000000000000c'),
      }),
    ),
    ...inStream(
      streams.dialog(DIALOG),
      dialogOpened({
        contactId: OTHER_CONTACT,
        reference: say('avito-42'),
        title: say('My passport'),
      }),
      messageReceived({
        contactId: OTHER_CONTACT,
        text: say('my passport is 4510 123456'),
        attachments: [{ ...attachment, url: say(attachment.url), name: say(attachment.name) }],
        integrationData: say('crm-7'),
      }),
      messageSent({
        messageId: OTHER_MESSAGE,
        text: say('thank you, Vasya'),
        html: say('<b>ok</b>'),
      }),
    ),
    ...inStream(
      streams.dialog(OTHER_DIALOG),
      dialogOpened({ dialogId: OTHER_DIALOG, contactId: THIRD_CONTACT, title: 'Masha asks' }),
      messageReceived({ dialogId: OTHER_DIALOG, contactId: THIRD_CONTACT, text: 'hi from Masha' }),
    ),
    ...inStream(streams.contact(CONTACT), contactsMerged({ mergedContactIds: [OTHER_CONTACT] })),
    ...inStream(
      streams.contact(CONTACT),
      contactErased({ erasedContactIds: [CONTACT, OTHER_CONTACT] }),
    ),
  ];
};

const live = history((value) => value);
const replayed = history(() => ERASED);

describe.each([
  ['as it happened', live],
  ['replayed from the erased log', replayed],
])('an erasure, %s', (_, events) => {
  describe('in the contacts read model', () => {
    const given = projectionSpec(contactsProjection);

    it('blanks the person and every contact merged into them; others stay intact', () =>
      given(...events).thenRows('contacts', [
        { contact_id: CONTACT, name: ERASED, description: ERASED, status: 'erased' },
        { contact_id: OTHER_CONTACT, name: ERASED, description: null, status: 'merged' },
        { contact_id: THIRD_CONTACT, name: 'Masha', description: null, status: 'active' },
      ]));

    it('leaves none of their contact data to search or match', () =>
      given(...events).thenRows('contact_data', [
        { contact_id: THIRD_CONTACT, value: '+79990001122' },
      ]));
  });

  describe('in the dialogs read model', () => {
    const given = projectionSpec(dialogsProjection);

    it('keeps times and counts and blanks the titles', () =>
      given(...events).thenRows('dialogs', [
        {
          dialog_id: DIALOG,
          reference: ERASED,
          title: ERASED,
          integration_data: ERASED,
          last_message_preview: ERASED,
          messages_in: 1,
          messages_out: 1,
          contact_id: CONTACT,
        },
        {
          dialog_id: OTHER_DIALOG,
          reference: null,
          title: 'Masha asks',
          integration_data: null,
          last_message_preview: 'hi from Masha',
          messages_in: 1,
          messages_out: 0,
          contact_id: THIRD_CONTACT,
        },
      ]));

    it('makes messages both ways read [erased]', () =>
      given(...events).thenRows('messages', [
        {
          dialog_id: DIALOG,
          message_id: MESSAGE,
          text: ERASED,
          html: null,
          integration_data: ERASED,
          attachments: [{ ...attachment, url: ERASED, name: ERASED }],
        },
        {
          dialog_id: DIALOG,
          message_id: OTHER_MESSAGE,
          text: ERASED,
          html: ERASED,
          integration_data: null,
          attachments: [],
        },
        {
          dialog_id: OTHER_DIALOG,
          message_id: MESSAGE,
          text: 'hi from Masha',
          html: null,
          integration_data: null,
          attachments: [],
        },
      ]));
  });
});
