import { generateKeyPairSync } from 'node:crypto';
import type { Pool } from 'pg';
import type { Checkpoint, EventStore } from '../../src/application/ports/eventStore';
import { notaryHead } from '../../src/infrastructure/audit/auditTables';
import { signPendingCheckpoint } from '../../src/infrastructure/audit/checkpointSigner';
import { NOTARY, notaryProjection } from '../../src/infrastructure/audit/notary';
import { publicKeyBase64, type SigningKey } from '../../src/infrastructure/audit/signingKey';
import { systemClock } from '../../src/infrastructure/clock';
import { startRunners, waitForPosition } from './readModel';

/** A fresh Ed25519 key for a test's notary. */
export const testSigningKey = (): SigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    publicKeyBase64: publicKeyBase64(publicKey),
    source: 'generated',
  };
};

/**
 * Runs the notary until it has the log up to `upTo` (the caller's last append: the gap-safe
 * head may lag behind it while other transactions of the server run), then signs.
 */
export const notarizeAll = async (
  pool: Pool,
  store: EventStore,
  key: SigningKey,
  upTo: Checkpoint | null,
): Promise<bigint> => {
  const running = await startRunners(pool, store, { projections: [notaryProjection()] });
  try {
    await waitForPosition(pool, store, upTo, [NOTARY]);
  } finally {
    await running.stop();
  }
  await signPendingCheckpoint(pool, key, systemClock);
  return (await notaryHead(pool)).seq;
};
