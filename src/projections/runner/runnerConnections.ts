/**
 * The connections `runners` read-model runners may hold at once on a pool of their own: each
 * keeps its lock session, and a rebuild (a first build on a long log, or a version bump, which
 * a release may make for every read model at once) holds a guard session of its own while it
 * writes a page in a third. Two each (the session and a batch) left a pool whose sessions and
 * guards held every connection, every page's transaction waiting for one until the pool's
 * timeout failed the rebuilds (test/runnerConnections.int.spec.ts).
 */
export const runnerConnections = (runners: number): number => 3 * runners;
