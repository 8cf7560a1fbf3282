import { dialogDecider } from '../../domain/dialog/decide';
import type { DialogEvent } from '../../domain/dialog/events';
import type { DeliveryStatus } from '../../domain/dialog/deliveryStatus';
import type { Attachment } from '../../domain/dialog/message';
import type { EventStore, RecordedEvent } from '../ports/eventStore';
import { streams } from '../streams';
import { domainEvents, readStreamAsOf, survivorAsOf, type Cut } from './asOf';

/** A dialog at a moment; the dialogs read model's view is this and the names it joins. */
export type DialogSnapshot = Readonly<{
  dialogId: string;
  channelId: string;
  reference: string | null;
  title: string | null;
  status: 'open' | 'closed';
  assigneeId: string | null;
  contactId: string;
  messagesIn: number;
  messagesOut: number;
  firstMessageAt: Date | null;
  lastMessageAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseSeconds: number | null;
  integrationData: string | null;
  openedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}>;

/** A message at a moment, the messages read model's view too; `html` as recorded here, sanitized there. */
export type MessageSnapshot = Readonly<{
  messageId: string;
  dialogId: string;
  direction: 'incoming' | 'outgoing';
  contactId: string | null;
  operatorId: string | null;
  text: string | null;
  html: string | null;
  attachments: readonly Attachment[];
  integrationData: string | null;
  createdAt: Date;
  receivedAt: Date;
  revision: bigint;
  /** outgoing only: the delivery status the integration reported, `sent` until it does */
  delivery: Readonly<{ status: DeliveryStatus; reason: string | null; at: Date }> | null;
}>;

type Statistics = Omit<
  DialogSnapshot,
  'dialogId' | 'channelId' | 'reference' | 'title' | 'status' | 'assigneeId' | 'contactId'
>;

const later = (a: Date | null, b: Date): Date => (a === null || b > a ? b : a);

/** What the dialogs read model counts beside the domain's state, event by event, as it does. */
const countStatistics = (events: readonly RecordedEvent[]): Statistics | null => {
  let stats: Statistics | null = null;
  for (const recorded of events) {
    const event = recorded.type as DialogEvent['type'];
    const data = recorded.data as DialogEvent['data'];
    const at = new Date(recorded.metadata.recordedAt);
    if (event === 'DialogOpened') {
      stats = {
        messagesIn: 0,
        messagesOut: 0,
        firstMessageAt: null,
        lastMessageAt: null,
        firstResponseAt: null,
        firstResponseSeconds: null,
        integrationData: null,
        openedAt: new Date((data as { openedAt: string }).openedAt),
        updatedAt: at,
        closedAt: null,
      };
      continue;
    }
    if (stats === null) continue;
    // a delivery receipt is not activity: the read model leaves updated_at as it was
    if (event === 'MessageDeliveryStatusChanged') continue;
    stats = { ...stats, updatedAt: at };
    if (event === 'DialogReopened') stats = { ...stats, closedAt: null };
    if (event === 'DialogStatusChanged')
      stats = { ...stats, closedAt: (data as { status: string }).status === 'closed' ? at : null };
    if (event === 'MessageReceived') {
      const { receivedAt, integrationData } = data as {
        receivedAt: string;
        integrationData: string | null;
      };
      const received = new Date(receivedAt);
      stats = {
        ...stats,
        messagesIn: stats.messagesIn + 1,
        firstMessageAt: stats.firstMessageAt ?? received,
        lastMessageAt: later(stats.lastMessageAt, received),
        integrationData: integrationData ?? stats.integrationData,
      };
    }
    if (event === 'MessageSent') {
      const sent = new Date((data as { sentAt: string }).sentAt);
      stats = {
        ...stats,
        messagesOut: stats.messagesOut + 1,
        lastMessageAt: later(stats.lastMessageAt, sent),
        firstResponseAt: stats.firstResponseAt ?? sent,
        firstResponseSeconds:
          stats.firstResponseSeconds ??
          (stats.firstMessageAt === null
            ? null
            : (sent.getTime() - stats.firstMessageAt.getTime()) / 1000),
      };
    }
  }
  return stats;
};

/**
 * The dialog as it was at the cut: the domain's state folded by its own evolve, the statistics
 * the live answer carries, and its contact as that contact resolved then (merges followed).
 * null before the dialog existed.
 */
export const dialogAsOf = async (
  store: EventStore,
  dialogId: string,
  cut: Cut,
): Promise<{ dialog: DialogSnapshot; messages: readonly MessageSnapshot[] } | null> => {
  const recorded = await readStreamAsOf(store, streams.dialog(dialogId), cut);
  const state = domainEvents<DialogEvent>(recorded).reduce(
    dialogDecider.evolve,
    dialogDecider.initialState(),
  );
  const stats = countStatistics(recorded);
  if (state.status === 'absent' || stats === null) return null;
  const dialog: DialogSnapshot = {
    dialogId: state.dialogId,
    channelId: state.channelId,
    reference: state.reference,
    title: state.title,
    status: state.status,
    assigneeId: state.assigneeId,
    contactId: await survivorAsOf(store, state.contactId, cut),
    ...stats,
  };
  return { dialog, messages: messagesOf(recorded) };
};

/** The dialog's messages, by the sender's timestamp and then by arrival (SPEC §2). */
const messagesOf = (recorded: readonly RecordedEvent[]): MessageSnapshot[] => {
  const deliveries = new Map<string, NonNullable<MessageSnapshot['delivery']>>();
  for (const r of recorded) {
    const event = { type: r.type, data: r.data } as DialogEvent;
    if (event.type !== 'MessageDeliveryStatusChanged') continue;
    const { messageId, status, reason, reportedAt } = event.data;
    deliveries.set(messageId, { status, reason, at: new Date(reportedAt) });
  }
  return recorded
    .flatMap((r): MessageSnapshot[] => {
      const event = { type: r.type, data: r.data } as DialogEvent;
      if (event.type === 'MessageReceived') {
        const d = event.data;
        return [
          {
            messageId: d.messageId,
            dialogId: d.dialogId,
            direction: 'incoming',
            contactId: d.contactId,
            operatorId: null,
            text: d.text,
            html: d.html,
            attachments: d.attachments,
            integrationData: d.integrationData,
            createdAt: new Date(d.createdAt),
            receivedAt: new Date(d.receivedAt),
            revision: r.revision,
            delivery: null,
          },
        ];
      }
      if (event.type === 'MessageSent') {
        const d = event.data;
        return [
          {
            messageId: d.messageId,
            dialogId: d.dialogId,
            direction: 'outgoing',
            contactId: null,
            operatorId: d.operatorId,
            text: d.text,
            html: d.html,
            attachments: d.attachments,
            integrationData: null,
            createdAt: new Date(d.sentAt),
            receivedAt: new Date(d.sentAt),
            revision: r.revision,
            delivery: deliveries.get(d.messageId) ?? {
              status: 'sent',
              reason: null,
              at: new Date(d.sentAt),
            },
          },
        ];
      }
      return [];
    })
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.revision - b.revision),
    );
};
