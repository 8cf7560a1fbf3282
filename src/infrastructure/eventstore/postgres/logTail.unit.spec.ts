import fc from 'fast-check';
import type {
  Checkpoint,
  ReadAllResult,
  RecordedEvent,
} from '../../../application/ports/eventStore';
import { LogTail, type TailPage } from './logTail';

/**
 * A log in memory whose reads see it as it is when they are called and answer a turn of the
 * event loop later (as a query does), counting them. Checkpoints are the events' indexes.
 */
const fakeLog = () => {
  const events: RecordedEvent[] = [];
  let reads = 0;
  const append = (type: string): void => {
    const i = events.length;
    events.push({
      id: `e${i}`,
      streamId: `s${i % 3}`,
      revision: BigInt(i),
      type,
      data: { i },
      metadata: {} as RecordedEvent['metadata'],
      checkpoint: String(i) as Checkpoint,
      created: new Date(0),
    });
  };
  const indexOf = (checkpoint: Checkpoint | null): number =>
    checkpoint === null ? -1 : Number(checkpoint);
  const readAll = (from: Checkpoint | null, maxCount: number): Promise<ReadAllResult> => {
    reads++;
    const page = events.slice(indexOf(from) + 1, indexOf(from) + 1 + maxCount);
    const result = { events: page, checkpoint: page[page.length - 1]?.checkpoint ?? from };
    return new Promise((resolve) => setTimeout(() => resolve(result), 1));
  };
  const compare = (a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 =>
    Math.sign(indexOf(a) - indexOf(b)) as -1 | 0 | 1;
  return { events, append, readAll, compare, indexOf, reads: () => reads };
};

const tailOf = (log: ReturnType<typeof fakeLog>, pageSize = 100, keep = 1_000) =>
  new LogTail({ readAll: log.readAll, compare: log.compare, pageSize, keep });

const ids = (page: TailPage | null) => page?.events.map((e) => e.id);

describe('the log tail shared by a process’s subscribers', () => {
  it('given seven subscribers at the head woken together, when they read, then one read of the log answers each with its own types', async () => {
    const log = fakeLog();
    const tail = tailOf(log);
    const head = await tail.read(null, 10);
    expect(head).toEqual({ events: [], checkpoint: null, more: false });
    const readsBefore = log.reads();
    ['A', 'B', 'A', 'C', 'B', 'A'].forEach(log.append);
    const types = [['A'], ['B'], ['C'], ['A', 'B'], ['D'], undefined, ['A', 'C']];
    const pages = await Promise.all(
      types.map((t) => tail.read(null, 10, t === undefined ? undefined : new Set(t))),
    );
    expect(log.reads() - readsBefore).toBe(1);
    expect(pages.map(ids)).toEqual([
      ['e0', 'e2', 'e5'],
      ['e1', 'e4'],
      ['e3'],
      ['e0', 'e1', 'e2', 'e4', 'e5'],
      [],
      ['e0', 'e1', 'e2', 'e3', 'e4', 'e5'],
      ['e0', 'e2', 'e3', 'e5'],
    ]);
    // each moves to the last event read, whatever its types
    expect(pages.every((p) => p?.checkpoint === '5' && !p.more)).toBe(true);
  });

  it('given a read in flight, when another subscriber asks, then it is answered from a read sent after it asked', async () => {
    const log = fakeLog();
    const tail = tailOf(log);
    await tail.read(null, 10);
    log.append('A');
    const reads = log.reads();
    const first = tail.read(null, 10);
    // once the first read is sent, this event is committed
    while (log.reads() === reads) await new Promise((resolve) => setImmediate(resolve));
    log.append('A');
    const second = tail.read(null, 10);
    expect(ids(await first)).toEqual(['e0']);
    expect(ids(await second)).toEqual(['e0', 'e1']);
  });

  it('given a full page kept for a subscriber a little behind, when it reads, then it is answered without a read of the log', async () => {
    const log = fakeLog();
    const tail = tailOf(log);
    await tail.read(null, 10);
    for (let i = 0; i < 8; i++) log.append(i % 2 === 0 ? 'A' : 'B');
    await tail.read(null, 10);
    const reads = log.reads();
    const page = await tail.read('1' as Checkpoint, 2, new Set(['A']));
    expect(ids(page)).toEqual(['e2', 'e4']);
    expect(page?.more).toBe(true);
    expect(log.reads()).toBe(reads);
  });

  it('given a subscriber before the events kept, when it reads, then the tail leaves it to read on its own', async () => {
    const log = fakeLog();
    const tail = tailOf(log, 4, 4);
    await tail.read(null, 10);
    for (let i = 0; i < 6; i++) log.append('A');
    await tail.read(null, 10);
    await tail.read(null, 10);
    // six events read, the last four kept: e0 and e1 are gone
    expect(await tail.read(null, 10)).toBeNull();
    expect(ids(await tail.read('1' as Checkpoint, 10))).toEqual(['e2', 'e3', 'e4', 'e5']);
  });

  it('given a tail left far behind the log, when a subscriber past its end asks, then it starts over there instead of reading up to it', async () => {
    const log = fakeLog();
    const tail = tailOf(log, 2, 10);
    await tail.read(null, 10);
    for (let i = 0; i < 50; i++) log.append('A');
    // the window reads two events, is behind, and the subscriber is at 45
    const reads = log.reads();
    expect(ids(await tail.read('45' as Checkpoint, 10))).toEqual(['e46', 'e47']);
    expect(log.reads() - reads).toBe(2);
  });

  it('holds for any appends and subscribers: a page has every event of its types after its start that was committed before its call, and skips none up to its checkpoint', async () => {
    type Step =
      | { kind: 'append'; types: string[] }
      | { kind: 'read'; subscribers: number[]; settle: boolean };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        types: fc.array(fc.constantFrom('A', 'B', 'C'), { maxLength: 7 }),
      }),
      fc.record({
        kind: fc.constant('read' as const),
        subscribers: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 4 }),
        settle: fc.boolean(),
      }),
    );
    const subscriberTypes: (ReadonlySet<string> | undefined)[] = [
      new Set(['A']),
      new Set(['B', 'C']),
      undefined,
      new Set(['C']),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, pageSize, keep, maxCount) => {
          const log = fakeLog();
          const tail = tailOf(log, pageSize, keep);
          const from: (Checkpoint | null)[] = [null, null, null, null];
          const seen: string[][] = [[], [], [], []];
          const inFlight = new Set<number>();
          let pending: Promise<void>[] = [];
          const expectedAfter = (s: number, at: Checkpoint | null, upTo: number) =>
            log.events
              .slice(log.indexOf(at) + 1, upTo)
              .filter((e) => subscriberTypes[s]?.has(e.type) ?? true);
          const readFor = async (s: number): Promise<void> => {
            inFlight.add(s);
            const at = from[s] as Checkpoint | null;
            const committed = log.events.length;
            const page = await tail.read(at, maxCount, subscriberTypes[s]);
            // null: the subscriber reads on its own, its types only, as the subscription does
            const own = page === null ? await log.readAll(at, 1_000) : null;
            const answer = page ?? {
              events: (own?.events ?? []).filter((e) => subscriberTypes[s]?.has(e.type) ?? true),
              checkpoint: own?.checkpoint ?? at,
              more: false,
            };
            const wanted = expectedAfter(s, at, committed);
            const got = answer.events.map((e) => e.id);
            // nothing skipped up to the checkpoint, nothing foreign
            expect(got).toEqual(
              expectedAfter(s, at, log.indexOf(answer.checkpoint) + 1).map((e) => e.id),
            );
            // fresh: a short page holds everything committed before the call
            if (got.length < maxCount && !answer.more)
              expect(got.slice(0, wanted.length)).toEqual(wanted.map((e) => e.id));
            seen[s]?.push(...got);
            from[s] = answer.checkpoint;
            inFlight.delete(s);
          };
          for (const next of steps) {
            if (next.kind === 'append') next.types.forEach(log.append);
            else {
              for (const s of next.subscribers) if (!inFlight.has(s)) pending.push(readFor(s));
              if (next.settle) {
                await Promise.all(pending);
                pending = [];
              }
            }
          }
          await Promise.all(pending);
          // every subscriber reads on to the head and has seen its events once each, in order
          for (let s = 0; s < 4; s++) {
            const last = log.events.at(-1)?.checkpoint ?? null;
            for (let guard = 0; guard < 100 && log.compare(from[s] ?? null, last) < 0; guard++)
              await readFor(s);
            expect(seen[s]).toEqual(expectedAfter(s, null, log.events.length).map((e) => e.id));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
