import type { Pool } from 'pg';
import type { EventStore } from '../../application/ports/eventStore';
import { allProjections, projectionNamed } from '../../projections/allProjections';
import type { Projection } from '../../projections/projection';
import { projectionStates } from '../../projections/projectionStates';
import { rebuildProjection } from '../../projections/rebuild';
import { keyOf, LOCKS } from '../../projections/runner/lockKeys';
import { lockHolder } from '../../projections/runner/lockSession';
import {
  readStuckEvents,
  skipStuckEvent,
  stuckInWords,
} from '../../projections/runner/stuckEvents';
import { createEventStore } from '../eventstore/createEventStore';
import { checkedMasterKeys } from '../keys/masterKey';
import { migrate } from '../postgres/migrations';
import { protectStore } from '../privacy/protection';
import { cliConfig, openCliDatabase } from './cliDatabase';
import { ProgressBar, type ProgressOutput } from './progress';

export type CliIo = Readonly<{
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: ProgressOutput;
}>;

const USAGE = `usage: npm run projections -- <command> [projection] [position]

  status             each projection: version, checkpoint, lag, the process running it, and
                     the event it cannot apply, if any (docs/operations.md, "A poison event")
  rebuild [name]     rebuild one projection (or every one) from position 0, without downtime:
                     fresh tables are filled while the live ones keep answering, then the
                     live runner pauses for the swap
  skip name position the last resort for a poison event: the projection leaves out the event
                     it is stuck on at that position, now and in every rebuild

projections: ${allProjections.map((p) => p.name).join(', ')}
database: DATABASE_URL, else the embedded PostgreSQL in DATA_DIR (shared with a running Parley)
`;

/** `npm run projections -- status | rebuild [name]`; resolves to the exit code. */
export const projectionsCli = async (args: readonly string[], io: CliIo): Promise<number> => {
  const [command, name, ...rest] = args;
  const usable =
    command === 'skip'
      ? name !== undefined && rest.length === 1
      : (command === 'status' || command === 'rebuild') && rest.length === 0;
  if (!usable) {
    io.err.write(USAGE);
    return 2;
  }
  const chosen = name === undefined ? allProjections : [projectionNamed(name)];
  // skip also serves the webhook outbox, which runs on a projection runner but is no read model
  if (command !== 'skip' && chosen.some((p) => p === undefined)) {
    io.err.write(`unknown projection ${name}\n\n${USAGE}`);
    return 2;
  }
  const config = cliConfig(io.env, (text) => io.err.write(text));
  if (config === null) return 2;
  const database = await openCliDatabase(config);
  try {
    io.err.write(`database: ${database.describe}\n`);
    await migrate(database.pool);
    const stored = await createEventStore(config, database.pool);
    // projections read plaintext, as in Parley
    const { store } = await protectStore(
      database.pool,
      stored,
      await checkedMasterKeys(database.pool, config),
      config.privacyEncryption,
    );
    try {
      if (command === 'status') await printStatus(database.pool, store, chosen as Projection[], io);
      else if (command === 'skip')
        return await skip(database.pool, name as string, rest[0] as string, io);
      else await rebuild(database.pool, store, chosen as Projection[], io);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    io.err.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
};

const printStatus = async (
  pool: Pool,
  store: EventStore,
  projections: readonly Projection[],
  io: CliIo,
): Promise<void> => {
  const states = await projectionStates(pool, store, projections, new Date());
  const rows = await Promise.all(
    states.map(async (s) => {
      const holder = await lockHolder(pool, LOCKS.projection, keyOf(s.projection));
      return [
        s.projection,
        s.storedVersion === null
          ? `${s.version} (not built)`
          : s.storedVersion === s.version
            ? String(s.version)
            : `${s.storedVersion} (this build: ${s.version})`,
        s.checkpoint ?? '-',
        `${s.lag.eventsBehind}${s.lag.capped ? '+' : ''} events, ${s.lag.secondsBehind.toFixed(1)} s`,
        holder === null
          ? 'nobody'
          : `${holder.applicationName} (backend ${holder.pid}${holder.clientAddr === null ? '' : `, ${holder.clientAddr}`})`,
        s.rebuiltAt?.toISOString() ?? '-',
      ];
    }),
  );
  const table = [
    ['projection', 'version', 'checkpoint', 'behind', 'active in', 'rebuilt at'],
    ...rows,
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of table) {
    io.out(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  for (const stuck of await readStuckEvents(pool)) {
    io.out(`\nSTUCK: ${stuckInWords(stuck)}\n`);
  }
};

/** Only the event the projection is stuck on, named by its position: nothing else can be skipped. */
const skip = async (pool: Pool, name: string, position: string, io: CliIo): Promise<number> => {
  const stuck = (await readStuckEvents(pool)).find((s) => s.projection === name) ?? null;
  if (
    stuck === null ||
    stuck.position !== position ||
    !(await skipStuckEvent(pool, name, position))
  ) {
    io.err.write(
      `parley: ${name} is ${stuck === null ? 'not stuck' : `stuck at position ${stuck.position}, not ${position}`}; only the event a projection is stuck on can be skipped\n`,
    );
    return 1;
  }
  io.out(
    `${name} leaves out ${stuck.eventType} ${stuck.streamId}@${stuck.revision} at position ${position}, now and in every rebuild; its runner moves on at its next retry\n`,
  );
  return 0;
};

const rebuild = async (
  pool: Pool,
  store: EventStore,
  projections: readonly Projection[],
  io: CliIo,
): Promise<void> => {
  for (const projection of projections) {
    const bar = new ProgressBar(io.err, projection.name);
    try {
      const result = await rebuildProjection({
        pool,
        store,
        projection,
        lock: 'acquire',
        onProgress: ({ events, estimate }) => bar.update(events, estimate),
      });
      bar.done(result.events);
    } catch (error) {
      bar.failed();
      throw error;
    }
  }
};
