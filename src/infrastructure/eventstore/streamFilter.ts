/** The server-side stream filter of subscribeToAll, for adapters that filter in process. */
export const matchesPrefixes = (
  streamId: string,
  prefixes: readonly string[] | undefined,
): boolean =>
  prefixes === undefined || prefixes.length === 0 || prefixes.some((p) => streamId.startsWith(p));
