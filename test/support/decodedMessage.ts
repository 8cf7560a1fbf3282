import type { InboundMessageRequest } from '../../src/application/inbound/receiveMessage';

/** A decoded inbound body: text from a customer with one custom id, `value`. */
export const inboundRequest = (
  overrides: Partial<InboundMessageRequest> = {},
  value = 'abc',
): InboundMessageRequest => ({
  dialogId: null,
  reference: null,
  title: null,
  timestamp: null,
  text: 'hello',
  html: null,
  integrationData: null,
  attachments: [],
  contactObject: {
    name: 'Vasya Pupkin',
    contacts: [{ type: 'id', value, service: 'custom', origin: 'custom' }],
  },
  contactsId: null,
  ...overrides,
});
