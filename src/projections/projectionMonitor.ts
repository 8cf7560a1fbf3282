import type { Pool } from 'pg';
import type { Clock } from '../application/ports/clock';
import type { EventStore } from '../application/ports/eventStore';
import type { Projection } from './projection';
import { projectionStates, type ProjectionState } from './projectionStates';
import type { RunnerStatus } from './runner/projectionRunner';

export type ProjectionReport = ProjectionState & Readonly<{ here: RunnerStatus | null }>;

/**
 * The projections' state for /readyz and /metrics. Measuring lag reads the log, so a
 * measurement is reused for `maxAgeMs`: probes and scrapes cost one per second at most.
 */
export class ProjectionMonitor {
  private cached: Readonly<{ at: number; states: Promise<ProjectionState[]> }> | null = null;

  constructor(
    private readonly deps: Readonly<{ pool: Pool; store: EventStore; clock: Clock }>,
    private readonly projections: readonly Projection[],
    /** this process's runners */
    private readonly runners: () => readonly RunnerStatus[],
    private readonly maxAgeMs = 1_000,
  ) {}

  async reports(): Promise<ProjectionReport[]> {
    const states = await this.states();
    const here = this.runners();
    return states.map((state) => ({
      ...state,
      here: here.find((r) => r.projection === state.projection) ?? null,
    }));
  }

  private states(): Promise<ProjectionState[]> {
    const now = this.deps.clock.now();
    if (this.cached === null || now.getTime() - this.cached.at > this.maxAgeMs) {
      const { pool, store } = this.deps;
      const states = projectionStates(pool, store, this.projections, now);
      // a failed measurement is not kept: the next call tries again
      states.catch(() => (this.cached = null));
      this.cached = { at: now.getTime(), states };
    }
    return this.cached.states;
  }
}
