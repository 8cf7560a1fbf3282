import { allProjections } from '../src/projections/allProjections';
import { readCheckpoint } from '../src/projections/checkpoints';
import type { Log } from '../src/projections/log';
import { runnerConnections } from '../src/projections/runner/runnerConnections';
import { createPool } from '../src/infrastructure/postgres/pool';
import { eventually } from './support/eventually';
import { headOf, startRunners, useReadModelWorld, waitForPosition } from './support/readModel';
import { mixedScenario } from './support/scenario';

/** What the runners logged as errors: a rebuild that could not get a connection says so here. */
const errorLog = (): Log & { errors: string[] } => {
  const errors: string[] = [];
  return {
    errors,
    info: () => undefined,
    warn: () => undefined,
    error: (details, message) => {
      const err = (details as { err?: unknown }).err;
      errors.push(`${message}: ${err instanceof Error ? err.message : String(err)}`);
    },
  };
};

describe("the read models' runners' own pool", () => {
  const world = useReadModelWorld({ runners: false });

  it('given a release that bumps every read model, when all rebuild at once on a pool of runnerConnections, then each finishes without waiting for a connection', async () => {
    const { pool, store, w } = world;
    await mixedScenario(store, { seed: 11, steps: 400, writer: w });
    const head = await headOf(store, pool);
    const v1 = await startRunners(pool, store);
    await waitForPosition(pool, store, head);
    await v1.stop();

    // as startParley sizes it, with the pool's own connection timeout (5 s)
    const readSide = createPool({
      connectionString: world.connectionString,
      max: runnerConnections(allProjections.length),
    });
    const log = errorLog();
    const bumped = allProjections.map((p) => ({ ...p, version: p.version + 1 }));
    const v2 = await startRunners(readSide, store, { projections: bumped, log });
    try {
      for (const projection of bumped)
        await eventually(
          async () => (await readCheckpoint(pool, projection.name))?.version,
          (version) => version === projection.version,
          20_000,
        );
      await waitForPosition(pool, store, head);
    } finally {
      await v2.stop();
      await readSide.end();
    }
    // two connections a runner left the four sessions and four guards holding all eight, and
    // every page's transaction timed out ("timeout exceeded when trying to connect")
    expect(log.errors).toEqual([]);
  });
});
