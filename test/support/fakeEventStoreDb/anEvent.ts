import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../../src/application/ports/eventStore';

/** An event with Parley's metadata, for the adapter's tests against the fake. */
export const anEvent = (type = 'Happened'): EventToAppend => ({
  id: randomUUID(),
  type,
  data: { at: type },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'admin' },
    recordedAt: '2026-01-01T10:00:00.000Z',
    schemaVersion: 1,
  },
});
