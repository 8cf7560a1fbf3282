import {
  dialogAssigned,
  dialogClosed,
  dialogOpened,
  dialogReopened,
  dialogTitleChanged,
  messageReceived,
  messageSent,
} from '../../domain/testing/builders/dialog';
import {
  contactCreated,
  contactDataAdded,
  contactDataChanged,
  contactDeleted,
  contactMergedInto,
  contactsMerged,
  contactUpdated,
  customId,
  phone,
} from '../../domain/testing/builders/contact';
import {
  CONTACT,
  DIALOG,
  OPERATOR,
  OTHER_CONTACT,
  T0,
  T1,
} from '../../domain/testing/builders/ids';
import fc from 'fast-check';
import type { DialogEvent } from '../../domain/dialog/events';
import type { ContactEvent } from '../../domain/contact/events';
import { contactDecider } from '../../domain/contact/decide';
import { dialogDecider } from '../../domain/dialog/decide';
import { fold } from '../../domain/shared/decider';
import { evolveContact, evolveDialog, type OutboxContact, type OutboxDialog } from './outboxState';
import { webhookMessageId, webhookPayload, webhookTriggerOf } from './payload';

const dialogAfter = (...events: DialogEvent[]) =>
  events.reduce<OutboxDialog | null>(evolveDialog, null);
const contactAfter = (...events: ContactEvent[]) =>
  events.reduce<OutboxContact | null>(evolveContact, null);

describe('webhook outbox', () => {
  describe('which webhook event a dialog event makes', () => {
    it('dialog.created when a dialog opens', () =>
      expect(webhookTriggerOf(dialogOpened())?.type).toBe('dialog.created'));

    it.each([
      ['closed by an operator', dialogClosed(), { field: 'status', from: 'open', to: 'closed' }],
      ['reopened by activity', dialogReopened(), { field: 'status', from: 'closed', to: 'open' }],
      ['assigned', dialogAssigned(), { field: 'assignee_id', from: null, to: OPERATOR }],
      ['retitled', dialogTitleChanged(), { field: 'title', from: null, to: 'Order 42' }],
    ])('dialog.updated when %s', (_, event, change) =>
      expect(webhookTriggerOf(event)).toEqual({
        type: 'dialog.updated',
        changes: [change],
        message: null,
      }),
    );

    it('message.created, incoming, for a customer’s message', () =>
      expect(webhookTriggerOf(messageReceived({ integrationData: 'x' }))).toMatchObject({
        type: 'message.created',
        message: { direction: 'incoming', integrationData: 'x', contactId: CONTACT },
      }));

    it('message.created, outgoing, for an operator’s reply', () =>
      expect(webhookTriggerOf(messageSent())).toMatchObject({
        type: 'message.created',
        message: { direction: 'outgoing', operatorId: OPERATOR, createdAt: T1 },
      }));
  });

  describe('the dialog it keeps', () => {
    it('follows status, assignee and title', () =>
      expect(
        dialogAfter(dialogOpened(), dialogTitleChanged(), dialogAssigned(), dialogClosed()),
      ).toMatchObject({ status: 'closed', assigneeId: OPERATOR, title: 'Order 42' }));

    it('keeps the latest integration data an incoming message carried', () => {
      const dialog = dialogAfter(
        dialogOpened(),
        messageReceived({ integrationData: 'first' }),
        messageReceived({ integrationData: 'second' }),
        messageReceived({ integrationData: null }),
        messageSent(),
      );
      expect(dialog?.integrationData).toBe('second');
    });

    it('replies go to the contact who wrote last', () =>
      expect(
        dialogAfter(dialogOpened(), messageReceived({ contactId: OTHER_CONTACT }))?.contactId,
      ).toBe(OTHER_CONTACT));

    it('ignores events of a dialog it never saw open', () =>
      expect(dialogAfter(messageSent())).toBeNull());
  });

  describe('the contact it keeps', () => {
    it('follows name, data and changes to data', () => {
      const contact = contactAfter(
        contactCreated(),
        contactUpdated({ name: 'Vasya', description: 'VIP' }),
        contactDataAdded(),
        contactDataAdded({ data: phone() }),
        contactDataAdded(), // the same key again
        contactDataChanged(),
      );
      expect(contact).toMatchObject({ name: 'Vasya', description: 'VIP', deleted: false });
      expect(contact?.data.map((d) => d.value)).toEqual(['new-value', phone().value]);
    });

    it('gains the data of merged contacts and names its survivor once merged', () => {
      expect(contactAfter(contactCreated(), contactsMerged({ data: [phone()] }))?.data).toEqual([
        phone(),
      ]);
      expect(
        contactAfter(contactCreated({ contactId: OTHER_CONTACT }), contactMergedInto())?.survivorId,
      ).toBe(CONTACT);
    });

    it('remembers a deletion', () =>
      expect(contactAfter(contactCreated(), contactDeleted())?.deleted).toBe(true));
  });

  describe('the payload', () => {
    const dialog = dialogAfter(
      dialogOpened({ reference: 'avito-42' }),
      messageReceived({ integrationData: '{"chat":7}' }),
    ) as OutboxDialog;
    const contact = contactAfter(contactCreated(), contactDataAdded()) as OutboxContact;

    it('carries the dialog’s reference and latest integration data, the message and the contact', () => {
      const sent = messageSent({ html: '<p onclick="x()">hi<script>evil()</script></p>' });
      const trigger = webhookTriggerOf(sent);
      const body = JSON.parse(
        webhookPayload({
          id: webhookMessageId(DIALOG, 3n),
          type: 'message.created',
          timestamp: T1,
          dialog,
          message: trigger?.message ?? null,
          contact,
          changes: [],
        }),
      );
      expect(body).toEqual({
        id: `msg_${DIALOG}_3`,
        type: 'message.created',
        timestamp: T1,
        data: {
          dialog: {
            id: DIALOG,
            channel_id: dialog.channelId,
            reference: 'avito-42',
            title: null,
            status: 'open',
            assignee_id: null,
            integration_data: '{"chat":7}',
            created_at: T1,
          },
          message: {
            id: sent.data.messageId,
            direction: 'outgoing',
            text: 'how can I help?',
            html: '<p>hi</p>',
            attachments: [],
            created_at: T1,
            operator_id: OPERATOR,
          },
          contact: {
            id: CONTACT,
            name: 'Vasya Pupkin',
            description: null,
            contacts: [
              {
                id: customId().id,
                value: customId().value,
                type: 'id',
                service: 'custom',
                origin: 'custom',
              },
            ],
          },
        },
      });
    });

    it('says what changed in a dialog.updated, and has no message', () => {
      const body = JSON.parse(
        webhookPayload({
          id: 'msg_x',
          type: 'dialog.updated',
          timestamp: T0,
          dialog,
          message: null,
          contact: null,
          changes: [{ field: 'status', from: 'open', to: 'closed' }],
        }),
      );
      expect(body.data.changes).toEqual([{ field: 'status', from: 'open', to: 'closed' }]);
      expect(body.data).not.toHaveProperty('message');
      expect(body.data.contact).toBeNull();
    });
  });
  describe('on the domain’s evolve', () => {
    const anyOf = <E>(...events: E[]) => fc.array(fc.constantFrom(...events), { maxLength: 12 });

    it('keeps, event by event from its rows, the domain’s dialog less its message trail', () =>
      fc.assert(
        fc.property(
          anyOf<DialogEvent>(
            dialogOpened({ reference: 'ref-1', title: 'Hi' }),
            dialogTitleChanged(),
            dialogReopened(),
            dialogClosed(),
            dialogAssigned(),
            messageReceived(),
            messageSent(),
          ),
          (events) => {
            const domain = fold(dialogDecider, events);
            const outbox = dialogAfter(...events);
            if (domain.status === 'absent') return expect(outbox).toBeNull();
            const { dialogId, channelId, reference, title, status, assigneeId } = domain;
            expect(outbox).toMatchObject({
              dialogId,
              channelId,
              reference,
              title,
              status,
              assigneeId,
            });
          },
        ),
      ));

    it('keeps, event by event from its rows, what a payload shows of the domain’s contact', () =>
      fc.assert(
        fc.property(
          anyOf<ContactEvent>(
            contactCreated(),
            contactUpdated({ name: 'Vasya', description: 'VIP' }),
            contactDataAdded(),
            contactDataAdded({ data: phone() }),
            contactDataChanged(),
            contactsMerged({ data: [phone('+70000000000', '5c52bf6f3e308a00367a7fb1')] }),
            contactMergedInto(),
            contactDeleted(),
          ),
          (events) => {
            const domain = fold(contactDecider, events);
            const outbox = contactAfter(...events);
            if (domain.status === 'absent') return expect(outbox).toBeNull();
            const { contactId, name, description, data, survivorId } = domain;
            expect(outbox).toEqual({
              contactId,
              name,
              description,
              data,
              survivorId,
              deleted: domain.status === 'deleted',
            });
          },
        ),
      ));
  });
});
