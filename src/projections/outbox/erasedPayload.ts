import { ERASED, erasedText } from '../../domain/shared/erased';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const blank = (object: unknown, fields: readonly string[]): void => {
  if (!isObject(object)) return;
  for (const field of fields)
    if (field in object) object[field] = erasedText(object[field] as string | null);
};

/**
 * A stored webhook body (payload.ts) without the person's data (SPEC §8): every personal field
 * reads ERASED, the contact has no contact data, ids and times stay. A delivery not sent yet
 * then sends this, signed as any other body; one already sent keeps no copy of what it said.
 */
export const erasedPayload = (body: string): string => {
  const payload = JSON.parse(body) as Json;
  const data = payload.data;
  if (!isObject(data)) return body;
  blank(data.dialog, ['reference', 'title', 'integration_data']);
  const message = data.message;
  blank(message, ['text', 'html', 'integration_data']);
  if (isObject(message) && Array.isArray(message.attachments))
    message.attachments = message.attachments.map((a: unknown) =>
      isObject(a) ? { ...a, url: ERASED, name: ERASED } : a,
    );
  blank(data.contact, ['name', 'description']);
  if (isObject(data.contact)) data.contact.contacts = [];
  if (Array.isArray(data.changes))
    for (const change of data.changes)
      if (isObject(change) && change.field === 'title') blank(change, ['from', 'to']);
  return JSON.stringify(payload);
};
