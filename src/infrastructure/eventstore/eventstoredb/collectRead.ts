import type { StreamingRead } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../../../application/ports/eventStore';

/**
 * Every record of a finite read. The client reads with no deadline, so a server that stops
 * answering would hang the caller: a read that receives nothing for `idleTimeoutMs` fails as
 * unavailable instead.
 */
export const collectRead = async <E>(
  read: StreamingRead<E>,
  idleTimeoutMs: number,
): Promise<E[]> => {
  const items: E[] = [];
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void read.cancel().catch(() => undefined);
      // the client ignores its own cancellation, so the read must be ended here
      read.destroy(
        new EventStoreUnavailableError(`EventStoreDB sent nothing for ${idleTimeoutMs} ms`, 2),
      );
    }, idleTimeoutMs);
  };
  arm();
  try {
    for await (const item of read) {
      items.push(item);
      arm();
    }
  } finally {
    clearTimeout(timer);
  }
  return items;
};
