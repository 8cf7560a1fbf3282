import type { Pool } from 'pg';
import type { Checkpoint, EventStore } from '../application/ports/eventStore';
import { readCheckpoints } from './checkpoints';
import { measureLag, type Lag } from './lag';
import type { Projection } from './projection';
import { readStuckEvents, type StuckEvent } from './runner/stuckEvents';

export type ProjectionState = Readonly<{
  projection: string;
  /** this build's version of the projection */
  version: number;
  /** the version its tables were built with; null: never built */
  storedVersion: number | null;
  checkpoint: Checkpoint | null;
  eventsSeen: bigint;
  updatedAt: Date | null;
  rebuiltAt: Date | null;
  lag: Lag;
  /** the event it cannot apply, as its runner (in whichever process) last reported; null: none */
  stuck: StuckEvent | null;
}>;

/** Where each projection stands, whichever process runs it. */
export const projectionStates = async (
  pool: Pool,
  store: EventStore,
  projections: readonly Projection[],
  now: Date,
): Promise<ProjectionState[]> => {
  const [rows, stuck] = await Promise.all([readCheckpoints(pool), readStuckEvents(pool)]);
  return Promise.all(
    projections.map(async (projection) => {
      const row = rows.find((r) => r.projection === projection.name);
      return {
        projection: projection.name,
        version: projection.version,
        storedVersion: row?.version ?? null,
        checkpoint: row?.checkpoint ?? null,
        eventsSeen: row?.eventsSeen ?? 0n,
        updatedAt: row?.updatedAt ?? null,
        rebuiltAt: row?.rebuiltAt ?? null,
        lag: await measureLag(store, row?.checkpoint ?? null, now),
        stuck: stuck.find((s) => s.projection === projection.name) ?? null,
      };
    }),
  );
};
