import { webhookEventTypes } from '../../../domain/webhook/eventTypes';
import { ref } from './schema';

/** OpenAPI 3.1 `webhooks`: what Parley POSTs to subscribers. */
export const webhookEvents = Object.fromEntries(
  webhookEventTypes.map((type) => [
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
