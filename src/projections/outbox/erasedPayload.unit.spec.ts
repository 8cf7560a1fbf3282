import {
  contactCreated,
  contactDataAdded,
  contactErased,
} from '../../domain/testing/builders/contact';
import { dialogOpened, messageReceived, messageSent } from '../../domain/testing/builders/dialog';
import { DIALOG, T1 } from '../../domain/testing/builders/ids';
import type { ContactEvent } from '../../domain/contact/events';
import type { DialogEvent } from '../../domain/dialog/events';
import { ERASED } from '../../domain/shared/erased';
import { erasedPayload } from './erasedPayload';
import { evolveContact, evolveDialog, type OutboxContact, type OutboxDialog } from './outboxState';
import { webhookPayload, webhookTriggerOf } from './payload';

const dialogAfter = (...events: DialogEvent[]) =>
  events.reduce<OutboxDialog | null>(evolveDialog, null) as OutboxDialog;
const contactAfter = (...events: ContactEvent[]) =>
  events.reduce<OutboxContact | null>(evolveContact, null) as OutboxContact;

const attachment = {
  url: 'https://f.example/a.pdf',
  size: 3,
  name: 'a.pdf',
  mimeType: 'application/pdf',
};
const received = messageReceived({
  text: 'my card is 4111',
  html: '<b>4111</b>',
  attachments: [attachment],
  integrationData: 'crm-7',
});
const bodyOf = (message: DialogEvent, contact: OutboxContact) =>
  webhookPayload({
    id: 'msg_1',
    type: 'message.created',
    timestamp: T1,
    dialog: dialogAfter(dialogOpened({ title: 'Card lost' }), received),
    message: webhookTriggerOf(message)?.message ?? null,
    contact,
    changes: [],
  });

describe('a webhook body after its contact was erased', () => {
  const contact = contactAfter(contactCreated(), contactDataAdded());

  it('reads [erased] wherever the person was; ids, times and sizes stay', () => {
    const erased = JSON.parse(erasedPayload(bodyOf(received, contact)));
    expect(erased.data.dialog).toMatchObject({
      id: DIALOG,
      title: ERASED,
      integration_data: ERASED,
    });
    expect(erased.data.message).toMatchObject({
      text: ERASED,
      html: ERASED,
      integration_data: ERASED,
      attachments: [{ url: ERASED, name: ERASED, size: 3, mimeType: 'application/pdf' }],
      created_at: received.data.createdAt,
    });
    expect(erased.data.contact).toEqual({
      id: contact.contactId,
      name: ERASED,
      description: null,
      contacts: [],
    });
  });

  it('is what a payload made from the erased outbox state says', () => {
    const after = contactAfter(contactCreated(), contactDataAdded(), contactErased());
    const sent = messageSent({ text: 'hello Vasya' });
    expect(JSON.parse(erasedPayload(bodyOf(sent, contact))).data.contact).toEqual(
      JSON.parse(bodyOf(sent, after)).data.contact,
    );
  });
});
