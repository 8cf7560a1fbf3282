import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../../src/infrastructure/config';
import { createLogger } from '../../src/infrastructure/logger';
import { startParley, type Parley } from '../../src/infrastructure/parley';
import { ProtectedEventStore } from '../../src/infrastructure/privacy/protectedEventStore';
import { serveParent } from '../lib/child';

export type ProfileMessage = Readonly<{ type: 'profile'; action: 'start' | 'stop'; file?: string }>;
export type SealingMessage = Readonly<{ type: 'sealing'; on: boolean }>;

/** A V8 CPU profile of one phase only (seeding and warm-up would blur it). */
const profiler = () => {
  const session = new Session();
  session.connect();
  return {
    start: async () => {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    stop: async (file: string) => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
    },
  };
};

/**
 * Parley as `npm start` runs it (HTTP, workers, pool), in a process of its own so that the
 * load generator never shares its event loop. Configured by the environment the bench passes.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  let parley: Parley | null = null;
  const cpu = profiler();
  serveParent(
    {
      profile: async (message: ProfileMessage) => {
        if (message.action === 'start') await cpu.start();
        else await cpu.stop(message.file ?? 'parley.cpuprofile');
        return { type: 'profiled' };
      },
      // encryption's cost phases turn sealing off and on in this one process (notaryCost.ts)
      sealing: async (message: SealingMessage) => {
        const store = parley?.deps.store;
        if (!(store instanceof ProtectedEventStore))
          throw new Error('the store is not the privacy codec: no sealing to switch');
        store.setSealing(message.on);
        return { type: 'sealed' };
      },
    },
    async () => {
      await parley?.close();
    },
  );
  parley = await startParley(config, createLogger(config.logLevel));
  process.send?.({ type: 'ready', url: parley.url });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
