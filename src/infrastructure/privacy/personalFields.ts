/**
 * Which fields of which events hold a person's data, and whose (SPEC §8; docs/privacy.md has
 * the table and why every other field is not personal). The protecting store seals exactly
 * these, each with its subject's data key; an event type not listed holds no personal data.
 *
 * A path is the field's place in `data`; `*` stands for every item of an array.
 */
export type FieldPath = readonly string[];

export type PersonalFields = Readonly<{
  /** where the subject (a contact id) is: a field of `data`, or `metadata.subject` */
  subject: 'data.contactId' | 'metadata.subject';
  fields: readonly FieldPath[];
}>;

const contactData = (prefix: FieldPath): FieldPath[] => [
  [...prefix, 'value'],
  // the match key holds the normalized value
  [...prefix, 'key'],
  [...prefix, 'origin'],
];

const messageBody: FieldPath[] = [
  ['text'],
  ['html'],
  ['attachments', '*', 'url'],
  ['attachments', '*', 'name'],
];

export const personalFields: Readonly<Record<string, PersonalFields>> = {
  ContactCreated: { subject: 'data.contactId', fields: [['name'], ['description']] },
  ContactUpdated: { subject: 'data.contactId', fields: [['name'], ['description']] },
  ContactDataAdded: { subject: 'data.contactId', fields: contactData(['data']) },
  ContactDataChanged: {
    subject: 'data.contactId',
    fields: [...contactData(['data']), ['previousKey']],
  },
  ContactsMerged: { subject: 'data.contactId', fields: contactData(['data', '*']) },
  ContactKeyClaimed: { subject: 'data.contactId', fields: [['key']] },
  ContactKeyReleased: { subject: 'data.contactId', fields: [['key']] },
  DialogOpened: { subject: 'data.contactId', fields: [['reference'], ['title']] },
  DialogTitleChanged: { subject: 'metadata.subject', fields: [['title'], ['previousTitle']] },
  DialogReferenceClaimed: { subject: 'metadata.subject', fields: [['reference']] },
  MessageReceived: {
    subject: 'data.contactId',
    fields: [...messageBody, ['integrationData']],
  },
  MessageSent: { subject: 'metadata.subject', fields: messageBody },
  // the recorded answer repeats the contact's data
  IdempotentRequestRecorded: { subject: 'metadata.subject', fields: [['response']] },
};

/** What a personal text field reads as once its subject's key is destroyed; any other reads null. */
export const ERASED_TEXT = '[erased]';
