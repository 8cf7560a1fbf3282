import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import { isObjectId } from '../shared/ids';
import { CUSTOM_SERVICE } from './contactData';

/** A contact data item as an integration sends it inside `contact_object.contacts`. */
export type IncomingContactData = Readonly<{
  id?: string | null;
  type: string;
  value?: string | null;
  service: string;
  origin?: string | null;
}>;

/** A `contacts_id` item: names existing contact data; other fields, when given, update it. */
export type ContactDataReference = Readonly<{
  id: string;
  value?: string | null;
  type?: string | null;
  service?: string | null;
  origin?: string | null;
}>;

export type ContactObject = Readonly<{
  _id?: string | null;
  name: string;
  description?: string | null;
  contacts: readonly IncomingContactData[];
}>;

export type ContactDataInput = Readonly<{
  type: string;
  value: string;
  service: string;
  origin: string | null;
}>;

/** Who the message is from, once the seed's rules hold. */
export type ContactInfo =
  | Readonly<{
      kind: 'object';
      contactId: string | null;
      name: string;
      description: string | null | undefined;
      data: readonly ContactDataInput[];
    }>
  | Readonly<{
      kind: 'references';
      items: readonly Readonly<{
        id: string;
        changes: Partial<Pick<ContactDataInput, 'type' | 'value' | 'service' | 'origin'>>;
      }>[];
    }>;

const isBlank = (value: string | null | undefined): boolean =>
  value === undefined || value === null || value.trim() === '';

/**
 * The seed's contact rules, checked before anything is looked up: exactly one of
 * `contact_object` and `contacts_id`; values filled in; custom data present; ids well formed.
 */
export const validateContactInfo = (input: {
  contactObject?: ContactObject | null;
  contactsId?: readonly ContactDataReference[] | null;
}): Either<DomainError, ContactInfo> => {
  const { contactObject, contactsId } = input;
  const hasObject = contactObject !== undefined && contactObject !== null;
  const hasIds = contactsId !== undefined && contactsId !== null && contactsId.length > 0;
  if (!hasObject && !hasIds) {
    return left(domainError('E_CONTACT_INFO_REQUIRED', 'send contact_object or contacts_id'));
  }
  if (hasObject && hasIds) {
    return left(
      domainError('E_CONTACT_INFO_CONFLICT', 'send either contact_object or contacts_id, not both'),
    );
  }

  if (hasObject) {
    const empty = contactObject.contacts.findIndex((c) => isBlank(c.value));
    if (empty >= 0) {
      return left(
        domainError('E_CONTACTS_VALUE_REQUIRED', 'every contact data item needs a value', [
          { path: `contact_object.contacts.${empty}.value` },
        ]),
      );
    }
    if (!contactObject.contacts.some((c) => c.service === CUSTOM_SERVICE)) {
      return left(
        domainError(
          'E_CUSTOM_CONTACTS_REQUIRED',
          'contact_object.contacts needs an item with service "custom"',
        ),
      );
    }
    const id = contactObject._id;
    if (id !== undefined && id !== null && !isObjectId(id)) {
      return left(
        domainError('E_MALFORMED_CONTACT_ID', 'contact_object._id must be 24 hex digits'),
      );
    }
    return right({
      kind: 'object',
      contactId: id ?? null,
      name: contactObject.name,
      description: contactObject.description,
      data: contactObject.contacts.map((c) => ({
        type: c.type,
        value: (c.value as string).trim(),
        service: c.service,
        origin: c.origin ?? null,
      })),
    });
  }

  const references = contactsId as readonly ContactDataReference[];
  const malformed = references.findIndex((r) => !isObjectId(r.id));
  if (malformed >= 0) {
    return left(
      domainError('E_MALFORMED_CONTACT_ID', 'a contacts_id item has a malformed id', [
        { path: `contacts_id.${malformed}.id` },
      ]),
    );
  }
  const empty = references.findIndex((r) => r.value !== undefined && isBlank(r.value));
  if (empty >= 0) {
    return left(
      domainError('E_CONTACTS_VALUE_REQUIRED', 'a contacts_id item has an empty value', [
        { path: `contacts_id.${empty}.value` },
      ]),
    );
  }
  const notCustom = references.findIndex(
    (r) => !isBlank(r.service) && r.service !== CUSTOM_SERVICE,
  );
  if (notCustom >= 0) {
    return left(
      domainError('E_CUSTOM_CONTACTS_REQUIRED', 'contacts_id items must be custom contact data', [
        { path: `contacts_id.${notCustom}.service` },
      ]),
    );
  }
  return right({
    kind: 'references',
    items: references.map((r) => ({
      id: r.id,
      changes: {
        ...(isBlank(r.value) ? {} : { value: (r.value as string).trim() }),
        ...(isBlank(r.type) ? {} : { type: r.type as string }),
        ...(isBlank(r.service) ? {} : { service: r.service as string }),
        ...(r.origin === undefined ? {} : { origin: r.origin }),
      },
    })),
  });
};
