/**
 * Waits `ms`, or until the function handed to `setWake` is called, then hands it a no-op. One
 * reaction on one promise per wait: nothing outlives it (see Batches on Promise.race).
 */
export const wakeableDelay = async (
  ms: number,
  setWake: (wake: () => void) => void,
): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    setWake(resolve);
    timer = setTimeout(resolve, ms);
  });
  clearTimeout(timer);
  setWake(() => undefined);
};
