import { serialiseMetadata } from './eventMetadata';
import { toRecordedEvent, type ClientRecord } from './recordedEvent';

const metadata = {
  correlationId: 'req-1',
  causationId: null,
  actor: { type: 'operator', operatorId: 'op-1' },
  recordedAt: '2026-01-01T10:00:00.000Z',
  schemaVersion: 1,
} as const;

/** as the client returns a JSON event: data and metadata parsed, positions as bigint */
const record: ClientRecord = {
  id: '6f1c2a4e-1b7d-4d0e-9a51-3f1e2b7c9d10',
  streamId: 'dialog-5cc2f62000568c04afdc0c5e',
  revision: 2n ** 53n + 5n,
  type: 'MessageReceived',
  created: new Date('2026-01-01T10:00:01.000Z'),
  isJson: true,
  data: { text: 'hello' },
  metadata: JSON.parse(JSON.stringify(serialiseMetadata(metadata))) as unknown,
  position: { commit: 2n ** 60n, prepare: 2n ** 60n - 3n },
};

describe('a recorded EventStoreDB event as the port has it', () => {
  it('keeps ids, types, data, the revision as bigint and the position as a checkpoint', () => {
    expect(toRecordedEvent(record)).toEqual({
      id: record.id,
      streamId: record.streamId,
      revision: 9007199254740997n,
      type: 'MessageReceived',
      data: { text: 'hello' },
      metadata,
      checkpoint: 'C:1152921504606846976/P:1152921504606846973',
      created: record.created,
    });
  });

  it('refuses an event without a position (servers before 22.6)', () => {
    const { position: _none, ...withoutPosition } = record;
    expect(() => toRecordedEvent(withoutPosition)).toThrow(/22\.6/);
  });

  it('refuses a binary event, which Parley never writes', () => {
    expect(() => toRecordedEvent({ ...record, isJson: false, data: new Uint8Array() })).toThrow(
      /not JSON/,
    );
  });
});
