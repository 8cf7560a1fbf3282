import type { Pool } from 'pg';
import type { Checkpoint, EventStore } from '../application/ports/eventStore';
import { readCheckpoints } from './checkpoints';

export type ReadYourWritesOptions = Readonly<{
  /** how often the checkpoints are looked at while waiting */
  pollMs?: number;
}>;

/**
 * Read-your-writes: a write answers with its position in the log (`X-Parley-Position`); a read
 * given that position waits until the read models it reads have applied it. The active runner
 * may live in another process, so this looks at the stored checkpoints.
 */
export class ReadYourWrites {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly options: ReadYourWritesOptions = {},
  ) {}

  /** Is this a position the event store could have written? */
  isPosition(value: string): boolean {
    try {
      this.store.compareCheckpoints(value as Checkpoint, null);
      return true;
    } catch {
      return false;
    }
  }

  /** true once every named projection has applied `position`; false after `timeoutMs`. */
  async waitFor(
    projections: readonly string[],
    position: Checkpoint,
    timeoutMs: number,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let pause = 5;
    for (;;) {
      if (await this.reached(projections, position)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      pause = Math.min(pause * 2, this.options.pollMs ?? 50);
    }
  }

  private async reached(projections: readonly string[], position: Checkpoint): Promise<boolean> {
    const rows = await readCheckpoints(this.pool);
    return projections.every((name) => {
      const row = rows.find((r) => r.projection === name);
      return row !== undefined && this.store.compareCheckpoints(row.checkpoint, position) >= 0;
    });
  }
}
