import * as t from 'io-ts';
import { named } from '../openapi/fromContracts';
import { dateTime, nullable, pageOf, parleyId } from './answers';

/** A contact data item with its id (what `contacts_id` names). */
export const contactDataAnswer = named(
  'ContactDataWithId',
  t.exact(
    t.type({
      id: parleyId,
      value: t.string,
      type: t.string,
      service: t.string,
      origin: nullable(t.string),
    }),
  ),
  { id: { description: 'pass it in contacts_id next time' } },
);

/** A contact from the contacts read model (routes/contactQueries.ts contactJson). */
export const contactAnswer = named(
  'Contact',
  t.exact(
    t.type({
      contact_id: t.string,
      channel_id: t.string,
      name: t.string,
      description: nullable(t.string),
      status: t.keyof({ active: null, merged: null, deleted: null, erased: null }),
      contacts: t.readonlyArray(contactDataAnswer),
      merged_ids: t.readonlyArray(t.string),
      created_at: dateTime,
      updated_at: dateTime,
    }),
  ),
  {
    channel_id: { description: 'where the contact was first seen' },
    merged_ids: { description: 'contacts merged into this one; their ids resolve here' },
  },
);

/** A search hit: the contact and how well it matched. */
export const contactHitPage = pageOf(
  t.intersection([contactAnswer, t.exact(t.type({ score: t.number }))]),
);

/** What the inbound endpoint answers (application/inbound/receiveMessage.ts InboundResponse). */
export const inboundAnswer = named(
  'InboundResult',
  t.exact(
    t.type({
      dialog_id: t.string,
      message_id: t.string,
      contact_id: t.string,
      reference: nullable(t.string),
      dialog_created: t.boolean,
      contact_created: t.boolean,
      contacts: t.readonlyArray(contactDataAnswer),
    }),
  ),
  {
    contact_id: { description: 'the surviving contact when contacts were merged' },
    dialog_created: {
      description: 'true for exactly one request: the one that opened the dialog',
    },
    contact_created: {
      description:
        'true for exactly one request: the one that created the contact (which may finish a contact a concurrent request began)',
    },
  },
);
