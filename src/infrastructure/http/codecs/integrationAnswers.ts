import * as t from 'io-ts';
import { webhookEventTypes } from '../../../domain/webhook/eventTypes';
import { named } from '../openapi/fromContracts';
import { describedAs } from '../openapi/jsonSchema';
import { ref } from '../openapi/schema';
import { integer, nullable } from './answers';
import { objectCodec } from './operationAnswers';

/**
 * What the integration's endpoints beyond the seed's answer (SPEC §2.1): a delivery status
 * report, a history import, the catch-up feed.
 */

export const deliveryStatusResult = named(
  'DeliveryStatusResult',
  t.exact(
    t.type({
      message_id: t.string,
      dialog_id: t.string,
      status: t.keyof({ sent: null, delivered: null, read: null, failed: null }),
      changed: t.boolean,
    }),
  ),
  {
    status: { description: 'after the report' },
    changed: { description: 'false: a repeat, or behind the known status' },
  },
);

const lineReport = t.intersection([
  t.exact(
    t.type({
      line: integer,
      external_id: nullable(t.string),
      status: t.keyof({ imported: null, already_imported: null, error: null }),
    }),
  ),
  t.exact(
    t.partial({
      dialog_id: t.string,
      message_id: t.string,
      code: t.string,
      message: t.string,
      details: t.readonlyArray(t.unknown),
    }),
  ),
]);

export const importReport = named(
  'ImportReport',
  t.exact(
    t.type({
      imported: integer,
      already_imported: integer,
      errors: integer,
      lines: t.readonlyArray(lineReport),
    }),
  ),
  {
    lines: { description: 'one per non-blank line, by line number' },
    'lines[].line': { description: '1-based, blank lines counted' },
    'lines[].code': { description: 'error: the error code' },
  },
);

/** A webhook payload, as the webhooks section of the document describes it. */
const webhookPayload = describedAs(objectCodec('WebhookEvent'), ref('WebhookEvent'));

/** GET /api/webhooks/{id}/events: a page of the catch-up feed. */
export const feedPage = t.exact(
  t.type({
    items: t.readonlyArray(
      t.exact(
        t.type({
          cursor: describedAs(
            t.refinement(t.string, () => true, 'cursor'),
            {
              description: 'this delivery’s Parley-Feed-Cursor',
            },
          ),
          id: describedAs(
            t.refinement(t.string, () => true, 'webhook-id'),
            {
              description: 'the webhook-id',
            },
          ),
          type: t.keyof(
            Object.fromEntries(webhookEventTypes.map((type) => [type, null])) as Record<
              (typeof webhookEventTypes)[number],
              null
            >,
          ),
          dialog_id: t.string,
          payload: webhookPayload,
        }),
      ),
    ),
    next_cursor: describedAs(nullable(t.string), {
      description: 'the last item’s cursor (or `after` again): pass it as `after`',
    }),
    has_more: t.boolean,
  }),
);
