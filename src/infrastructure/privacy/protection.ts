import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '../../application/ports/eventStore';
import type { MasterKey } from '../keys/envelope';
import { keyedHashOf, matchingSecret, type KeyedHash } from './matchingSecret';
import { PostgresSubjectKeys } from './postgresSubjectKeys';
import { ProtectedEventStore } from './protectedEventStore';

export type ProtectionState = 'protected' | 'legacy';

const STATE = 'event_store';

/**
 * 'protected' when every stored event went through the codec: the store was empty at the first
 * start of this version, or `npm run keys -- protect-existing` ran. Otherwise 'legacy': some
 * events may hold plaintext personal fields and unkeyed matching stream ids.
 */
export const protectionState = async (pool: Pool, store: EventStore): Promise<ProtectionState> => {
  const read = async (): Promise<ProtectionState | null> => {
    const { rows } = await pool.query<{ state: ProtectionState }>(
      'SELECT state FROM keys.protection WHERE name = $1',
      [STATE],
    );
    return rows[0]?.state ?? null;
  };
  const known = await read();
  if (known !== null) return known;
  const empty = (await store.readAll({ maxCount: 1 })).events.length === 0;
  await markProtection(pool, empty ? 'protected' : 'legacy', 'if absent');
  return (await read()) ?? 'legacy';
};

export const markProtection = async (
  pool: Pool,
  state: ProtectionState,
  mode: 'if absent' | 'always' = 'always',
): Promise<void> => {
  await pool.query(
    `INSERT INTO keys.protection (name, state) VALUES ($1, $2) ON CONFLICT (name) DO ${
      mode === 'always' ? 'UPDATE SET state = EXCLUDED.state, changed_at = now()' : 'NOTHING'
    }`,
    [STATE, state],
  );
};

export type Protected = Readonly<{
  /** what the application reads and writes: plaintext in, plaintext out */
  store: EventStore;
  /** what the log holds: ciphertext (the audit reads this one) */
  storedEvents: EventStore;
  subjectKeys: PostgresSubjectKeys;
  /** HMAC with the matching secret */
  hash: KeyedHash;
  /** opens events read from the stored log another way (the trace's index) */
  openStored: (events: readonly RecordedEvent[]) => Promise<readonly RecordedEvent[]>;
  state: ProtectionState;
}>;

/**
 * Wraps the store in the privacy codec (protectedEventStore.ts). `encryption: false` appends
 * personal fields in plaintext (matching ids stay keyed): the bench's baseline, never a
 * deployment (docs/privacy.md).
 */
export const protectStore = async (
  pool: Pool,
  stored: EventStore,
  masterKeys: readonly [MasterKey, ...MasterKey[]],
  encryption = true,
): Promise<Protected> => {
  const subjectKeys = new PostgresSubjectKeys(pool, { masterKeys });
  const state = await protectionState(pool, stored);
  const hash = keyedHashOf(await matchingSecret(pool, masterKeys));
  const store = new ProtectedEventStore(stored, {
    keys: subjectKeys,
    hash,
    legacyStreamIds: state === 'legacy',
    seal: encryption,
  });
  return {
    store,
    storedEvents: stored,
    subjectKeys,
    hash,
    openStored: (events) => store.openAll(events),
    state,
  };
};
