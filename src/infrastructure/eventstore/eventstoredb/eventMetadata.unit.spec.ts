import type { EventMetadata } from '../../../application/ports/eventStore';
import { parseMetadata, serialiseMetadata } from './eventMetadata';

const metadata: EventMetadata = {
  correlationId: 'req-1',
  causationId: 'evt-0',
  actor: { type: 'integration', channelId: '5cc2f62000568c04afdc0c5e' },
  recordedAt: '2026-01-01T10:00:00.000Z',
  schemaVersion: 2,
};

/** what the client sends and reads back: JSON text */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('event metadata in EventStoreDB', () => {
  it('adds the EventStoreDB correlation and causation fields', () => {
    expect(serialiseMetadata(metadata)).toEqual({
      ...metadata,
      $correlationId: 'req-1',
      $causationId: 'evt-0',
    });
  });

  it('omits $causationId when nothing caused the event', () => {
    expect(serialiseMetadata({ ...metadata, causationId: null })).not.toHaveProperty(
      '$causationId',
    );
  });

  it('reads back exactly what was written, for every kind of actor', () => {
    for (const actor of [
      metadata.actor,
      { type: 'operator', operatorId: 'op-1' } as const,
      { type: 'admin' } as const,
      { type: 'system' } as const,
    ]) {
      const written = { ...metadata, actor, causationId: null };
      expect(parseMetadata(throughJson(serialiseMetadata(written)), 'event x')).toEqual(written);
    }
  });

  it('refuses metadata Parley did not write, naming the event', () => {
    const { schemaVersion: _omitted, ...withoutVersion } = metadata;
    for (const foreign of [
      undefined,
      new Uint8Array([1, 2]),
      'text',
      withoutVersion,
      { ...metadata, actor: { type: 'robot' } },
      { ...metadata, causationId: 7 },
    ]) {
      expect(() => parseMetadata(foreign, 'event 42 of stream s')).toThrow(
        'event 42 of stream s has no Parley metadata',
      );
    }
  });
});
