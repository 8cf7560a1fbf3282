import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/eventually';
import { masterKeyOf } from '../keys/envelope';
import { KEYS_DESTROYED_CHANNEL } from './keyDestructions';
import { keyedHashOf, matchingSecret, rewrapMatchingSecret } from './matchingSecret';
import { PostgresSubjectKeys, rewrapSubjectKeys, SubjectErasedError } from './postgresSubjectKeys';

const master = masterKeyOf(randomBytes(32));
const next = masterKeyOf(randomBytes(32));
const text = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('PostgresSubjectKeys', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 4 });
  });
  afterAll(async () => db.drop());
  const keysOf = (now?: () => number): PostgresSubjectKeys =>
    new PostgresSubjectKeys(db.pool, { masterKeys: [master], ...(now ? { now } : {}) });

  it('given a sealed value, when opened with its subject and place, then it is the plaintext', async () => {
    const keys = keysOf();
    const sealed = await keys.seal('c1', text('Vasya'), 'e1|name');
    expect(sealed.includes(text('Vasya'))).toBe(false);
    expect(await keys.open('c1', sealed, 'e1|name')).toEqual(text('Vasya'));
    // another process reads it with the same key, from the database
    expect(await keysOf().open('c1', sealed, 'e1|name')).toEqual(text('Vasya'));
  });

  it('given a sealed value moved to another place or subject, then it does not open', async () => {
    const keys = keysOf();
    const sealed = await keys.seal('c2', text('x'), 'e1|name');
    await keys.seal('c3', text('y'), 'e1|name');
    await expect(keys.open('c2', sealed, 'e2|name')).rejects.toThrow('does not authenticate');
    await expect(keys.open('c3', sealed, 'e1|name')).rejects.toThrow('does not authenticate');
  });

  it('given many processes sealing for a new subject at once, then they agree on one key', async () => {
    const processes = Array.from({ length: 6 }, () => keysOf());
    const sealed = await Promise.all(processes.map((k, i) => k.seal('c4', text(`m${i}`), `e${i}`)));
    const reader = keysOf();
    const opened = await Promise.all(sealed.map((s, i) => reader.open('c4', s, `e${i}`)));
    expect(opened.map((b) => b?.toString())).toEqual(processes.map((_, i) => `m${i}`));
  });

  it('given a destroyed key, then its values read as null, it seals no more, and the row holds no key', async () => {
    const keys = keysOf();
    const sealed = await keys.seal('c5', text('secret'), 'e');
    await keys.destroy(['c5', 'never-used']);
    expect(await keys.open('c5', sealed, 'e')).toBeNull();
    expect(await keys.isDestroyed('c5')).toBe(true);
    expect(await keys.isDestroyed('never-used')).toBe(true);
    await expect(keys.seal('never-used', text('x'), 'e')).rejects.toThrow(SubjectErasedError);
    const { rows } = await db.pool.query(
      "SELECT wrapped, key_id FROM keys.subject_keys WHERE subject_id IN ('c5', 'never-used')",
    );
    expect(rows).toEqual([
      { wrapped: null, key_id: null },
      { wrapped: null, key_id: null },
    ]);
  });

  it('given a key destroyed by another process, then a cached key is served at most until the check interval', async () => {
    let now = 0;
    const cached = keysOf(() => now);
    const sealed = await cached.seal('c6', text('x'), 'e');
    await keysOf().destroy(['c6']);
    expect(await cached.open('c6', sealed, 'e')).not.toBeNull();
    now += 5_000;
    expect(await cached.open('c6', sealed, 'e')).toBeNull();
  });

  it('given its listener up and answering, then a cached key is served past the check interval without a query', async () => {
    let now = 0;
    const keys = keysOf(() => now);
    await keys.listen();
    try {
      const sealed = await keys.seal('c17', text('x'), 'e');
      now += 60_000;
      // the next heartbeat (every second) is sent at the new time and comes back
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const query = jest.spyOn(db.pool, 'query');
      try {
        expect(await keys.open('c17', sealed, 'e')).toEqual(text('x'));
        expect(query).not.toHaveBeenCalled();
      } finally {
        query.mockRestore();
      }
      // and a destruction elsewhere still reaches it at once
      await keysOf().destroy(['c17']);
      await eventually(
        () => keys.isDestroyed('c17'),
        (destroyed) => destroyed,
      );
    } finally {
      await keys.close();
    }
  });

  it('given its listener’s connection lost, then a key destroyed unheard is served at most until the check interval', async () => {
    let now = 0;
    const keys = keysOf(() => now);
    await keys.listen();
    try {
      const sealed = await keys.seal('c18', text('x'), 'e');
      now = 1;
      // the listening session ends; it reconnects a second later, having missed what came between
      const ended = await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND query IN ('LISTEN ${KEYS_DESTROYED_CHANNEL}', 'SELECT 1')`,
      );
      expect(ended.rowCount).toBe(1);
      await db.pool.query(
        `UPDATE keys.subject_keys SET key_id = NULL, wrapped = NULL, destroyed_at = now()
         WHERE subject_id = 'c18'`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      now = 4_999;
      expect(await keys.open('c18', sealed, 'e')).not.toBeNull();
      now = 5_000;
      expect(await keys.open('c18', sealed, 'e')).toBeNull();
    } finally {
      await keys.close();
    }
  });

  it('given a rotation, then data keys and the matching secret are re-wrapped and keep their value', async () => {
    const keys = keysOf();
    const sealed = await keys.seal('c7', text('kept'), 'e');
    const secret = await matchingSecret(db.pool, [master]);
    expect(await rewrapSubjectKeys(db.pool, next, [next, master])).toBeGreaterThan(0);
    expect(await rewrapMatchingSecret(db.pool, next, [next, master])).toBe(1);
    const { rows } = await db.pool.query<{ key_id: string }>(
      'SELECT DISTINCT key_id FROM keys.subject_keys WHERE key_id IS NOT NULL',
    );
    expect(rows).toEqual([{ key_id: next.id }]);
    const rotated = new PostgresSubjectKeys(db.pool, { masterKeys: [next] });
    expect(await rotated.open('c7', sealed, 'e')).toEqual(text('kept'));
    const after = await matchingSecret(db.pool, [next]);
    expect(after).toEqual(secret);
    expect(keyedHashOf(after)('k')).toBe(keyedHashOf(secret)('k'));
  });
});
