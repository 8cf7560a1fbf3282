/** Every event the domain writes, for serialisation, projections and docs/events.md. */
import type { DialogReferenceEvent } from './claims/dialogReference';
import type { ContactKeyEvent } from './claims/contactKey';
import type { ContactDataRecordEvent } from './claims/contactDataRecord';
import type { AttachmentEvent } from './attachment/events';
import type { AuditorEvent } from './auditor/events';
import type { ChannelEvent } from './channel/events';
import type { ContactEvent } from './contact/events';
import type { DialogEvent } from './dialog/events';
import type { OperatorEvent } from './operator/events';
import type { WebhookSubscriptionEvent } from './webhook/events';

export type ParleyEvent =
  | ChannelEvent
  | DialogEvent
  | ContactEvent
  | DialogReferenceEvent
  | ContactKeyEvent
  | ContactDataRecordEvent
  | OperatorEvent
  | WebhookSubscriptionEvent
  | AuditorEvent
  | AttachmentEvent;
