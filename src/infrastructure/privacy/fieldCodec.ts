import type { SubjectKeys } from '../../application/ports/subjectKeys';
import { ERASED_TEXT, personalFields, type FieldPath } from './personalFields';

/**
 * A sealed field as stored: the field's value, JSON-encoded, sealed with the subject's data key
 * and bound (AAD) to the event id and the field's place, so that it cannot be moved. `type`
 * says what it reads as once the key is destroyed: `[erased]` for text, null for anything else.
 */
export type SealedField = Readonly<{ $sealed: string; type: 'text' | 'json' }>;

export const isSealedField = (value: unknown): value is SealedField =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { $sealed?: unknown }).$sealed === 'string' &&
  Object.keys(value).length === 2;

type Transform = (value: unknown, place: string) => Promise<unknown>;

/** `data` with `transform` applied at every place `path` names; copies only what changes. */
const mapAt = async (
  node: unknown,
  path: FieldPath,
  transform: Transform,
  place: string,
): Promise<unknown> => {
  const [head, ...rest] = path;
  if (head === undefined)
    return node === null || node === undefined ? node : transform(node, place);
  if (head === '*') {
    if (!Array.isArray(node)) return node;
    return Promise.all(node.map((item, i) => mapAt(item, rest, transform, `${place}.${i}`)));
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node) || !(head in node))
    return node;
  const record = node as Record<string, unknown>;
  return { ...record, [head]: await mapAt(record[head], rest, transform, `${place}.${head}`) };
};

type EventLike = Readonly<{ id: string; type: string; data: unknown; metadata: unknown }>;

/** The contact whose key seals the event's personal fields; undefined when it holds none. */
export const subjectOfEvent = (event: EventLike): string | undefined => {
  const rule = personalFields[event.type];
  const subject = rule === undefined ? undefined : subjectOf(event, rule.subject);
  return typeof subject === 'string' ? subject : undefined;
};

const subjectOf = (event: EventLike, where: 'data.contactId' | 'metadata.subject'): unknown =>
  where === 'data.contactId'
    ? (event.data as { contactId?: unknown } | null)?.contactId
    : (event.metadata as { subject?: unknown } | null)?.subject;

const aadOf = (eventId: string, place: string): string => `${eventId}|${place}`;

/** The event's data with every personal field sealed; events without any are returned as they are. */
export const sealData = async (keys: SubjectKeys, event: EventLike): Promise<unknown> => {
  const rule = personalFields[event.type];
  if (rule === undefined) return event.data;
  const subject = subjectOf(event, rule.subject);
  if (typeof subject !== 'string')
    throw new Error(
      `${event.type} ${event.id} carries personal data but no subject (${rule.subject})`,
    );
  let data = event.data;
  for (const path of rule.fields)
    data = await mapAt(
      data,
      path,
      async (value, place): Promise<SealedField> => {
        if (isSealedField(value)) return value;
        const sealed = await keys.seal(
          subject,
          Buffer.from(JSON.stringify(value), 'utf8'),
          aadOf(event.id, place),
        );
        return {
          $sealed: sealed.toString('base64'),
          type: typeof value === 'string' ? 'text' : 'json',
        };
      },
      'data',
    );
  return data;
};

/**
 * The event's data with every sealed field opened; a field of a destroyed key reads as its
 * placeholder. Plaintext fields (events from before encryption) pass as they are.
 */
export const openData = async (keys: SubjectKeys, event: EventLike): Promise<unknown> => {
  const rule = personalFields[event.type];
  if (rule === undefined) return event.data;
  const subject = subjectOf(event, rule.subject);
  let data = event.data;
  for (const path of rule.fields)
    data = await mapAt(
      data,
      path,
      async (value, place) => {
        if (!isSealedField(value)) return value;
        const placeholder = value.type === 'text' ? ERASED_TEXT : null;
        if (typeof subject !== 'string') return placeholder;
        const opened = await keys.open(
          subject,
          Buffer.from(value.$sealed, 'base64'),
          aadOf(event.id, place),
        );
        return opened === null ? placeholder : (JSON.parse(opened.toString('utf8')) as unknown);
      },
      'data',
    );
  return data;
};

/** Does the event hold a personal field still in plaintext (written before encryption)? */
export const hasPlaintextField = async (event: EventLike): Promise<boolean> => {
  const rule = personalFields[event.type];
  if (rule === undefined) return false;
  let found = false;
  for (const path of rule.fields)
    await mapAt(
      event.data,
      path,
      async (value) => {
        if (!isSealedField(value)) found = true;
        return value;
      },
      'data',
    );
  return found;
};
