import { absurd } from 'fp-ts/function';
import type { ParleyEvent } from '../../domain';
import type { Actor } from '../ports/eventStore';

/** An operator's name for a sentence; the id when the operator is unknown. */
export type OperatorNames = (operatorId: string) => string;

const who = (actor: Actor, names: OperatorNames): string => {
  switch (actor.type) {
    case 'integration':
      return `The integration of channel ${actor.channelId}`;
    case 'operator':
      return `Operator ${names(actor.operatorId)}`;
    case 'admin':
      return 'The admin';
    case 'system':
      return 'Parley';
    default:
      return absurd(actor);
  }
};

const quoted = (text: string | null): string => (text === null ? 'nothing' : `“${text}”`);

const count = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What the actor did, after the actor's name: "assigned the dialog to Petya". */
const deed = (event: ParleyEvent, names: OperatorNames): string => {
  switch (event.type) {
    case 'ChannelCreated':
      return `created the channel ${quoted(event.data.name)}`;
    case 'ChannelRenamed':
      return `renamed the channel from ${quoted(event.data.previousName)} to ${quoted(event.data.name)}`;
    case 'ChannelEnabled':
      return 'enabled the channel';
    case 'ChannelDisabled':
      return 'disabled the channel';
    case 'ChannelDeleted':
      return 'deleted the channel';
    case 'ChannelTokenIssued':
      return `issued the channel token ${event.data.prefix}…`;
    case 'ChannelTokenRevoked':
      return `revoked the channel token ${event.data.tokenId}`;
    case 'DialogOpened':
      return event.data.reference === null
        ? 'opened the dialog'
        : `opened the dialog with reference ${quoted(event.data.reference)}`;
    case 'DialogTitleChanged':
      return `changed the dialog's title from ${quoted(event.data.previousTitle)} to ${quoted(event.data.title)}`;
    case 'DialogReopened':
      return event.data.reason === 'message_received'
        ? "reopened the closed dialog with the customer's message"
        : 'reopened the closed dialog with a reply';
    case 'DialogStatusChanged':
      return event.data.status === 'closed' ? 'closed the dialog' : 'reopened the dialog';
    case 'DialogAssigned':
      return event.data.assigneeId === null
        ? 'unassigned the dialog'
        : `assigned the dialog to ${names(event.data.assigneeId)}`;
    case 'MessageReceived':
      return `posted the customer's message ${event.data.messageId}`;
    case 'MessageSent':
      return `replied with message ${event.data.messageId}`;
    case 'MessageDeliveryStatusChanged':
      return `reported message ${event.data.messageId} ${event.data.status}`;
    case 'ContactCreated':
      return `created the contact ${quoted(event.data.name)}`;
    case 'ContactUpdated':
      return `renamed the contact to ${quoted(event.data.name)}`;
    case 'ContactDataAdded':
      return `added ${event.data.data.service} contact data of type ${event.data.data.type}`;
    case 'ContactDataChanged':
      return `changed contact data ${event.data.data.id}`;
    case 'ContactsMerged':
      return `merged ${count(event.data.mergedContactIds.length, 'contact')} into this one (${event.data.mergedContactIds.join(', ')})`;
    case 'ContactMergedInto':
      return `merged the contact into ${event.data.survivorId}`;
    case 'ContactDeleted':
      return 'deleted the contact';
    case 'ContactErased':
      return `erased the contact's data (${count(event.data.erasedContactIds.length, 'contact')}: ${event.data.erasedContactIds.join(', ')})`;
    case 'OperatorCreated':
      return `created the operator ${quoted(event.data.name)}`;
    case 'OperatorTokenIssued':
      return `issued the operator token ${event.data.prefix}…`;
    case 'OperatorTokenRevoked':
      return `revoked the operator token ${event.data.tokenId}`;
    case 'WebhookSubscribed':
      return `subscribed ${event.data.url} to ${event.data.events.join(', ')}`;
    case 'WebhookUpdated':
      return event.data.reason === 'endpoint_gone'
        ? 'disabled the subscription: the endpoint answered 410 Gone'
        : `changed the subscription (${event.data.enabled ? 'enabled' : 'disabled'}, ${event.data.url})`;
    case 'WebhookSecretRotated':
      return 'rotated the signing secret';
    case 'WebhookRemoved':
      return 'removed the subscription';
    case 'AuditorCreated':
      return `created the auditor ${quoted(event.data.name)}`;
    case 'AuditorTokenIssued':
      return `issued the auditor token ${event.data.prefix}…`;
    case 'AuditorRemoved':
      return `removed the auditor ${event.data.auditorId}`;
    case 'DialogReferenceClaimed':
      return `claimed the reference ${quoted(event.data.reference)} for dialog ${event.data.dialogId}`;
    case 'ContactKeyClaimed':
      return `claimed contact data for contact ${event.data.contactId}`;
    case 'ContactKeyReleased':
      return `released contact data of contact ${event.data.contactId}`;
    case 'ContactDataRegistered':
      return `registered contact data ${event.data.dataId} for contact ${event.data.contactId}`;
    case 'AttachmentStored':
      return `kept attachment ${event.data.attachmentId} of message ${event.data.messageId} (${event.data.size} bytes)`;
    case 'AttachmentFetchFailed':
      return `could not keep attachment ${event.data.attachmentId} of message ${event.data.messageId}: ${event.data.reason}`;
    default:
      return absurd(event);
  }
};

/** One line in plain words: "Operator Masha assigned the dialog to Petya". */
export const summarize = (
  event: Readonly<{ type: string; data: unknown }>,
  actor: Actor,
  names: OperatorNames,
): string => {
  const known = event as ParleyEvent;
  let what: string;
  try {
    what = deed(known, names);
  } catch {
    // an event type this version does not know (written by a newer one): say what it is
    what = `recorded ${event.type}`;
  }
  return `${who(actor, names)} ${what}.`;
};
