import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { JSONType } from '@eventstore/db-client';
import type { EventMetadata } from '../../../application/ports/eventStore';

const actor = t.union([
  t.type({ type: t.literal('integration'), channelId: t.string }),
  t.type({ type: t.literal('operator'), operatorId: t.string }),
  t.type({ type: t.literal('admin') }),
  t.type({ type: t.literal('system') }),
]);

const eventMetadata = t.intersection([
  t.type({
    correlationId: t.string,
    causationId: t.union([t.string, t.null]),
    actor,
    recordedAt: t.string,
    schemaVersion: t.number,
  }),
  t.partial({ route: t.string, idempotencyKey: t.string }),
]);

// the codec must describe the port's type exactly: a field added to one and not the other fails here
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _codecMatchesPort: Same<t.TypeOf<typeof eventMetadata>, EventMetadata> = true;

/**
 * The port's metadata, plus EventStoreDB's own `$correlationId` / `$causationId` so that its UI
 * and its `$by_correlation_id` projection understand our events too.
 */
export const serialiseMetadata = (metadata: EventMetadata): JSONType => ({
  ...metadata,
  $correlationId: metadata.correlationId,
  ...(metadata.causationId === null ? {} : { $causationId: metadata.causationId }),
});

const withoutStoreKeys = (raw: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('$')));

/** Every event Parley reads was written by Parley; one that was not is a bug to surface, loudly. */
export const parseMetadata = (raw: unknown, where: string): EventMetadata => {
  const decoded = eventMetadata.decode(
    typeof raw === 'object' && raw !== null && !(raw instanceof Uint8Array)
      ? withoutStoreKeys(raw)
      : raw,
  );
  if (isLeft(decoded)) throw new Error(`${where} has no Parley metadata`);
  return decoded.right;
};
