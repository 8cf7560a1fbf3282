import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProjectionRunner } from '../projections/runner/projectionRunner';
import type { Logger } from './logger';
import type { Worker } from './parleyDeps';

/** How a process's parts start and stop; the composition root (parley.ts) says which parts. */

export const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

export const urlOf = (server: Server): string => {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
};

/** A projection runner as a background job. */
export const runnerWorker = (runner: ProjectionRunner): Worker => ({
  name: `projection:${runner.name}`,
  start: () => runner.start(),
  stop: () => runner.stop(),
});

export type Running = Readonly<{
  server: Server;
  /** ends what the server's close would wait for (the inbox's live streams) */
  endStreams: () => Promise<void>;
  workers: readonly Worker[];
  /** the event store, then the database under it */
  release: () => Promise<void>;
  logger: Logger;
}>;

/**
 * Stops a started process once, however often it is asked: stops accepting, drains (requests
 * still running after 5 s are cut), stops the workers in reverse order, then releases.
 */
export const closeOnce = ({ server, endStreams, workers, release, logger }: Running) => {
  let closing: Promise<void> | null = null;
  return (): Promise<void> =>
    (closing ??= (async () => {
      await endStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // requests still running after the grace period are cut
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      for (const worker of [...workers].reverse()) {
        await worker
          .stop()
          .catch((error: unknown) =>
            logger.error({ err: error, worker: worker.name }, 'stop failed'),
          );
      }
      await release();
    })());
};
