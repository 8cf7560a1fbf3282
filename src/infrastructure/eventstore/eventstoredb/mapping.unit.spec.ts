import type {
  Checkpoint,
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
} from '../../../application/ports/eventStore';
import {
  type ClientRecord,
  compareCheckpoints,
  comparePositions,
  decodeCheckpoint,
  encodeCheckpoint,
  isSystemEvent,
  parseMetadata,
  satisfiesExpectedRevision,
  serialiseMetadata,
  subscriptionFilter,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
} from './mapping';
import {
  ANY,
  EVENT_TYPE,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
  STREAM_NAME,
} from '@eventstore/db-client';

const TWO_TO_53 = 2n ** 53n;
const U64_MAX = 2n ** 64n - 1n;

describe('EventStoreDB checkpoints', () => {
  it('writes commit and prepare positions as decimals', () => {
    expect(encodeCheckpoint({ commit: 123n, prepare: 120n })).toBe('C:123/P:120');
  });

  it('round-trips positions that a Number would round', () => {
    for (const position of [
      { commit: TWO_TO_53 + 1n, prepare: TWO_TO_53 + 1n },
      { commit: U64_MAX, prepare: U64_MAX - 1n },
      { commit: 0n, prepare: 0n },
    ]) {
      expect(decodeCheckpoint(encodeCheckpoint(position))).toEqual(position);
    }
    expect(encodeCheckpoint({ commit: TWO_TO_53 + 1n, prepare: 0n })).toBe(
      'C:9007199254740993/P:0',
    );
  });

  it('reads null and undefined as the start of the log', () => {
    expect(decodeCheckpoint(null)).toBeNull();
    expect(decodeCheckpoint(undefined)).toBeNull();
  });

  it('refuses what it did not write, a PostgreSQL checkpoint included', () => {
    for (const foreign of ['123:45', '42', 'C:1/P:', 'C:-1/P:2', 'C:1/P:2 ', 'c:1/p:2']) {
      expect(() => decodeCheckpoint(foreign as Checkpoint)).toThrow(/not an EventStoreDB/);
    }
  });

  it('orders by commit position, then prepare position', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
  });

  it('compares checkpoints as bigints, not as strings or Numbers', () => {
    const at = (commit: bigint): Checkpoint => encodeCheckpoint({ commit, prepare: commit });
    // as strings "C:9/…" > "C:10/…"; as Numbers 2^53 and 2^53 + 1 are equal
    expect(compareCheckpoints(at(9n), at(10n))).toBe(-1);
    expect(compareCheckpoints(at(TWO_TO_53), at(TWO_TO_53 + 1n))).toBe(-1);
    expect(compareCheckpoints(at(TWO_TO_53 + 1n), at(TWO_TO_53))).toBe(1);
    expect(compareCheckpoints(at(U64_MAX), at(U64_MAX))).toBe(0);
    // commits a Number cannot tell apart, prepares in the opposite order: the commit decides
    const before = encodeCheckpoint({ commit: TWO_TO_53, prepare: 5n });
    const after = encodeCheckpoint({ commit: TWO_TO_53 + 1n, prepare: 1n });
    expect(compareCheckpoints(before, after)).toBe(-1);
    expect(compareCheckpoints(after, before)).toBe(1);
  });

  it('puts the start of the log before every checkpoint', () => {
    const first = encodeCheckpoint({ commit: 0n, prepare: 0n });
    expect(compareCheckpoints(null, first)).toBe(-1);
    expect(compareCheckpoints(first, null)).toBe(1);
    expect(compareCheckpoints(null, null)).toBe(0);
  });
});

describe('expected revision, port to EventStoreDB', () => {
  it('maps each kind to the client constant of the same meaning', () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision('any')).toBe(ANY);
  });

  it('passes a revision through as the same bigint, however large', () => {
    for (const revision of [0n, 41n, 2n ** 53n + 1n, 2n ** 63n - 1n]) {
      const mapped = toClientExpectedRevision(revision);
      expect(typeof mapped).toBe('bigint');
      expect(mapped).toBe(revision);
    }
  });

  it('checks an append of nothing the way the server checks an append', () => {
    const cases: [ExpectedRevision, bigint | 'no_stream', boolean][] = [
      ['any', 'no_stream', true],
      ['any', 3n, true],
      ['no_stream', 'no_stream', true],
      ['no_stream', 0n, false],
      ['stream_exists', 'no_stream', false],
      ['stream_exists', 0n, true],
      [2n, 2n, true],
      [2n, 3n, false],
      [0n, 'no_stream', false],
    ];
    for (const [expected, actual, ok] of cases) {
      expect([expected, actual, satisfiesExpectedRevision(expected, actual)]).toEqual([
        expected,
        actual,
        ok,
      ]);
    }
  });
});

describe('system events and the subscription filter', () => {
  it('knows EventStoreDB events by their $ type', () => {
    for (const type of ['$>', '$metadata', '$statsCollected', '$streamDeleted']) {
      expect(isSystemEvent(type)).toBe(true);
    }
    for (const type of ['DialogOpened', 'MessageReceived', 'a$b']) {
      expect(isSystemEvent(type)).toBe(false);
    }
  });

  it('without prefixes, filters out system event types on the server', () => {
    const filter = subscriptionFilter(undefined, 16, () => undefined);
    expect(filter.filterOn).toBe(EVENT_TYPE);
    const regex = new RegExp('regex' in filter ? filter.regex : '(?!)');
    expect(regex.test('DialogOpened')).toBe(true);
    expect(regex.test('$statsCollected')).toBe(false);
    expect(subscriptionFilter([], 16, () => undefined).filterOn).toBe(EVENT_TYPE);
  });

  it('with prefixes, filters by stream name prefix on the server', () => {
    const prefixes = ['dialog-', 'contact-'];
    const filter = subscriptionFilter(prefixes, 16, () => undefined);
    expect(filter.filterOn).toBe(STREAM_NAME);
    expect('prefixes' in filter && filter.prefixes).toEqual(['dialog-', 'contact-']);
    expect('prefixes' in filter && filter.prefixes).not.toBe(prefixes);
  });

  it('asks for checkpoints at the given interval and hands their positions on', async () => {
    const seen: Position[] = [];
    const filter = subscriptionFilter(['dialog-'], 3, (position) => seen.push(position));
    expect(filter.checkpointInterval).toBe(3);
    const position = { commit: 2n ** 62n, prepare: 2n ** 62n };
    await filter.checkpointReached?.(undefined as never, position);
    expect(seen).toEqual([position]);
  });
});

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

const operatorMetadata = {
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
  metadata: JSON.parse(JSON.stringify(serialiseMetadata(operatorMetadata))) as unknown,
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
      metadata: operatorMetadata,
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
