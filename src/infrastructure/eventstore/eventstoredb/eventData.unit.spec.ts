import type { EventToAppend } from '../../../application/ports/eventStore';
import { toEventData } from './eventData';

const event: EventToAppend = {
  id: '6f1c2a4e-1b7d-4d0e-9a51-3f1e2b7c9d10',
  type: 'DialogOpened',
  data: { dialogId: 'd1', title: 'Привет' },
  metadata: {
    correlationId: 'req-1',
    causationId: null,
    actor: { type: 'admin' },
    recordedAt: '2026-01-01T10:00:00.000Z',
    schemaVersion: 1,
  },
};

describe('an event as EventStoreDB event data', () => {
  it('is JSON with the port id, type, data and metadata', () => {
    expect(toEventData(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'DialogOpened',
      data: event.data,
      metadata: { ...event.metadata, $correlationId: 'req-1' },
    });
  });

  it('refuses data the client cannot store as JSON event data', () => {
    for (const data of [null, 42, true, undefined]) {
      expect(() => toEventData({ ...event, data })).toThrow(/JSON object, array or string/);
    }
  });
});
