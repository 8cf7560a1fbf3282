import type { Checkpoint } from '../../../application/ports/eventStore';

/**
 * A position in the PostgreSQL log is the pair (transaction id, global position): readers
 * order by it and resume after it. The global position alone is not enough (SPEC 1.2).
 */
export type LogPosition = Readonly<{ transactionId: bigint; globalPosition: bigint }>;

export const START: LogPosition = { transactionId: 0n, globalPosition: 0n };

export const encodeCheckpoint = ({ transactionId, globalPosition }: LogPosition): Checkpoint =>
  `${transactionId}:${globalPosition}` as Checkpoint;

const CHECKPOINT = /^(\d{1,20}):(\d{1,20})$/;

export const decodeCheckpoint = (checkpoint: Checkpoint | null | undefined): LogPosition => {
  if (checkpoint === null || checkpoint === undefined) return START;
  const match = CHECKPOINT.exec(checkpoint);
  if (match === null) throw new Error(`not a PostgreSQL event store checkpoint: ${checkpoint}`);
  return { transactionId: BigInt(match[1] as string), globalPosition: BigInt(match[2] as string) };
};

export const comparePositions = (a: LogPosition, b: LogPosition): -1 | 0 | 1 => {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
};
