import { channelDecider } from '../../domain/channel/decide';
import { fold } from '../../domain/shared/decider';
import type { LiveChannel } from '../channels/integrationAccess';
import { streams } from '../streams';
import { existingContact, newContactEvents } from '../../../test/support/contactStreams';
import { channelCreated } from '../../domain/testing/builders/channel';
import {
  contactCreated,
  contactDeleted,
  contactMergedInto,
  contactsMerged,
  customId,
} from '../../domain/testing/builders/contact';
import { dialogOpened, messageReceived } from '../../domain/testing/builders/dialog';
import { CHANNEL, CONTACT, DIALOG, OTHER_CONTACT, T0, T1 } from '../../domain/testing/builders/ids';
import { inboundRequest } from '../../../test/support/decodedMessage';
import { given, inStream, NOW, type World } from '../../../test/support/useCase';
import { receiveMessage, type InboundMessageRequest } from './receiveMessage';

const channel = fold(channelDecider, [channelCreated()]) as LiveChannel;
const ABC = customId('abc', 'da000000000000000000000a');
const DEF = customId('def', 'da000000000000000000000b');
const wire = (d: typeof ABC) => ({
  id: d.id,
  value: d.value,
  type: d.type,
  service: d.service,
  origin: d.origin,
});

const message = (overrides: Partial<InboundMessageRequest> = {}): InboundMessageRequest =>
  inboundRequest(overrides);

const receive =
  (request: InboundMessageRequest, idempotencyKey: string | null = null) =>
  (world: World) =>
    receiveMessage({ ...world, defaultPhoneRegion: 'RU' }, channel, request, {
      idempotencyKey,
      requestHash: idempotencyKey === null ? '' : 'hash-of-the-body',
      context: world.context,
    });

/** A dialog of CONTACT in the channel, named by reference `avito-42`. */
const dialogWithReference = {
  [streams.dialogReference(CHANNEL, 'avito-42')]: [
    {
      type: 'DialogReferenceClaimed',
      data: { channelId: CHANNEL, reference: 'avito-42', dialogId: DIALOG },
    },
  ],
  [streams.dialog(DIALOG)]: [dialogOpened({ reference: 'avito-42' }), messageReceived()],
};

describe('receiveMessage, on the in-memory store', () => {
  it('a new customer’s first message creates the contact, then opens the dialog', () =>
    given()
      .when(receive(message({ reference: 'avito-42' })))
      .then(({ response }) => {
        const contactId = response.contact_id;
        const data = customId('abc', response.contacts[0]?.id);
        const dialog = { dialogId: response.dialog_id, contactId };
        return {
          result: {
            response: {
              reference: 'avito-42',
              dialog_created: true,
              contact_created: true,
              contacts: [wire(data)],
            },
          },
          events: [
            ...newContactEvents(contactId, [data], NOW),
            ...inStream(streams.dialogReference(CHANNEL, 'avito-42'), {
              type: 'DialogReferenceClaimed',
              data: { channelId: CHANNEL, reference: 'avito-42', dialogId: response.dialog_id },
            }),
            ...inStream(
              streams.dialog(response.dialog_id),
              dialogOpened({ ...dialog, reference: 'avito-42', openedAt: NOW }),
              messageReceived({
                ...dialog,
                messageId: response.message_id,
                createdAt: NOW,
                receivedAt: NOW,
              }),
            ),
          ],
        };
      }));

  it('a known customer’s message goes to the dialog its reference names, and appends only the message', () =>
    given({ ...existingContact(CONTACT, [ABC]), ...dialogWithReference })
      .when(receive(message({ reference: 'avito-42', text: 'again' })))
      .then(({ response }) => ({
        result: {
          response: {
            dialog_id: DIALOG,
            contact_id: CONTACT,
            dialog_created: false,
            contact_created: false,
            contacts: [wire(ABC)],
          },
        },
        events: inStream(
          streams.dialog(DIALOG),
          messageReceived({
            messageId: response.message_id,
            text: 'again',
            createdAt: NOW,
            receivedAt: NOW,
          }),
        ),
      })));

  it('a message whose data two contacts own is from the oldest, which absorbs the other', () =>
    given({
      ...existingContact(CONTACT, [ABC], T0),
      ...existingContact(OTHER_CONTACT, [DEF], T1),
      ...dialogWithReference,
    })
      .when(
        receive(
          message({
            dialogId: DIALOG,
            contactObject: { name: 'Vasya Pupkin', contacts: [wire(ABC), wire(DEF)] },
          }),
        ),
      )
      .then(({ response }) => ({
        result: {
          response: {
            contact_id: CONTACT,
            contact_created: false,
            contacts: [wire(ABC), wire(DEF)],
          },
        },
        events: [
          ...inStream(
            streams.contact(CONTACT),
            contactsMerged({ mergedContactIds: [OTHER_CONTACT], data: [DEF], mergedAt: NOW }),
          ),
          ...inStream(streams.contact(OTHER_CONTACT), contactMergedInto({ mergedAt: NOW })),
          ...inStream(
            streams.dialog(DIALOG),
            messageReceived({ messageId: response.message_id, createdAt: NOW, receivedAt: NOW }),
          ),
        ],
      })));

  it('contacts_id names the contact directly', () =>
    given({ ...existingContact(CONTACT, [ABC]), ...dialogWithReference })
      .when(
        receive(message({ dialogId: DIALOG, contactObject: null, contactsId: [{ id: ABC.id }] })),
      )
      .then(({ response }) => ({
        result: {
          response: { contact_id: CONTACT, contact_created: false, contacts: [wire(ABC)] },
        },
        events: inStream(
          streams.dialog(DIALOG),
          messageReceived({ messageId: response.message_id, createdAt: NOW, receivedAt: NOW }),
        ),
      })));

  const answered = {
    [streams.idempotency(CHANNEL, 'key-1')]: [
      {
        type: 'IdempotentRequestRecorded',
        data: { scope: CHANNEL, requestHash: 'hash-of-the-body', response: { dialog_id: DIALOG } },
      },
    ],
  };

  it('an Idempotency-Key answered before gets the first response again, appending nothing', () =>
    given(answered)
      .when(receive(message(), 'key-1'))
      .then(() => ({ result: { replayed: true, response: { dialog_id: DIALOG } }, events: [] })));

  it('an Idempotency-Key answered before, with another body, is a conflict', () =>
    given(answered)
      .when((world) =>
        receiveMessage({ ...world, defaultPhoneRegion: 'RU' }, channel, message(), {
          idempotencyKey: 'key-1',
          requestHash: 'hash-of-another-body',
          context: world.context,
        }),
      )
      .thenFails('E_IDEMPOTENCY_CONFLICT'));

  it('refuses a message into a dialog of nobody’s, before any append', () =>
    given(existingContact(CONTACT, [ABC]))
      .when(receive(message({ dialogId: DIALOG })))
      .thenFails('E_DIALOG_NOT_FOUND'));

  it('refuses a contact_object._id of a deleted contact, before any append', () =>
    given({
      ...existingContact(CONTACT, [ABC]),
      [streams.contact(CONTACT)]: [contactCreated(), contactDeleted()],
    })
      .when(
        receive(message({ contactObject: { _id: CONTACT, name: 'Vasya', contacts: [wire(DEF)] } })),
      )
      .thenFails('E_CONTACT_DELETED'));

  it('refuses an empty message, before any append', () =>
    given()
      .when(receive(message({ text: null })))
      .thenFails('E_MESSAGE_EMPTY'));
});
