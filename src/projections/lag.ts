import type { Checkpoint, EventStore } from '../application/ports/eventStore';

export type Lag = Readonly<{
  /** events in the log after the checkpoint, counted up to `cap` */
  eventsBehind: number;
  /** true when there are at least `cap` (the count stopped there) */
  capped: boolean;
  /** how long the oldest event not yet applied has been in the log; 0 when caught up */
  secondsBehind: number;
}>;

/**
 * How far a checkpoint is behind the head of the log. Checkpoints are opaque, so this reads
 * the log after it (one page of at most `cap` events) rather than subtracting positions.
 */
export const measureLag = async (
  store: EventStore,
  checkpoint: Checkpoint | null,
  now: Date,
  cap = 1000,
): Promise<Lag> => {
  const page = await store.readAll({ from: checkpoint, maxCount: cap });
  const oldest = page.events[0];
  return {
    eventsBehind: page.events.length,
    capped: page.events.length >= cap,
    secondsBehind:
      oldest === undefined ? 0 : Math.max(0, (now.getTime() - oldest.created.getTime()) / 1000),
  };
};
