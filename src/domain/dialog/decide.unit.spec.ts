import { specFor } from '../testing/gwt';
import {
  assignDialog,
  closeDialog,
  dialogAssigned,
  dialogClosed,
  dialogOpened,
  dialogReopened,
  dialogStatusChanged,
  dialogTitleChanged,
  messageReceived,
  messageSent,
  receiveMessage,
  reopenDialog,
  sendReply,
} from '../testing/builders/dialog';
import { OTHER_CHANNEL, OTHER_MESSAGE, OTHER_OPERATOR, OPERATOR } from '../testing/builders/ids';
import { dialogDecider } from './decide';

const given = specFor(dialogDecider);
const attachment = {
  url: 'https://cdn.example.com/a.png',
  size: 1024,
  name: 'a.png',
  mimeType: 'image/png',
};

describe('dialog', () => {
  describe('ReceiveMessage', () => {
    it('opens a new dialog with the first message', () =>
      given().when(receiveMessage()).then(dialogOpened(), messageReceived()));

    it('opens a dialog with its reference and title', () =>
      given()
        .when(receiveMessage({ reference: 'avito-42', title: 'Order 42' }))
        .then(dialogOpened({ reference: 'avito-42', title: 'Order 42' }), messageReceived()));

    it('adds a message to an open dialog', () =>
      given(dialogOpened(), messageReceived())
        .when(receiveMessage({ messageId: OTHER_MESSAGE, text: 'anyone?' }))
        .then(messageReceived({ messageId: OTHER_MESSAGE, text: 'anyone?' })));

    it('reopens a closed dialog when a message arrives', () =>
      given(dialogOpened(), dialogClosed())
        .when(receiveMessage({ text: 'hello again' }))
        .then(dialogReopened(), messageReceived({ text: 'hello again' })));

    it('changes the title when it differs', () =>
      given(dialogOpened())
        .when(receiveMessage({ title: 'Order 42' }))
        .then(dialogTitleChanged({ title: 'Order 42', previousTitle: null }), messageReceived()));

    it('keeps the title when it is the same', () =>
      given(dialogOpened({ title: 'Order 42' }))
        .when(receiveMessage({ title: 'Order 42' }))
        .then(messageReceived()));

    it('keeps the title when none is given', () =>
      given(dialogOpened({ title: 'Order 42' }))
        .when(receiveMessage({ title: null }))
        .then(messageReceived()));

    it('keeps html, attachments and integration data as received', () =>
      given()
        .when(
          receiveMessage({
            text: null,
            html: '<b>hi</b>',
            attachments: [attachment],
            integrationData: '{"x":1}',
          }),
        )
        .then(
          dialogOpened(),
          messageReceived({
            text: null,
            html: '<b>hi</b>',
            attachments: [attachment],
            integrationData: '{"x":1}',
          }),
        ));

    it('accepts a message made of attachments only', () =>
      given(dialogOpened())
        .when(receiveMessage({ text: null, attachments: [attachment] }))
        .then(messageReceived({ text: null, attachments: [attachment] })));

    it('refuses an empty message', () =>
      given(dialogOpened())
        .when(receiveMessage({ text: '', html: null, attachments: [] }))
        .thenFails('E_MESSAGE_EMPTY'));

    it('refuses a dialog addressed by id that does not exist', () =>
      given()
        .when(receiveMessage({ mustExist: true }))
        .thenFails('E_DIALOG_NOT_FOUND'));

    it('refuses a dialog of another channel', () =>
      given(dialogOpened({ channelId: OTHER_CHANNEL }))
        .when(receiveMessage())
        .thenFails('E_DIALOG_NOT_FOUND'));

    it('changes nothing when the same request is retried', () =>
      given(dialogOpened(), messageReceived({ requestHash: 'h1' }))
        .when(receiveMessage({ requestHash: 'h1' }))
        .thenNothingHappens());

    it('refuses another request under the same idempotency key', () =>
      given(dialogOpened(), messageReceived({ requestHash: 'h1' }))
        .when(receiveMessage({ requestHash: 'h2', text: 'something else' }))
        .thenFails('E_IDEMPOTENCY_CONFLICT'));
  });

  describe('SendReply', () => {
    it('sends an operator reply', () =>
      given(dialogOpened()).when(sendReply()).then(messageSent()));
    it('reopens a closed dialog', () =>
      given(dialogOpened(), dialogClosed())
        .when(sendReply())
        .then(dialogReopened({ reason: 'reply_sent' }), messageSent()));
    it('names no operator when the admin token replies', () =>
      given(dialogOpened())
        .when(sendReply({ operatorId: null }))
        .then(messageSent({ operatorId: null })));
    it('sends a reply of html and attachments only', () =>
      given(dialogOpened())
        .when(sendReply({ text: null, html: '<b>done</b>', attachments: [attachment] }))
        .then(messageSent({ text: null, html: '<b>done</b>', attachments: [attachment] })));
    it('adds a second reply to a dialog that already has one', () =>
      given(dialogOpened(), messageSent())
        .when(sendReply({ messageId: OTHER_MESSAGE, text: 'anything else?' }))
        .then(messageSent({ messageId: OTHER_MESSAGE, text: 'anything else?' })));
    it('refuses an empty reply', () =>
      given(dialogOpened())
        .when(sendReply({ text: null }))
        .thenFails('E_MESSAGE_EMPTY'));
    it('refuses a reply to a dialog that does not exist', () =>
      given().when(sendReply()).thenFails('E_DIALOG_NOT_FOUND'));
    it('changes nothing when the same reply is retried', () =>
      given(dialogOpened(), messageSent({ requestHash: 'r1' }))
        .when(sendReply({ requestHash: 'r1' }))
        .thenNothingHappens());
    it('refuses another reply under the same idempotency key', () =>
      given(dialogOpened(), messageSent({ requestHash: 'r1' }))
        .when(sendReply({ requestHash: 'r2' }))
        .thenFails('E_IDEMPOTENCY_CONFLICT'));
  });

  describe('AssignDialog', () => {
    it('assigns an operator', () =>
      given(dialogOpened()).when(assignDialog()).then(dialogAssigned()));
    it('reassigns to another operator', () =>
      given(dialogOpened(), dialogAssigned())
        .when(assignDialog({ assigneeId: OTHER_OPERATOR }))
        .then(dialogAssigned({ assigneeId: OTHER_OPERATOR, previousAssigneeId: OPERATOR })));
    it('unassigns', () =>
      given(dialogOpened(), dialogAssigned())
        .when(assignDialog({ assigneeId: null }))
        .then(dialogAssigned({ assigneeId: null, previousAssigneeId: OPERATOR })));
    it('assigns a closed dialog without reopening it', () =>
      given(dialogOpened(), dialogClosed()).when(assignDialog()).then(dialogAssigned()));
    it('changes nothing when unassigning a dialog nobody holds', () =>
      given(dialogOpened())
        .when(assignDialog({ assigneeId: null }))
        .thenNothingHappens());
    it('changes nothing when the assignee is the same', () =>
      given(dialogOpened(), dialogAssigned()).when(assignDialog()).thenNothingHappens());
    it('refuses a dialog that does not exist', () =>
      given().when(assignDialog()).thenFails('E_DIALOG_NOT_FOUND'));
  });

  describe('CloseDialog and ReopenDialog', () => {
    it('closes an open dialog', () =>
      given(dialogOpened()).when(closeDialog()).then(dialogClosed()));
    it('changes nothing when already closed', () =>
      given(dialogOpened(), dialogClosed()).when(closeDialog()).thenNothingHappens());
    it('reopens a closed dialog', () =>
      given(dialogOpened(), dialogClosed())
        .when(reopenDialog())
        .then(dialogStatusChanged({ status: 'open', previousStatus: 'closed' })));
    it('changes nothing when already open', () =>
      given(dialogOpened()).when(reopenDialog()).thenNothingHappens());
    it('refuses to close a dialog that does not exist', () =>
      given().when(closeDialog()).thenFails('E_DIALOG_NOT_FOUND'));
    it('refuses to reopen a dialog that does not exist', () =>
      given().when(reopenDialog()).thenFails('E_DIALOG_NOT_FOUND'));
  });
});
