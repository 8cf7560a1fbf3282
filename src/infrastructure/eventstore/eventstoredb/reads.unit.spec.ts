import { EventStoreUnavailableError } from '../../../application/ports/eventStore';
import { collectRead, type ReadAllBatch, readAllPage, withDeadline } from './reads';
import { Readable } from 'node:stream';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  Position,
  StreamingRead,
} from '@eventstore/db-client';
import { comparePositions } from './mapping';

describe('a deadline on a call', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, 'a test')).resolves.toBe(7);
  });

  it('passes the failure through when it comes in time', async () => {
    const failure = new Error('refused');
    await expect(withDeadline(Promise.reject(failure), 1_000, 'a test')).rejects.toBe(failure);
  });

  it('fails as unavailable when no answer comes', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withDeadline(never, 20, 'an append to s')).rejects.toThrow(
      new EventStoreUnavailableError('EventStoreDB did not answer an append to s within 20 ms'),
    );
  });
});

/** A read shaped like the client's: a Readable with cancel(); it may stall after its items. */
const readOf = (items: readonly number[], thenStall = false) => {
  const queue = [...items];
  let cancelled = false;
  const read: StreamingRead<number> = Object.assign(
    new Readable({
      objectMode: true,
      read() {
        if (queue.length > 0) this.push(queue.shift());
        else if (!thenStall) this.push(null);
      },
    }),
    {
      cancel: async () => {
        cancelled = true;
      },
    },
  );
  return { read, wasCancelled: () => cancelled };
};

describe('collecting a read', () => {
  it('returns every record of a read that ends', async () => {
    expect(await collectRead(readOf([1, 2, 3]).read, 1_000)).toEqual([1, 2, 3]);
  });

  it('fails as unavailable, and cancels the call, when the server goes quiet', async () => {
    const { read, wasCancelled } = readOf([1], true);
    await expect(collectRead(read, 50)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(wasCancelled()).toBe(true);
  });
});

const BASE = 2n ** 53n;

/** A $all of application events and system events, positions past 2^53. */
const logOf = (types: readonly string[]): AllStreamRecordedEvent[] =>
  types.map((type, i) => ({
    streamId: type.startsWith('$') ? '$stats-node' : 'dialog-1',
    id: `id-${i}`,
    isJson: true,
    revision: BigInt(i),
    type,
    created: new Date(0),
    data: {},
    metadata: undefined,
    position: { commit: BASE + BigInt(i) * 10n, prepare: BASE + BigInt(i) * 10n },
  }));

/** EventStoreDB's read of $all forwards: from a position, that position included. */
const readerOf = (log: readonly AllStreamRecordedEvent[]) => {
  const calls: { from: Position | 'start'; maxCount: number }[] = [];
  const read: ReadAllBatch = async (from, maxCount) => {
    if (from === 'end') throw new Error('not read forwards from the end');
    calls.push({ from, maxCount });
    const start =
      from === 'start' ? 0 : log.findIndex((e) => comparePositions(e.position, from) >= 0);
    return (start < 0 ? [] : log.slice(start, start + maxCount)).map(
      (event): AllStreamResolvedEvent => ({ event }),
    );
  };
  return { read, calls };
};

const positionOf = (log: readonly AllStreamRecordedEvent[], i: number): Position =>
  (log[i] as AllStreamRecordedEvent).position;

describe('a page of $all', () => {
  it('reads from the start, without system events', async () => {
    const log = logOf(['$settings', 'A', '$statsCollected', 'B', 'C']);
    const page = await readAllPage(readerOf(log).read, null, 10);
    expect(page.records.map((r) => r.type)).toEqual(['A', 'B', 'C']);
    expect(page.last).toEqual(positionOf(log, 4));
  });

  it('starts after its position though EventStoreDB reads include it', async () => {
    const log = logOf(['A', 'B', 'C']);
    const page = await readAllPage(readerOf(log).read, positionOf(log, 0), 10);
    expect(page.records.map((r) => r.type)).toEqual(['B', 'C']);
  });

  it('stops at maxCount and resumes exactly where it stopped', async () => {
    const log = logOf(['A', 'B', 'C', 'D', 'E']);
    const { read } = readerOf(log);
    const first = await readAllPage(read, null, 2);
    const second = await readAllPage(read, first.last, 2);
    const third = await readAllPage(read, second.last, 2);
    expect([first, second, third].map((p) => p.records.map((r) => r.type))).toEqual([
      ['A', 'B'],
      ['C', 'D'],
      ['E'],
    ]);
  });

  it('reads through a stretch of system events instead of returning an empty page', async () => {
    const log = logOf(['A', '$s', '$s', '$s', '$s', '$s', '$s', 'B', '$s']);
    const { read, calls } = readerOf(log);
    const page = await readAllPage(read, positionOf(log, 0), 1);
    expect(page.records.map((r) => r.type)).toEqual(['B']);
    expect(page.last).toEqual(positionOf(log, 7));
    expect(calls).toHaveLength(1);
  });

  it('reads long stretches in batches that grow, not one record per round trip', async () => {
    const log = logOf(['A', ...Array.from({ length: 3000 }, () => '$s'), 'B']);
    const { read, calls } = readerOf(log);
    const page = await readAllPage(read, positionOf(log, 0), 1);
    expect(page.records.map((r) => r.type)).toEqual(['B']);
    expect(page.last).toEqual(positionOf(log, 3001));
    // 256, 512, 1024, 2048: four round trips for three thousand records
    expect(calls.map((c) => c.maxCount)).toEqual([256, 512, 1024, 2048]);
  });

  it('moves past trailing system events, so the next read does not look at them again', async () => {
    const log = logOf(['A', '$s', '$s']);
    const page = await readAllPage(readerOf(log).read, null, 10);
    expect(page.records.map((r) => r.type)).toEqual(['A']);
    expect(page.last).toEqual(positionOf(log, 2));
    const next = await readAllPage(readerOf(log).read, page.last, 10);
    expect(next).toEqual({ records: [], last: null });
  });

  it('returns nothing, and no position, at the end of the log', async () => {
    const log = logOf(['A']);
    expect(await readAllPage(readerOf(log).read, positionOf(log, 0), 5)).toEqual({
      records: [],
      last: null,
    });
    expect(await readAllPage(readerOf([]).read, null, 5)).toEqual({ records: [], last: null });
  });

  it('asks for one record more than it needs, for the start position itself', async () => {
    const log = logOf(['A', 'B', 'C', 'D']);
    const { read, calls } = readerOf(log);
    await readAllPage(read, positionOf(log, 1), 1000);
    expect(calls[0]).toEqual({ from: positionOf(log, 1), maxCount: 1001 });
    // a small page reads a batch of the minimum size
    await readAllPage(read, positionOf(log, 1), 2);
    expect(calls[1]).toEqual({ from: positionOf(log, 1), maxCount: 256 });
  });
});
