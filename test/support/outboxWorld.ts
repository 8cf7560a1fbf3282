import { isRight } from 'fp-ts/Either';
import { randomBytes } from 'node:crypto';
import { commandHandler } from '../../src/application/commandHandler';
import type { CommandContext } from '../../src/application/context';
import { StreamLocks } from '../../src/application/streamLocks';
import { subscribeWebhook, type WebhookDeps } from '../../src/application/webhooks/manageWebhooks';
import type { WebhookEventType } from '../../src/domain/webhook/eventTypes';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { objectIdGenerator } from '../../src/infrastructure/ids';
import { masterKeyOf } from '../../src/infrastructure/keys/envelope';
import { postgresWebhookSecrets } from '../../src/infrastructure/webhooks/secretStore';
import { useTestDatabase, type TestDatabase } from './database';

export const adminContext = (): CommandContext => ({
  correlationId: 'test',
  causationId: null,
  actor: { type: 'admin' },
  now: new Date(),
});

export type OutboxWorld = { db: TestDatabase; deps: WebhookDeps; store: PostgresEventStore };

/**
 * A database of the file's own, with the use cases' dependencies on its PostgreSQL event store:
 * for specs that write the log through the use cases and project it into the outbox by hand.
 */
export const useOutboxWorld = (): OutboxWorld => {
  const world = { db: useTestDatabase() } as OutboxWorld;
  beforeAll(() => {
    world.store = new PostgresEventStore(world.db.pool);
    const ids = objectIdGenerator();
    world.deps = {
      ids,
      commands: commandHandler({ store: world.store, ids, locks: new StreamLocks() }),
      secrets: postgresWebhookSecrets(world.db.pool, masterKeyOf(randomBytes(32))),
      urlGuard: { refusal: async () => null },
    };
  });
  afterAll(() => world.store.close());
  return world;
};

/** A subscription to `events` (of one channel, or all), made as the API makes it. */
export const subscribeTo = async (
  deps: WebhookDeps,
  events: WebhookEventType[],
  channelId: string | null = null,
): Promise<string> => {
  const result = await subscribeWebhook(
    deps,
    { url: 'https://hooks.example.com/', events, channelId },
    adminContext(),
  );
  if (!isRight(result)) throw new Error(result.left.code);
  return result.right.webhookId;
};
