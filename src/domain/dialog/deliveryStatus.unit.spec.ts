import { specFor } from '../testing/gwt';
import {
  dialogOpened,
  messageDeliveryStatusChanged,
  messageReceived,
  messageSent,
  reportDeliveryStatus,
} from '../testing/builders/dialog';
import { OTHER_CHANNEL, OTHER_MESSAGE } from '../testing/builders/ids';
import { dialogDecider } from './decide';

const given = specFor(dialogDecider);
const delivered = messageDeliveryStatusChanged();
const read = messageDeliveryStatusChanged({ status: 'read', previousStatus: 'delivered' });
const failed = messageDeliveryStatusChanged({
  status: 'failed',
  previousStatus: 'sent',
  reason: 'blocked by the customer',
});

describe('dialog: ReportDeliveryStatus', () => {
  it('records a sent message as delivered', () =>
    given(dialogOpened(), messageSent()).when(reportDeliveryStatus()).then(delivered));

  it('moves delivered on to read', () =>
    given(dialogOpened(), messageSent(), delivered)
      .when(reportDeliveryStatus({ status: 'read' }))
      .then(read));

  it('goes straight from sent to read', () =>
    given(dialogOpened(), messageSent())
      .when(reportDeliveryStatus({ status: 'read' }))
      .then(messageDeliveryStatusChanged({ status: 'read', previousStatus: 'sent' })));

  it('changes nothing when the same status is reported again', () =>
    given(dialogOpened(), messageSent(), delivered)
      .when(reportDeliveryStatus())
      .thenNothingHappens());

  it('never moves back: delivered after read changes nothing', () =>
    given(dialogOpened(), messageSent(), delivered, read)
      .when(reportDeliveryStatus({ status: 'delivered' }))
      .thenNothingHappens());

  it('records a failure with its reason', () =>
    given(dialogOpened(), messageSent())
      .when(reportDeliveryStatus({ status: 'failed', reason: 'blocked by the customer' }))
      .then(failed));

  it('keeps a reason for failed only', () =>
    given(dialogOpened(), messageSent())
      .when(reportDeliveryStatus({ reason: 'ignored' }))
      .then(delivered));

  it('lets delivered follow failed: the integration retried and got through', () =>
    given(dialogOpened(), messageSent(), failed)
      .when(reportDeliveryStatus())
      .then(messageDeliveryStatusChanged({ previousStatus: 'failed' })));

  it('ignores failed after delivered: the customer has the message', () =>
    given(dialogOpened(), messageSent(), delivered)
      .when(reportDeliveryStatus({ status: 'failed', reason: 'late' }))
      .thenNothingHappens());

  it('tracks each message on its own', () =>
    given(dialogOpened(), messageSent(), messageSent({ messageId: OTHER_MESSAGE }), read)
      .when(reportDeliveryStatus({ messageId: OTHER_MESSAGE }))
      .then(messageDeliveryStatusChanged({ messageId: OTHER_MESSAGE })));

  it('refuses a message the dialog does not hold', () =>
    given(dialogOpened(), messageSent())
      .when(reportDeliveryStatus({ messageId: OTHER_MESSAGE }))
      .thenFails('E_MESSAGE_NOT_FOUND'));

  it("refuses a message of another channel's dialog", () =>
    given(dialogOpened({ channelId: OTHER_CHANNEL }), messageSent())
      .when(reportDeliveryStatus())
      .thenFails('E_MESSAGE_NOT_FOUND'));

  it("refuses a customer's message: only outgoing ones have a delivery status", () =>
    given(dialogOpened(), messageReceived())
      .when(reportDeliveryStatus())
      .thenFails('E_MESSAGE_NOT_OUTGOING'));

  it('refuses a dialog that does not exist', () =>
    given().when(reportDeliveryStatus()).thenFails('E_DIALOG_NOT_FOUND'));
});
