import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type SigningKey = Readonly<{
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64 of the SubjectPublicKeyInfo DER: what GET /api/audit/public-key serves */
  publicKeyBase64: string;
  source: 'environment' | 'generated' | 'data-dir';
}>;

// PKCS#8 DER of an Ed25519 key is this prefix and the 32-byte seed (RFC 8410)
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const KEY_FILE = 'audit-signing-key';

/** A key as AUDIT_SIGNING_KEY may give it: base64 PKCS#8 DER, or a 32-byte seed in base64 or hex. */
export const parsePrivateKey = (text: string): KeyObject => {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN') ? createPrivateKey(trimmed) : fromDer(trimmed);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key is not Ed25519');
  return key;
};

const fromDer = (trimmed: string): KeyObject => {
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  const der = bytes.length === 32 ? Buffer.concat([PKCS8_SEED_PREFIX, bytes]) : bytes;
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
};

/** A public key as --public-key takes it: base64 SPKI DER, or PEM. */
export const parsePublicKey = (text: string): KeyObject => {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the audit public key is not Ed25519');
  return key;
};

export const publicKeyBase64 = (key: KeyObject): string =>
  key.export({ format: 'der', type: 'spki' }).toString('base64');

const signingKeyOf = (privateKey: KeyObject, source: SigningKey['source']): SigningKey => {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyBase64: publicKeyBase64(publicKey), source };
};

/**
 * AUDIT_SIGNING_KEY when set (production: every process signs with the same key); otherwise
 * DATA_DIR/audit-signing-key, generated on the first start (mode 0600). Never in the event log
 * or the database: whoever can rewrite those must not be able to sign.
 */
export const resolveSigningKey = async (
  fromEnv: string | null,
  dataDir: string,
  /** false: a missing key is an error (the command-line tools never make one) */
  create = true,
): Promise<SigningKey> => {
  if (fromEnv !== null) return signingKeyOf(parsePrivateKey(fromEnv), 'environment');
  const file = path.join(path.resolve(dataDir), KEY_FILE);
  if (existsSync(file))
    return signingKeyOf(parsePrivateKey(await readFile(file, 'utf8')), 'data-dir');
  if (!create)
    throw new Error(`no audit signing key: set AUDIT_SIGNING_KEY or start Parley once (${file})`);
  await mkdir(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  return signingKeyOf(privateKey, 'generated');
};
