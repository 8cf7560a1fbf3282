import { createHash } from 'node:crypto';
import type { Event } from '../../domain/shared/decider';
import { metadataFor, type CommandContext } from '../context';
import { isWrongExpectedVersion, type EventStore } from '../ports/eventStore';
import type { IdGenerator } from '../ports/ids';
import { streams } from '../streams';

/**
 * What a request with an Idempotency-Key answered, kept on its own stream so that the same
 * key and body get the same answer again (SPEC §2). Not a domain fact: an application record.
 */
export type IdempotentRequestRecorded = Event<
  'IdempotentRequestRecorded',
  { scope: string; requestHash: string; response: unknown }
>;

export type Recorded = Readonly<{ requestHash: string; response: unknown }>;

/** Keys are opaque to us: printable ASCII, at most 255 characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** A hash of the request's meaning: the same JSON with keys in any order hashes the same. */
export const requestHash = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * Keys sorted, no whitespace, undefined members left out. Iterative, with its own stack:
 * a body nested thousands of levels deep cannot overflow the call stack here, whatever the
 * HTTP layer lets through. The output must never change: recorded hashes are compared with it.
 */
export const canonicalJson = (root: unknown): string => {
  const out: string[] = [];
  // a value still to write, or text to write as it is
  const todo: ({ value: unknown } | string)[] = [{ value: root }];
  while (todo.length > 0) {
    const next = todo.pop() as { value: unknown } | string;
    if (typeof next === 'string') {
      out.push(next);
      continue;
    }
    const { value } = next;
    if (Array.isArray(value)) {
      out.push('[');
      todo.push(']');
      for (let i = value.length - 1; i >= 0; i--) {
        todo.push({ value: value[i] });
        if (i > 0) todo.push(',');
      }
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      todo.push('}');
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i] as [string, unknown];
        todo.push({ value: member });
        todo.push(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
      }
    } else {
      // JSON.stringify(undefined) is undefined: an array's undefined item writes nothing
      out.push(JSON.stringify(value) ?? '');
    }
  }
  return out.join('');
};

/**
 * Ids derived from the key: a retry after a crash lands on the very same dialog, contact and
 * message. A purpose may hold a match key (`data:` + the contact data's key): with `keyed` (an
 * HMAC with the server's matching secret) an id gives nothing away, since the Idempotency-Key
 * is in the event's metadata and an unkeyed hash of a guessed phone number would confirm it.
 */
export const derivedIds =
  (scope: string, key: string, keyed?: (text: string) => string) =>
  (purpose: string): string => {
    const text = `${scope}\u0000${key}\u0000${purpose}`;
    return (keyed?.(text) ?? createHash('sha256').update(text).digest('hex')).slice(0, 24);
  };

export const findRecorded = async (
  store: EventStore,
  scope: string,
  key: string,
): Promise<Recorded | null> => {
  const [first] = await store.readStream(streams.idempotency(scope, key), { maxCount: 1 });
  if (first === undefined) return null;
  const { requestHash: hash, response } = first.data as IdempotentRequestRecorded['data'];
  return { requestHash: hash, response };
};

/** Records the first answer; when a concurrent twin recorded first, its answer is the answer. */
export const recordResponse = async (
  deps: Readonly<{ store: EventStore; ids: IdGenerator }>,
  scope: string,
  key: string,
  recorded: Recorded,
  context: CommandContext,
  /** the contact the answer is about: the record is sealed with its key */
  subject: string,
): Promise<Recorded> => {
  const event: IdempotentRequestRecorded = {
    type: 'IdempotentRequestRecorded',
    data: { scope, requestHash: recorded.requestHash, response: recorded.response },
  };
  try {
    await deps.store.appendToStream(
      streams.idempotency(scope, key),
      [
        {
          id: deps.ids.uuid(),
          type: event.type,
          data: event.data,
          metadata: { ...metadataFor(context), subject },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return recorded;
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
    return (await findRecorded(deps.store, scope, key)) ?? recorded;
  }
};
