import type { Handled } from './commandHandler';
import type { Checkpoint, EventStore } from './ports/eventStore';

/**
 * Where the state a response reflects sits in the global log, for read-your-writes
 * (`X-Parley-Position`). A command that appended nothing (a retry, a no-op) reflects the
 * stream's last event, so its position is that event's.
 */
export const positionOf = async (
  store: EventStore,
  streamId: string,
  handled: Handled<unknown, unknown>,
): Promise<Checkpoint | null> => {
  if (handled.checkpoint !== null) return handled.checkpoint;
  if (handled.revision === null) return null;
  const [last] = await store.readStream(streamId, { fromRevision: handled.revision, maxCount: 1 });
  return last?.checkpoint ?? null;
};
