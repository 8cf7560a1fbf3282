import * as t from 'io-ts';
import type { InboundMessageRequest } from '../../../application/inbound/receiveMessage';
import type { Limits } from '../../config';
import { decodeOrThrow } from './decode';
import {
  arrayOf,
  epochMillis,
  httpUrl,
  jsonObject,
  nonEmptyString,
  nonNegativeInteger,
  optional,
  stringOfBytes,
  stringOfChars,
} from './primitives';
import { storableString } from './storable';

const SHORT = 255;
/** contact data items per request; generous, bounded */
const MAX_CONTACT_ITEMS = 50;

/** The inbound body's codec for the configured limits (SPEC §2). */
export const inboundMessageCodec = (limits: Limits) => {
  const attachment = t.type({
    url: httpUrl(2048),
    size: nonNegativeInteger,
    name: stringOfChars(1024),
    mimeType: stringOfChars(SHORT),
  });
  const contactData = t.intersection([
    t.type({ type: nonEmptyString(SHORT), service: nonEmptyString(SHORT) }),
    t.partial({
      id: optional(storableString),
      value: optional(stringOfChars(1024)),
      origin: optional(stringOfChars(SHORT)),
    }),
  ]);
  const contactObject = t.partial({
    _id: optional(storableString),
    name: optional(stringOfChars(SHORT)),
    description: optional(stringOfChars(4096)),
    contacts: optional(arrayOf(contactData, MAX_CONTACT_ITEMS)),
  });
  const contactReference = t.intersection([
    t.type({ id: storableString }),
    t.partial({
      value: optional(stringOfChars(1024)),
      type: optional(stringOfChars(SHORT)),
      service: optional(stringOfChars(SHORT)),
      origin: optional(stringOfChars(SHORT)),
    }),
  ]);
  return t.intersection([
    jsonObject,
    t.partial({
      dialog_id: optional(storableString),
      reference: optional(stringOfChars(limits.referenceLength)),
      dialog_title: optional(stringOfChars(limits.titleLength)),
      timestamp: optional(epochMillis),
      text: optional(stringOfBytes(limits.textBytes)),
      html: optional(stringOfBytes(limits.htmlBytes)),
      integration_data: optional(stringOfBytes(limits.integrationDataBytes)),
      attachments: optional(arrayOf(attachment, limits.attachments)),
      contact_object: optional(contactObject),
      contacts_id: optional(arrayOf(contactReference, MAX_CONTACT_ITEMS)),
    }),
  ]);
};

/** '' and null mean "not given" for the optional strings integrators tend to send empty. */
const given = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : value;

const lowerId = (value: string | null | undefined): string | null =>
  given(value)?.trim().toLowerCase() ?? null;

/** built once per configuration: building it cost about as much as decoding a body with it */
const codecs = new WeakMap<Limits, ReturnType<typeof inboundMessageCodec>>();

const codecFor = (limits: Limits): ReturnType<typeof inboundMessageCodec> => {
  let codec = codecs.get(limits);
  if (codec === undefined) codecs.set(limits, (codec = inboundMessageCodec(limits)));
  return codec;
};

/** Decodes the body (400 E_VALIDATION with JSON paths) into the application's request. */
export const decodeInboundMessage = (limits: Limits, body: unknown): InboundMessageRequest => {
  const b = decodeOrThrow(codecFor(limits), body, 'message body');
  const contact = b.contact_object ?? null;
  return {
    dialogId: lowerId(b.dialog_id),
    reference: given(b.reference),
    title: given(b.dialog_title),
    // fractional milliseconds are truncated, as JavaScript's Date does (README, Errors)
    timestamp: b.timestamp === undefined || b.timestamp === null ? null : Math.floor(b.timestamp),
    text: given(b.text),
    html: given(b.html),
    integrationData: b.integration_data ?? null,
    attachments: b.attachments ?? [],
    contactObject:
      contact === null
        ? null
        : {
            _id: lowerId(contact._id),
            name: contact.name ?? '',
            description: contact.description,
            contacts: (contact.contacts ?? []).map((c) => ({
              id: c.id ?? null,
              type: c.type,
              value: c.value ?? null,
              service: c.service,
              origin: c.origin ?? null,
            })),
          },
    contactsId:
      b.contacts_id === undefined || b.contacts_id === null
        ? null
        : b.contacts_id.map((r) => ({
            id: r.id.trim().toLowerCase(),
            ...(r.value === undefined || r.value === null ? {} : { value: r.value }),
            ...(r.type === undefined || r.type === null ? {} : { type: r.type }),
            ...(r.service === undefined || r.service === null ? {} : { service: r.service }),
            ...(r.origin === undefined ? {} : { origin: r.origin }),
          })),
  };
};
