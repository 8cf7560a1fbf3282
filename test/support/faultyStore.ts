import type { EventStore } from '../../src/application/ports/eventStore';

/**
 * Wraps a real event store so that the n-th append of the next request "kills the process":
 * `before` throws instead of appending, `after` appends and then throws (the response is lost).
 */
export const faultyStore = () => {
  let countdown = 0;
  let mode: 'before' | 'after' = 'before';
  let appends = 0;
  const wrap = (store: EventStore): EventStore =>
    new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'appendToStream')
          return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          appends += 1;
          const fire = countdown > 0 && --countdown === 0;
          if (fire && mode === 'before') throw new Error('injected crash before an append');
          const result = await target.appendToStream(...args);
          if (fire) throw new Error('injected crash after an append');
          return result;
        };
      },
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
