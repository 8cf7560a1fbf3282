import { ERASED_TEXT, personalFields, type FieldPath } from './personalFields';
import type { FieldCipher } from './postgresSubjectKeys';

/**
 * The keys the codec needs: one subject's key per event, looked up once however many fields it
 * seals or opens (postgresSubjectKeys.ts).
 */
export type CodecKeys = Readonly<{
  /** made on first use; throws SubjectErasedError once destroyed */
  sealerFor(subjectId: string): Promise<FieldCipher>;
  /** null: destroyed, or never made */
  openerFor(subjectId: string): Promise<FieldCipher | null>;
}>;

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

type Transform = (value: unknown, place: string) => unknown;

/** `data` with `transform` applied at every place `path` names; copies only what changes. */
const mapAt = (node: unknown, path: FieldPath, transform: Transform, place: string): unknown => {
  const [head, ...rest] = path;
  if (head === undefined)
    return node === null || node === undefined ? node : transform(node, place);
  if (head === '*') {
    if (!Array.isArray(node)) return node;
    return node.map((item, i) => mapAt(item, rest, transform, `${place}.${i}`));
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node) || !(head in node))
    return node;
  const record = node as Record<string, unknown>;
  return { ...record, [head]: mapAt(record[head], rest, transform, `${place}.${head}`) };
};

/** `data` with `transform` applied at every personal field of its event type. */
const mapFields = (data: unknown, fields: readonly FieldPath[], transform: Transform): unknown =>
  fields.reduce((node, path) => mapAt(node, path, transform, 'data'), data);

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
export const sealData = async (keys: CodecKeys, event: EventLike): Promise<unknown> => {
  const rule = personalFields[event.type];
  if (rule === undefined) return event.data;
  const subject = subjectOf(event, rule.subject);
  if (typeof subject !== 'string')
    throw new Error(
      `${event.type} ${event.id} carries personal data but no subject (${rule.subject})`,
    );
  const cipher = await keys.sealerFor(subject);
  return mapFields(event.data, rule.fields, (value, place): SealedField => {
    if (isSealedField(value)) return value;
    const sealed = cipher.seal(Buffer.from(JSON.stringify(value), 'utf8'), aadOf(event.id, place));
    return {
      $sealed: sealed.toString('base64'),
      type: typeof value === 'string' ? 'text' : 'json',
    };
  });
};

/**
 * The event's data with every sealed field opened; a field of a destroyed key reads as its
 * placeholder. Plaintext fields (events from before encryption) pass as they are.
 */
export const openData = async (keys: CodecKeys, event: EventLike): Promise<unknown> => {
  const rule = personalFields[event.type];
  if (rule === undefined || !hasSealedField(event.data, rule.fields)) return event.data;
  const subject = subjectOf(event, rule.subject);
  const cipher = typeof subject === 'string' ? await keys.openerFor(subject) : null;
  return mapFields(event.data, rule.fields, (value, place) => {
    if (!isSealedField(value)) return value;
    if (cipher === null) return value.type === 'text' ? ERASED_TEXT : null;
    const opened = cipher.open(Buffer.from(value.$sealed, 'base64'), aadOf(event.id, place));
    return JSON.parse(opened.toString('utf8')) as unknown;
  });
};

/** Does any personal field hold a sealed value (or, with `plaintext`, a value not sealed)? */
export const hasSealedField = (
  data: unknown,
  fields: readonly FieldPath[],
  plaintext = false,
): boolean => {
  let found = false;
  mapFields(data, fields, (value) => {
    if (isSealedField(value) !== plaintext) found = true;
    return value;
  });
  return found;
};

/** Does the event hold a personal field still in plaintext (written before encryption)? */
export const hasPlaintextField = async (event: EventLike): Promise<boolean> => {
  const rule = personalFields[event.type];
  return rule !== undefined && hasSealedField(event.data, rule.fields, true);
};
