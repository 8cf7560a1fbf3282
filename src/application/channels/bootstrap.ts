import { isLeft } from 'fp-ts/Either';
import type { Event } from '../../domain/shared/decider';
import type { CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import { metadataFor } from '../context';
import { isWrongExpectedVersion, type EventStore } from '../ports/eventStore';
import { createChannel, type IssuedToken } from './manageChannels';

const BOOTSTRAP_STREAM = 'parley-bootstrap';

/** Marks that the first start on this store made its first channel. */
export type ParleyBootstrapped = Event<'ParleyBootstrapped', Record<string, never>>;
const bootstrapped: ParleyBootstrapped = { type: 'ParleyBootstrapped', data: {} };

export type Bootstrapped = Readonly<{ channelId: string; name: string; token: IssuedToken }>;

/**
 * The first start on an empty store creates a channel so that a new user can post a message
 * within a minute of cloning. A `no_stream` claim makes sure that replicas starting together
 * create one channel, not one each. Returns null when the store was not empty.
 */
export const bootstrapFirstChannel = async (
  deps: CommandDeps & Readonly<{ store: EventStore }>,
  context: CommandContext,
): Promise<Bootstrapped | null> => {
  const head = await deps.store.readAll({ maxCount: 1 });
  if (head.events.length > 0) return null;
  try {
    await deps.store.appendToStream(
      BOOTSTRAP_STREAM,
      [{ id: deps.ids.uuid(), ...bootstrapped, metadata: metadataFor(context) }],
      { expectedRevision: 'no_stream' },
    );
  } catch (error) {
    if (isWrongExpectedVersion(error)) return null;
    throw error;
  }
  const name = 'My first channel';
  const created = await createChannel(deps, name, context);
  if (isLeft(created))
    throw new Error(`could not create the first channel: ${created.left.message}`);
  return { channelId: created.right.channel.channelId, name, token: created.right.token };
};
