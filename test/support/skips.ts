/**
 * Tests that cannot run here are skipped with a reason in their name, which the skip reporter
 * (test/support/skipReporter.js) reads: with CI=true, a skip whose reason is not in
 * ALLOWED_SKIPS fails the run, so CI never goes green on tests that did not run.
 */
export const ALLOWED_SKIPS = {
  /** no EventStoreDB server can run on the CI machine; the protocol fake covers the adapter */
  eventStoreDbServer: 'EVENTSTORE_URL is not set: no EventStoreDB server to run against',
} as const;

/** `describe` when `runs`, else a skip whose reason names why (and so is checked in CI). */
export const describeWhen = (
  runs: boolean,
  reason: string,
  name: string,
  suite: () => void,
): void => {
  if (runs) describe(name, suite);
  else {
    // eslint-disable-next-line no-console
    console.info(`${name}: skipped, ${reason}`);
    describe.skip(`${name} [skipped: ${reason}]`, suite);
  }
};
