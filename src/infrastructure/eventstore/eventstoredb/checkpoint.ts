import type { Position } from '@eventstore/db-client';
import type { Checkpoint } from '../../../application/ports/eventStore';

/**
 * An EventStoreDB checkpoint is a $all position: the commit and prepare positions of a record
 * in the transaction file, both unsigned 64-bit. They stay bigint and are written as decimals,
 * so nothing is ever rounded through Number.
 */
export const encodeCheckpoint = ({ commit, prepare }: Position): Checkpoint =>
  `C:${commit}/P:${prepare}` as Checkpoint;

const CHECKPOINT = /^C:(\d{1,20})\/P:(\d{1,20})$/;

/** null is the start of the log; anything that is not ours (a PostgreSQL checkpoint, say) is refused. */
export const decodeCheckpoint = (checkpoint: Checkpoint | null | undefined): Position | null => {
  if (checkpoint === null || checkpoint === undefined) return null;
  const match = CHECKPOINT.exec(checkpoint);
  if (match === null) throw new Error(`not an EventStoreDB checkpoint: ${checkpoint}`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
};

/** EventStoreDB orders $all by commit position, then prepare position. */
export const comparePositions = (a: Position, b: Position): -1 | 0 | 1 => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

export const compareCheckpoints = (a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 => {
  const left = decodeCheckpoint(a);
  const right = decodeCheckpoint(b);
  if (left === null) return right === null ? 0 : -1;
  if (right === null) return 1;
  return comparePositions(left, right);
};
