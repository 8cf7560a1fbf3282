import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';
import { dateTime, parleyId } from './answers';

/** A fresh codec of any JSON object: describedAs marks a codec, so each use needs its own. */
export const objectCodec = (name: string) =>
  new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
    name,
    t.UnknownRecord.is,
    t.UnknownRecord.validate,
    t.identity,
  );

/** A JSON object the document does not detail (readiness, the document itself). */
export const anObject = describedAs(objectCodec('object'), { type: 'object' });

/** GET /api/me: the bearer token's actor. */
export const meAnswer = t.exact(
  t.type({
    actor: t.union([
      t.exact(t.type({ type: t.literal('admin') })),
      t.exact(t.type({ type: t.literal('operator'), operator_id: parleyId })),
      t.exact(t.type({ type: t.literal('auditor'), auditor_id: parleyId })),
    ]),
  }),
);

/** POST /api/inbox/stream-ticket: the ticket itself is in Set-Cookie. */
export const streamTicketAnswer = t.exact(t.type({ expires_at: dateTime }));

/** GET /api/inbox/directory: names only, no tokens, no settings. */
export const directoryAnswer = t.exact(
  t.type({
    operators: t.readonlyArray(t.exact(t.type({ operator_id: parleyId, name: t.string }))),
    channels: t.readonlyArray(t.exact(t.type({ channel_id: parleyId, name: t.string }))),
  }),
);

/** DELETE /api/contacts/{id} */
export const contactDeletedAnswer = t.exact(t.type({ id: parleyId, deleted: t.literal(true) }));
