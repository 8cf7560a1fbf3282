import { ref } from './schema';

/** OpenAPI 3.1 `webhooks`: what Parley POSTs to subscribers. */
export const webhookEvents = Object.fromEntries(
  ['dialog.created', 'dialog.updated', 'message.created'].map((type) => [
    type,
    {
      post: {
        summary: `${type}: answer any 2xx within 15 s; 410 disables the subscription`,
        requestBody: { content: { 'application/json': { schema: ref('WebhookEvent') } } },
        responses: { '2XX': { description: 'delivered' } },
      },
    },
  ]),
);
