import * as t from 'io-ts';
import type { DeliveryReport } from '../../../application/dialogs/reportDelivery';
import { decodeOrThrow } from './decode';
import { epochMillis, jsonObject, optional, stringOfChars } from './primitives';
import { storableString } from './storable';

/** The delivery status body: `{ message_id, status, reason?, timestamp?, dialog_id? }` (SPEC §2.1). */
export const deliveryStatusBody = t.intersection([
  jsonObject,
  t.type({
    message_id: storableString,
    status: t.keyof({ delivered: null, read: null, failed: null }),
  }),
  t.partial({
    reason: optional(stringOfChars(1024)),
    timestamp: optional(epochMillis),
    dialog_id: optional(storableString),
  }),
]);

const given = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value;

/** Decodes the body (400 E_VALIDATION with JSON paths) into the use case's report. */
export const decodeDeliveryReport = (channelId: string, body: unknown): DeliveryReport => {
  const b = decodeOrThrow(deliveryStatusBody, body, 'delivery status');
  return {
    channelId,
    messageId: b.message_id.trim().toLowerCase(),
    dialogId: given(b.dialog_id)?.trim().toLowerCase() ?? null,
    status: b.status,
    reason: given(b.reason),
    // fractional milliseconds are truncated, as for messages
    timestamp: b.timestamp === undefined || b.timestamp === null ? null : Math.floor(b.timestamp),
  };
};
