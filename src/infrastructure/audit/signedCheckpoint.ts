import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/** A stream's head when a checkpoint was signed: one per stream changed since the previous one. */
export type StreamHead = Readonly<{ stream: string; revision: string; head: string }>;

/** What a checkpoint states: the notarised log up to `seq` has this head. */
export type CheckpointPayload = Readonly<{
  seq: string;
  position: string;
  global_head: string;
  /** the streams changed since the previous checkpoint, by name */
  streams: readonly StreamHead[];
  signed_at: string;
}>;

/** The payload as the exact text signed (canonical JSON) and its Ed25519 signature, base64. */
export type SignedCheckpoint = Readonly<{ payload: string; signature: string }>;

export const signCheckpoint = (payload: CheckpointPayload, key: KeyObject): SignedCheckpoint => {
  const text = canonicalJson(payload);
  return {
    payload: text,
    signature: sign(null, Buffer.from(text, 'utf8'), key).toString('base64'),
  };
};

/** The payload when the signature is the key's; null when it is not (or is not a checkpoint). */
export const openCheckpoint = (
  checkpoint: SignedCheckpoint,
  key: KeyObject,
): CheckpointPayload | null => {
  try {
    const valid = verify(
      null,
      Buffer.from(checkpoint.payload, 'utf8'),
      key,
      Buffer.from(checkpoint.signature, 'base64'),
    );
    return valid ? (JSON.parse(checkpoint.payload) as CheckpointPayload) : null;
  } catch {
    return null;
  }
};
