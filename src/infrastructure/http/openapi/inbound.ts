import type { Limits } from '../../config';
import { header, type Schema } from './schema';

/** The inbound body: what the codec accepts, with the why of each field (the prose). */
export const inboundNotes = (limits: Limits): Record<string, Schema> => ({
  '': {
    description:
      'exactly one of contact_object and contacts_id; at least one of text, html, attachments. Absent, null and "" all mean "not given".',
    examples: [
      {
        reference: 'avito-chat-u2i-42',
        dialog_title: 'Order 42',
        text: 'Is the sofa still available?',
        integration_data: '{"avito_chat":"u2i-42"}',
        contact_object: {
          name: 'Vasya Pupkin',
          contacts: [
            {
              type: 'id',
              value: 'phrw1oc544j18buxazs6tlg7q68vdfyin1emk06',
              service: 'custom',
              origin: 'custom',
            },
            { type: 'phone', value: '+79876543210', service: 'whatsapp' },
          ],
        },
      },
    ],
  },
  dialog_id: {
    description: 'dialog to post into; unknown or of another channel: 404 E_DIALOG_NOT_FOUND',
  },
  reference: {
    description: 'external key of the dialog in this channel; ignored with dialog_id',
  },
  timestamp: {
    description: 'ms since the Unix epoch: when the message was written; default now',
  },
  text: { description: `at most ${limits.textBytes} bytes` },
  html: {
    description: `at most ${limits.htmlBytes} bytes; stored as received, sanitized wherever shown`,
  },
  integration_data: {
    description: `opaque, at most ${limits.integrationDataBytes} bytes; passed back in webhooks`,
  },
  'attachments[].url': {
    description: 'absolute http(s) URL; stored as metadata, never downloaded',
  },
  'attachments[].size': { description: 'bytes' },
  'contact_object._id': {
    description:
      'an existing contact to update (24 hex digits); merged ids resolve to the survivor',
  },
  'contact_object.contacts': {
    description: 'needs at least one item with service "custom" (E_CUSTOM_CONTACTS_REQUIRED)',
  },
  'contact_object.contacts[].id': {
    description: 'ignored on input; contact data ids are assigned by Parley',
  },
  'contact_object.contacts[].value': {
    description: 'required and non-empty (E_CONTACTS_VALUE_REQUIRED)',
  },
  'contact_object.contacts[].type': { examples: ['id', 'phone', 'mail'] },
  'contact_object.contacts[].service': { examples: ['custom', 'whatsapp', 'mail'] },
  'contact_object.contacts[].origin': { examples: ['custom', 'chatra'] },
  'contacts_id[].id': {
    description: 'id of existing custom contact data (another service: E_CUSTOM_CONTACTS_REQUIRED)',
  },
  'contacts_id[].value': { description: 'when given and different: the item takes this value' },
});

/** draft-ietf-httpapi-ratelimit-headers-07, separate fields; on every answer after the token check */
export const rateLimitHeaders = {
  'RateLimit-Limit': header(
    'the channel’s burst (RATE_LIMIT_BURST); absent when rate limiting is off',
    'integer',
  ),
  'RateLimit-Remaining': header(
    'requests the channel may send now, across every Parley process',
    'integer',
  ),
  'RateLimit-Reset': header('seconds until the channel’s bucket is full again', 'integer'),
};
