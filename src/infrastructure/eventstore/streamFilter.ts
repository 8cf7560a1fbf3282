/** The server-side stream filter of subscribeToAll, for adapters that filter in process. */
export const matchesPrefixes = (
  streamId: string,
  prefixes: readonly string[] | undefined,
): boolean =>
  prefixes === undefined || prefixes.length === 0 || prefixes.some((p) => streamId.startsWith(p));

/** The event-type filter of readAll and subscribeToAll, for adapters that filter in process. */
export const matchesTypes = (type: string, types: readonly string[] | undefined): boolean =>
  types === undefined || types.includes(type);
