/**
 * What a polling worker loop shares (the webhook delivery and attachment fetch workers): work
 * in flight, and a sleep that a notification or finished work cuts short. A nudge that comes
 * while the loop is awake is kept, so the next sleep returns at once.
 */
export type WorkerPace = Readonly<{
  inFlight: Set<Promise<void>>;
  /** wake the loop now, or make its next sleep return at once */
  nudge: () => void;
  /** the loop begins a round: earlier nudges are spent */
  awake: () => void;
  sleep: (ms: number, running: () => boolean) => Promise<void>;
  /** runs `work` in flight; its failure goes to `onError`; the loop is nudged when it ends */
  track: (work: Promise<void>, onError: (error: unknown) => void) => void;
}>;

export const workerPace = (): WorkerPace => {
  const inFlight = new Set<Promise<void>>();
  let wake: () => void = () => undefined;
  let woken = false;
  const nudge = () => {
    woken = true;
    wake();
  };
  return {
    inFlight,
    nudge,
    awake: () => {
      woken = false;
    },
    sleep: (ms, running) =>
      new Promise<void>((resolve) => {
        if (woken || !running()) return resolve();
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    track: (work, onError) => {
      const tracked = work.catch(onError).finally(() => {
        inFlight.delete(tracked);
        nudge();
      });
      inFlight.add(tracked);
    },
  };
};
