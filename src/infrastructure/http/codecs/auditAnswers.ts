import * as t from 'io-ts';
import { named } from '../openapi/fromContracts';
import { dateTime, integer, nullable, pageOf } from './answers';
import { historyItemAnswer } from './historyAnswers';
import { attemptProps } from './webhookAnswers';
import { anObject } from './operationAnswers';

/**
 * What the audit endpoints answer (SPEC §7, docs/audit.md): the log as stored, its
 * verification, the signing key, the signed checkpoints, and the trace of one request.
 */

/** An event of the log as stored, with the notary's record of it. */
export const auditEventAnswer = named(
  'AuditEvent',
  t.exact(
    t.type({
      position: t.string,
      stream: t.string,
      revision: t.string,
      id: t.string,
      type: t.string,
      data: t.unknown,
      metadata: anObject,
      created: dateTime,
      digest: nullable(anObject),
    }),
  ),
  {
    position: { description: 'the store’s checkpoint of the event (a cursor)' },
    revision: { description: '0-based, a decimal string' },
    digest: { description: 'the notary’s record (docs/audit.md); null until notarised' },
  },
);

export const auditEventPage = pageOf(auditEventAnswer);

const place = {
  stream: nullable(t.string),
  revision: nullable(t.string),
  position: nullable(t.string),
};

const finding = t.intersection([
  t.exact(
    t.type({
      ...place,
      kind: t.keyof({
        changed: null,
        deleted: null,
        stream_deleted: null,
        inserted: null,
        swapped: null,
        digest_altered: null,
        checkpoint_mismatch: null,
        reanchoring_mismatch: null,
      }),
      detail: t.string,
    }),
  ),
  t.exact(
    t.partial({
      fields: t.readonlyArray(t.string),
      with: t.exact(t.type(place)),
      where: t.keyof({ middle: null, end: null }),
    }),
  ),
]);

/** GET /api/audit/verify: ok is false when there are findings. */
export const verificationAnswer = t.exact(
  t.type({
    ok: t.boolean,
    events_checked: integer,
    events_notarized: integer,
    events_pending: integer,
    checkpoints_checked: integer,
    last_checkpoint: nullable(
      t.exact(t.type({ seq: t.string, position: t.string, signed_at: dateTime })),
    ),
    events_unsigned: integer,
    findings: t.readonlyArray(finding),
    findings_truncated: t.boolean,
  }),
);

/** GET /api/audit/public-key */
export const publicKeyAnswer = t.exact(
  t.type({
    algorithm: t.literal('Ed25519'),
    public_key: t.string,
    encoding: t.string,
    pem: t.string,
  }),
);

/** GET /api/audit/checkpoints: a page of signed checkpoints. */
export const checkpointPage = pageOf(
  named(
    'SignedCheckpoint',
    t.exact(
      t.type({
        seq: t.string,
        position: t.string,
        global_head: t.string,
        signed_at: dateTime,
        payload: t.string,
        signature: t.string,
      }),
    ),
    {
      payload: { description: 'the exact text signed (canonical JSON)' },
      signature: { description: 'Ed25519, base64' },
    },
  ),
);

const traceLinked = { correlation_id: t.string, trace: t.string };

const deliveryAttempt = t.exact(t.type(attemptProps));

/** GET /api/audit/correlations/{correlationId}: a request, its events, their deliveries. */
export const traceAnswer = named(
  'Trace',
  t.exact(
    t.type({
      correlation_id: t.string,
      request: nullable(
        t.exact(
          t.type({
            actor: anObject,
            channel_id: nullable(t.string),
            route: nullable(t.string),
            idempotency_key: nullable(t.string),
            at: dateTime,
          }),
        ),
      ),
      replay_of: nullable(t.exact(t.type(traceLinked))),
      replays: t.readonlyArray(t.exact(t.type({ ...traceLinked, at: dateTime }))),
      events: t.readonlyArray(historyItemAnswer),
      deliveries: t.readonlyArray(
        t.exact(
          t.type({
            id: t.string,
            webhook_id: t.string,
            webhook_message_id: t.string,
            event_type: t.string,
            status: t.keyof({ pending: null, delivered: null, failed: null, cancelled: null }),
            attempts: t.readonlyArray(deliveryAttempt),
          }),
        ),
      ),
    }),
  ),
  {
    request: { description: 'from the metadata of its first event (or its replay record)' },
    'request.route': { description: 'e.g. POST /api/dialogs/:id/close' },
    replay_of: { description: 'an idempotent replay: the original request and its trace' },
    replays: { description: 'idempotent replays of this request' },
    events: { description: 'in commit order' },
    'deliveries[].webhook_message_id': { description: 'the webhook-id header' },
  },
);
