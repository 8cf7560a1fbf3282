import type { Projection } from '../../projections/projection';
import { createAuditTables } from './auditTables';
import { notarizeBatch, prepareLeaves } from './notaryBatch';

export const NOTARY = 'audit_notary';

export const NOTARY_VERSION = 1;

/**
 * The notary runs on the projection runner (checkpoint in the batch's transaction, one active
 * process, status in projection_checkpoints) but is no read model: its tables are in schema
 * `audit`, it sees every event of every type, and it is never rebuilt, since a rebuild would
 * notarise a tampered log afresh. Its batch is one statement that reads nothing back, so the
 * runner sends the whole transaction as one message (notaryBatch.ts).
 */
export const notaryProjection = (): Projection => ({
  name: NOTARY,
  version: NOTARY_VERSION,
  tables: [],
  createTables: createAuditTables,
  handlers: {},
  applyRecorded: notarizeBatch,
  prepare: prepareLeaves,
  batchedWrites: true,
  // its chains are the log's alone: a batch lost to a server crash is chained again, the same
  derivedOnly: true,
});
