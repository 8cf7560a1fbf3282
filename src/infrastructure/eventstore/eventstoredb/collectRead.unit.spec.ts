import { Readable } from 'node:stream';
import type { StreamingRead } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../../../application/ports/eventStore';
import { collectRead } from './collectRead';

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
