import type { EventStore } from '../../src/application/ports/eventStore';

/**
 * Wraps a real event store so that the n-th append of the next request "kills the process":
 * `before` throws instead of appending, `after` appends and then throws (the response is lost).
 */
/** The store with its appends passed through `around`, which decides when (and whether) they run. */
export const aroundAppends = (
  store: EventStore,
  around: (
    append: () => ReturnType<EventStore['appendToStream']>,
    ...args: Parameters<EventStore['appendToStream']>
  ) => ReturnType<EventStore['appendToStream']>,
): EventStore =>
  new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<EventStore['appendToStream']>) =>
        around(() => target.appendToStream(...args), ...args);
    },
  });

export const faultyStore = () => {
  let countdown = 0;
  let mode: 'before' | 'after' = 'before';
  let appends = 0;
  const wrap = (store: EventStore): EventStore =>
    aroundAppends(store, async (append) => {
      appends += 1;
      const fire = countdown > 0 && --countdown === 0;
      if (fire && mode === 'before') throw new Error('injected crash before an append');
      const result = await append();
      if (fire) throw new Error('injected crash after an append');
      return result;
    });
  return {
    wrap,
    /** the n-th append from now fails */
    arm: (n: number, when: 'before' | 'after') => {
      countdown = n;
      mode = when;
    },
    disarm: () => {
      countdown = 0;
    },
    /** appends seen so far, to count how many one request makes */
    appends: () => appends,
  };
};
