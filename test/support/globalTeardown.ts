import { rm } from 'node:fs/promises';
import type { EmbeddedPostgres } from '../../src/infrastructure/postgres/embedded';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__parleyTestPostgres as
    { server: EmbeddedPostgres; dataDir: string } | undefined;
  if (started === undefined) return;
  await started.server.stop();
  await rm(started.dataDir, { recursive: true, force: true });
}
