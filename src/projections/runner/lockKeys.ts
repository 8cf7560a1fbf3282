/**
 * PostgreSQL advisory lock keys, in the two-int form (class, key). Migrations use the one-bigint
 * form (7_300_001); these classes keep clear of it.
 */
export const LOCKS = {
  /** held by the active runner of a projection, on a session of its own */
  projection: 7_300_002,
  /** held by a rebuild, so that two rebuilds of one projection never overlap */
  rebuild: 7_300_003,
  /** held while creating or swapping read-model tables */
  ddl: 7_300_004,
  /** held by the audit checkpoint signer while it signs: one process at a time */
  signer: 7_300_005,
  /** held while a starting process checks its master key against the database and records it */
  masterKey: 7_300_006,
} as const;

/** A stable, non-negative 31-bit key for a projection name (FNV-1a). */
export const keyOf = (name: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
};
