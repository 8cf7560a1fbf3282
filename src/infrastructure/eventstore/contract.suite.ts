import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  type Checkpoint,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
} from '../../application/ports/eventStore';

/**
 * The one contract every event store adapter passes (memory, PostgreSQL, EventStoreDB).
 * `slowStore`, when the adapter has transactions, appends in transactions that stay open a
 * while before committing: the out-of-order commits of SPEC 1.2.
 */
export type ContractSubject = Readonly<{
  store: EventStore;
  slowStore?: EventStore;
  teardown(): Promise<void>;
}>;

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: { type: 'system' },
  recordedAt: '2026-01-01T10:00:00.000Z',
  schemaVersion: 1,
  ...overrides,
});

const anEvent = (type = 'SomethingHappened', data: unknown = { n: 1 }): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(),
});

/** stream ids unique per test run, so suites may share a store */
const newStream = (prefix = 'contract'): string => `${prefix}-${randomUUID()}`;

/**
 * Reads until `done` (at most 5 s). The gap-safe PostgreSQL store shows an event once every
 * older transaction on the server has ended, in any of its databases: another test file writing
 * at that moment delays a read that follows an append by a few milliseconds.
 */
const settled = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const expectWrongVersion = async (
  attempt: Promise<unknown>,
  actual: bigint | 'no_stream',
): Promise<void> => {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect((error as WrongExpectedVersionError).actual).toBe(actual);
};

const collect = async (
  store: EventStore,
  streamPrefix: string,
  count: number,
  timeoutMs: number,
  from: Parameters<EventStore['subscribeToAll']>[0] = {},
): Promise<RecordedEvent[]> => {
  const seen: RecordedEvent[] = [];
  const subscription = store.subscribeToAll(from);
  const deadline = setTimeout(() => void subscription.unsubscribe(), timeoutMs);
  try {
    for await (const item of subscription) {
      if (item.type === 'event' && item.event.streamId.startsWith(streamPrefix))
        seen.push(item.event);
      if (seen.length >= count) break;
    }
  } finally {
    clearTimeout(deadline);
    await subscription.unsubscribe();
  }
  return seen;
};

export const describeEventStoreContract = (
  name: string,
  subject: () => Promise<ContractSubject>,
): void =>
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let slowStore: EventStore | undefined;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, slowStore, teardown } = await subject());
    });
    afterAll(async () => teardown?.());

    describe('append and read a stream', () => {
      it('appends to a new stream and reads the events back in order, data and metadata intact', async () => {
        const streamId = newStream();
        const events = [
          anEvent('First', {
            text: 'привет',
            nested: { list: [1, 2, 3] },
            big: '9007199254740993',
          }),
          anEvent('Second', { ok: true }),
        ];
        const meta = metadata({
          actor: { type: 'integration', channelId: 'c0000000000000000000000a' },
          causationId: randomUUID(),
        });
        const result = await store.appendToStream(
          streamId,
          events.map((e) => ({ ...e, metadata: meta })),
          { expectedRevision: 'no_stream' },
        );
        expect(result.nextExpectedRevision).toBe(1n);

        const read = await store.readStream(streamId);
        expect(read.map((e) => [e.id, e.type, e.data, e.revision, e.streamId])).toEqual([
          [events[0]?.id, 'First', events[0]?.data, 0n, streamId],
          [events[1]?.id, 'Second', events[1]?.data, 1n, streamId],
        ]);
        expect(read[0]?.metadata).toEqual(meta);
        expect(typeof read[0]?.revision).toBe('bigint');
        expect(read[0]?.created).toBeInstanceOf(Date);
      });

      it('reads nothing from a stream that does not exist', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it('reads from a revision, at most maxCount events', async () => {
        const streamId = newStream();
        await store.appendToStream(
          streamId,
          [1, 2, 3, 4, 5].map((n) => anEvent('N', { n })),
          {
            expectedRevision: 'no_stream',
          },
        );
        const page = await store.readStream(streamId, { fromRevision: 2n, maxCount: 2 });
        expect(page.map((e) => (e.data as { n: number }).n)).toEqual([3, 4]);
        expect(page.map((e) => e.revision)).toEqual([2n, 3n]);
      });

      it('keeps streams apart', async () => {
        const a = newStream();
        const b = newStream();
        await store.appendToStream(a, [anEvent('A')], { expectedRevision: 'no_stream' });
        await store.appendToStream(b, [anEvent('B'), anEvent('B')], {
          expectedRevision: 'no_stream',
        });
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A']);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B', 'B']);
      });
    });

    describe('expected revision', () => {
      const withOne = async (): Promise<string> => {
        const streamId = newStream();
        await store.appendToStream(streamId, [anEvent()], { expectedRevision: 'no_stream' });
        return streamId;
      };
      const append = (streamId: string, expectedRevision: ExpectedRevision, n = 1) =>
        store.appendToStream(
          streamId,
          Array.from({ length: n }, () => anEvent()),
          { expectedRevision },
        );

      it('no_stream appends to a missing stream', async () =>
        expect((await append(newStream(), 'no_stream', 3)).nextExpectedRevision).toBe(2n));
      it('no_stream refuses an existing stream and appends nothing', async () => {
        const streamId = await withOne();
        await expectWrongVersion(append(streamId, 'no_stream'), 0n);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });
      it('stream_exists appends to an existing stream', async () =>
        expect((await append(await withOne(), 'stream_exists')).nextExpectedRevision).toBe(1n));
      it('stream_exists refuses a missing stream', async () =>
        expectWrongVersion(append(newStream(), 'stream_exists'), 'no_stream'));
      it('any appends to a missing stream', async () =>
        expect((await append(newStream(), 'any')).nextExpectedRevision).toBe(0n));
      it('any appends to an existing stream', async () =>
        expect((await append(await withOne(), 'any', 2)).nextExpectedRevision).toBe(2n));
      it('a revision appends when it is the last one', async () =>
        expect((await append(await withOne(), 0n, 2)).nextExpectedRevision).toBe(2n));
      it('a revision refuses a stream that moved on', async () => {
        const streamId = await withOne();
        await append(streamId, 0n);
        await expectWrongVersion(append(streamId, 0n), 1n);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
      it('a revision refuses a missing stream', async () =>
        expectWrongVersion(append(newStream(), 0n), 'no_stream'));
      it('the returned revision is the next expected one', async () => {
        const streamId = newStream();
        let revision = (await append(streamId, 'no_stream')).nextExpectedRevision;
        for (let i = 0; i < 3; i++)
          revision = (await append(streamId, revision, 2)).nextExpectedRevision;
        expect(revision).toBe(6n);
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([
          0n,
          1n,
          2n,
          3n,
          4n,
          5n,
          6n,
        ]);
      });
    });

    describe('unchanged streams (read, relied on, not written)', () => {
      const withOne = async (): Promise<string> => {
        const streamId = newStream();
        await store.appendToStream(streamId, [anEvent()], { expectedRevision: 'no_stream' });
        return streamId;
      };
      const kinds: readonly ('no_stream' | 'stream_exists' | 'any' | 'revision')[] = [
        'no_stream',
        'stream_exists',
        'any',
        'revision',
      ];
      const target = async (kind: (typeof kinds)[number]) => {
        const streamId = kind === 'no_stream' ? newStream() : await withOne();
        return { streamId, expectedRevision: kind === 'revision' ? 0n : kind } as const;
      };

      it.each(kinds)('%s appends when every stream is where it was read', async (kind) => {
        const read = await withOne();
        const { streamId, expectedRevision } = await target(kind);
        await store.appendToStream(streamId, [anEvent('Relied')], {
          expectedRevision,
          unchanged: [
            { streamId: read, revision: 0n },
            { streamId: newStream(), revision: 'no_stream' },
          ],
        });
        expect((await store.readStream(streamId)).map((e) => e.type)).toContain('Relied');
        expect(await store.readStream(read)).toHaveLength(1);
      });

      it.each(kinds)('%s refuses, naming the moved stream, and appends nothing', async (kind) => {
        const read = await withOne();
        await store.appendToStream(read, [anEvent()], { expectedRevision: 0n });
        const { streamId, expectedRevision } = await target(kind);
        const error = await store
          .appendToStream(streamId, [anEvent('Relied')], {
            expectedRevision,
            unchanged: [{ streamId: read, revision: 0n }],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: read, expected: 0n, actual: 1n });
        expect((await store.readStream(streamId)).map((e) => e.type)).not.toContain('Relied');
      });

      it('refuses when a stream read as missing appeared', async () => {
        const appeared = await withOne();
        const streamId = newStream();
        const error = await store
          .appendToStream(streamId, [anEvent()], {
            expectedRevision: 'no_stream',
            unchanged: [{ streamId: appeared, revision: 'no_stream' }],
          })
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ streamId: appeared, actual: 0n });
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('concurrent appenders', () => {
      it('exactly one of many appenders with the same revision wins', async () => {
        const streamId = newStream();
        await store.appendToStream(streamId, [anEvent()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, () =>
            store.appendToStream(streamId, [anEvent()], { expectedRevision: 0n }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('exactly one of many no_stream appenders creates the stream', async () => {
        const streamId = newStream();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) =>
            store.appendToStream(streamId, [anEvent('Claimed', { i })], {
              expectedRevision: 'no_stream',
            }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('any never loses an event under concurrency', async () => {
        const streamId = newStream();
        await Promise.all(
          Array.from({ length: 20 }, () =>
            store.appendToStream(streamId, [anEvent()], { expectedRevision: 'any' }),
          ),
        );
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.revision)).toEqual(
          Array.from({ length: 20 }, (_, i) => BigInt(i)),
        );
      });
    });

    describe('the global log', () => {
      it('reads every stream in commit order, in pages, resuming after a checkpoint', async () => {
        const prefix = `log-${randomUUID()}`;
        // start after a marker, not at the start of the log: the store may be long-lived
        const marker = await store.appendToStream(`${prefix}-marker`, [anEvent('Marker')], {
          expectedRevision: 'no_stream',
        });
        const appended: string[] = [];
        for (let i = 0; i < 7; i++) {
          const event = anEvent('Logged', { i });
          appended.push(event.id);
          await store.appendToStream(`${prefix}-${i % 3}`, [event], { expectedRevision: 'any' });
        }
        const readLog = async (): Promise<string[]> => {
          const seen: string[] = [];
          let from: Checkpoint | null = marker.checkpoint;
          for (let pages = 0; pages < 10_000 && seen.length < appended.length; pages++) {
            const page = await store.readAll({ from, maxCount: 3 });
            if (page.events.length === 0) break;
            expect(page.events.length).toBeLessThanOrEqual(3);
            seen.push(...page.events.filter((e) => e.streamId.startsWith(prefix)).map((e) => e.id));
            from = page.checkpoint;
          }
          return seen;
        };
        expect(await settled(readLog, (seen) => seen.length >= appended.length)).toEqual(appended);
      });

      it('returns the checkpoint of the last appended event, and orders checkpoints', async () => {
        const streamId = newStream();
        const first = await store.appendToStream(streamId, [anEvent()], {
          expectedRevision: 'no_stream',
        });
        const second = await store.appendToStream(streamId, [anEvent(), anEvent()], {
          expectedRevision: 0n,
        });
        const read = await store.readStream(streamId);
        expect(read[0]?.checkpoint).toBe(first.checkpoint);
        expect(read[2]?.checkpoint).toBe(second.checkpoint);
        expect(store.compareCheckpoints(first.checkpoint, second.checkpoint)).toBe(-1);
        expect(store.compareCheckpoints(second.checkpoint, first.checkpoint)).toBe(1);
        expect(store.compareCheckpoints(second.checkpoint, second.checkpoint)).toBe(0);
        expect(store.compareCheckpoints(null, first.checkpoint)).toBe(-1);
      });

      it('reads after a checkpoint, exclusive', async () => {
        const streamId = newStream();
        const first = await store.appendToStream(streamId, [anEvent('One')], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(streamId, [anEvent('Two')], { expectedRevision: 0n });
        const typesAfter = async () =>
          (await store.readAll({ from: first.checkpoint, maxCount: 10_000 })).events
            .filter((e) => e.streamId === streamId)
            .map((e) => e.type);
        expect(await settled(typesAfter, (types) => types.length > 0)).toEqual(['Two']);
      });
    });

    describe('the global log, filtered by event type', () => {
      it('returns only those types, in order, and its checkpoint moves past the others', async () => {
        const tag = randomUUID().slice(0, 8);
        const [wanted, other] = [`Wanted${tag}`, `Other${tag}`];
        const marker = await store.appendToStream(newStream(), [anEvent('Marker')], {
          expectedRevision: 'no_stream',
        });
        const order = [other, wanted, other, other, wanted, wanted, other, wanted, other, other];
        const appended: { id: string; type: string; checkpoint: Checkpoint }[] = [];
        for (const type of order) {
          const event = anEvent(type);
          const { checkpoint } = await store.appendToStream(newStream(), [event], {
            expectedRevision: 'no_stream',
          });
          appended.push({ id: event.id, type, checkpoint });
        }
        const lastOther = appended[appended.length - 1]?.checkpoint as Checkpoint;
        const readLog = async () => {
          const seen: RecordedEvent[] = [];
          let from: Checkpoint | null = marker.checkpoint;
          for (let pages = 0; pages < 1_000; pages++) {
            const page = await store.readAll({ from, maxCount: 2, eventTypes: [wanted] });
            expect(page.events.length).toBeLessThanOrEqual(2);
            seen.push(...page.events);
            if (page.events.length === 0) return { seen, end: page.checkpoint };
            from = page.checkpoint;
          }
          throw new Error('the filtered read never reached the end of the log');
        };
        const { seen, end } = await settled(
          readLog,
          (read) => read.seen.length >= 4 && store.compareCheckpoints(read.end, lastOther) >= 0,
        );
        expect(seen.map((e) => e.type)).toEqual([wanted, wanted, wanted, wanted]);
        expect(seen.map((e) => e.id)).toEqual(
          appended.filter((e) => e.type === wanted).map((e) => e.id),
        );
        // resuming from the end finds a later event of the type, not an earlier one again
        const later = anEvent(wanted);
        await store.appendToStream(newStream(), [later], { expectedRevision: 'no_stream' });
        const next = await settled(
          async () =>
            (await store.readAll({ from: end, maxCount: 10, eventTypes: [wanted] })).events,
          (events) => events.length > 0,
        );
        expect(next.map((e) => e.id)).toEqual([later.id]);
      });

      it('an empty list of types matches nothing', async () => {
        await store.appendToStream(newStream(), [anEvent('Anything')], {
          expectedRevision: 'no_stream',
        });
        expect((await store.readAll({ maxCount: 50, eventTypes: [] })).events).toEqual([]);
      });
    });

    describe('subscriptions', () => {
      it('delivers past events, then live ones, then stops when unsubscribed', async () => {
        const prefix = `sub-${randomUUID()}`;
        await store.appendToStream(`${prefix}-a`, [anEvent('Past')], {
          expectedRevision: 'no_stream',
        });
        const seen = collect(store, prefix, 3, 20_000);
        await new Promise((r) => setTimeout(r, 50));
        await store.appendToStream(`${prefix}-a`, [anEvent('Live')], { expectedRevision: 0n });
        await store.appendToStream(`${prefix}-b`, [anEvent('Live')], {
          expectedRevision: 'no_stream',
        });
        expect((await seen).map((e) => e.type)).toEqual(['Past', 'Live', 'Live']);
      });

      it('starts after the given checkpoint', async () => {
        const prefix = `from-${randomUUID()}`;
        const first = await store.appendToStream(`${prefix}-a`, [anEvent('Before')], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(`${prefix}-a`, [anEvent('After')], { expectedRevision: 0n });
        const seen = await collect(store, prefix, 1, 20_000, { from: first.checkpoint });
        expect(seen.map((e) => e.type)).toEqual(['After']);
      });

      it('filters by stream prefix', async () => {
        const prefix = `filter-${randomUUID()}`;
        await store.appendToStream(`other-${randomUUID()}`, [anEvent('Other')], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(`${prefix}-x`, [anEvent('Mine')], {
          expectedRevision: 'no_stream',
        });
        const seen = await collect(store, '', 1, 20_000, { streamPrefixes: [prefix] });
        expect(seen.map((e) => e.streamId.startsWith(prefix))).toEqual([true]);
      });

      it('filters by event type', async () => {
        const prefix = `types-${randomUUID()}`;
        const tag = prefix.slice(-8);
        for (const type of [`Skip${tag}`, `Keep${tag}`, `Skip${tag}`, `Keep${tag}`]) {
          await store.appendToStream(`${prefix}-${randomUUID()}`, [anEvent(type)], {
            expectedRevision: 'no_stream',
          });
        }
        const seen = await collect(store, prefix, 2, 20_000, { eventTypes: [`Keep${tag}`] });
        expect(seen.map((e) => e.type)).toEqual([`Keep${tag}`, `Keep${tag}`]);
      });

      it('sees every event of many concurrent appenders exactly once, slow commits included', async () => {
        const prefix = `race-${randomUUID()}`;
        const appenders = 8;
        const perAppender = 500;
        const total = appenders * perAppender;
        // half the appenders write a type a second subscriber filters out in the store
        const typeOf = (a: number) => (a % 2 === 0 ? 'Raced' : 'RacedAside');
        const subscriber = collect(store, prefix, total, 120_000);
        const filtered = collect(store, prefix, total / 2, 120_000, { eventTypes: ['Raced'] });
        const written: { id: string; type: string }[] = [];
        await Promise.all(
          Array.from({ length: appenders }, async (_, a) => {
            let n = 0;
            while (n < perAppender) {
              const batch = Array.from({ length: Math.min(1 + (n % 3), perAppender - n) }, (_, i) =>
                anEvent(typeOf(a), { a, n: n + i }),
              );
              n += batch.length;
              written.push(...batch.map((e) => ({ id: e.id, type: e.type })));
              // one append in five holds its transaction open before committing
              const target = slowStore !== undefined && Math.random() < 0.2 ? slowStore : store;
              await target.appendToStream(`${prefix}-${a}`, batch, { expectedRevision: 'any' });
            }
          }),
        );
        const seen = await subscriber;
        const ids = seen.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set(written.map((e) => e.id)));
        const kept = (await filtered).map((e) => e.id);
        expect(new Set(kept).size).toBe(kept.length);
        expect(new Set(kept)).toEqual(
          new Set(written.filter((e) => e.type === 'Raced').map((e) => e.id)),
        );
        // each stream's events arrive in stream order
        for (let a = 0; a < appenders; a++) {
          const revisions = seen
            .filter((e) => e.streamId === `${prefix}-${a}`)
            .map((e) => e.revision);
          expect(revisions).toEqual([...revisions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
        }
      });
    });
  });
