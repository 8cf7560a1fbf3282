import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { EventStore } from '../application/ports/eventStore';
import type { Config } from './config';
import { createEventStore } from './eventstore/createEventStore';
import { createHttpApp } from './http/app';
import { healthRoutes } from './http/routes/health';
import type { Logger } from './logger';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './postgres/embedded';
import { migrate } from './postgres/migrations';
import { createPool } from './postgres/pool';

export type Parley = Readonly<{
  url: string;
  server: Server;
  pool: Pool;
  store: EventStore;
  embedded: EmbeddedPostgres | null;
  /** stops accepting, drains, then releases the store, the pool and the embedded server */
  close(): Promise<void>;
}>;

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

/** The composition root: every port gets its adapter here and nowhere else. */
export const startParley = async (config: Config, logger: Logger): Promise<Parley> => {
  const embedded =
    config.databaseUrl === null
      ? await startEmbeddedPostgres({
          dataDir: config.dataDir,
          log: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
        })
      : null;
  if (embedded !== null)
    logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');

  const pool = createPool({
    connectionString: embedded?.connectionString ?? (config.databaseUrl as string),
    max: config.databasePoolSize,
  });
  const releaseDatabase = async (): Promise<void> => {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };

  try {
    const applied = await migrate(pool);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const store = await createEventStore(config, pool);

    const app = createHttpApp({
      logger,
      bodyLimitBytes: config.limits.bodyBytes,
      routers: [
        healthRoutes([
          { name: 'database', check: async () => void (await pool.query('SELECT 1')) },
          { name: 'event_store', check: () => store.ping() },
        ]),
      ],
    });
    const server = createServer(app.callback());
    server.keepAliveTimeout = 65_000;
    await listen(server, config.port, config.host);
    const address = server.address() as AddressInfo;
    const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // requests still running after the grace period are cut
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        });
        await store.close();
        await releaseDatabase();
      })());

    return { url, server, pool, store, embedded, close };
  } catch (error) {
    await releaseDatabase();
    throw error;
  }
};
