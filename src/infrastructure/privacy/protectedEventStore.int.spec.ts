import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { EventStore, EventToAppend } from '../../application/ports/eventStore';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/eventually';
import { startFakeEventStoreDb } from '../../../test/support/fakeEventStoreDb/server';
import { slowCommittingPool } from '../../../test/support/slowCommittingPool';
import { describeEventStoreContract, type ContractSubject } from '../eventstore/contract.suite';
import { EventStoreDbEventStore } from '../eventstore/eventstoredb/eventStoreDbEventStore';
import { MemoryEventStore } from '../eventstore/memory/memoryEventStore';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore';
import { masterKeyOf } from '../keys/envelope';
import { keyedHashOf } from './matchingSecret';
import { ERASED_TEXT } from './personalFields';
import { PostgresSubjectKeys } from './postgresSubjectKeys';
import { ProtectedEventStore, storedStreamId } from './protectedEventStore';

const master = masterKeyOf(randomBytes(32));
const hash = keyedHashOf(randomBytes(32));

type Subject = ContractSubject & { inner: EventStore; keys: PostgresSubjectKeys };

/** A store of each kind wrapped in the codec, its keys in a database of its own. */
const protectedOver =
  (
    make: (
      db: TestDatabase,
    ) => Promise<{ store: EventStore; slow?: EventStore; stop(): Promise<void> }>,
  ) =>
  async (): Promise<Subject> => {
    const db = await createTestDatabase({ poolSize: 30 });
    const keys = new PostgresSubjectKeys(db.pool, { masterKeys: [master] });
    const made = await make(db);
    const wrap = (inner: EventStore): EventStore =>
      new ProtectedEventStore(inner, { keys, hash, legacyStreamIds: false });
    return {
      store: wrap(made.store),
      ...(made.slow === undefined ? {} : { slowStore: wrap(made.slow) }),
      inner: made.store,
      keys,
      teardown: async () => {
        await made.stop();
        await db.drop();
      },
    };
  };

const adapters: [string, () => Promise<Subject>][] = [
  [
    'in-memory',
    protectedOver(async () => {
      const store = new MemoryEventStore();
      return { store, stop: () => store.close() };
    }),
  ],
  [
    'PostgreSQL',
    protectedOver(async (db) => {
      const store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
      const slow = new PostgresEventStore(
        slowCommittingPool(db.pool as Pool, { minMs: 5, maxMs: 40 }),
      );
      return {
        store,
        slow,
        stop: async () => {
          await store.close();
          await slow.close();
        },
      };
    }),
  ],
  [
    'EventStoreDB fake server',
    protectedOver(async () => {
      const server = await startFakeEventStoreDb();
      const store = await EventStoreDbEventStore.connect(server.url, { checkpointInterval: 1 });
      return {
        store,
        stop: async () => {
          await store.close();
          await server.stop();
        },
      };
    }),
  ],
];

const CONTACT = 'c0000000000000000000000a';

const received = (text: string): EventToAppend => ({
  id: randomUUID(),
  type: 'MessageReceived',
  data: {
    dialogId: 'd0000000000000000000000a',
    messageId: 'm0000000000000000000000a',
    contactId: CONTACT,
    text,
    html: null,
    attachments: [
      {
        url: 'https://files.example/passport.jpg',
        size: 1,
        name: 'passport.jpg',
        mimeType: 'image/jpeg',
      },
    ],
    integrationData: '{"phone":"+79876543210"}',
    createdAt: '2026-01-01T10:00:00.000Z',
    receivedAt: '2026-01-01T10:00:00.000Z',
    requestHash: null,
  },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'system' },
    recordedAt: '2026-01-01T10:00:00.000Z',
    schemaVersion: 1,
  },
});

for (const [name, subject] of adapters) {
  describeEventStoreContract(`protected (privacy codec) over ${name}`, subject);

  describe(`privacy codec over ${name}`, () => {
    let s: Subject;
    beforeAll(async () => {
      s = await subject();
    });
    afterAll(async () => s.teardown());

    it('given a message, then every read gives its plaintext while the store holds none of it', async () => {
      const stream = `dialog-${randomUUID()}`;
      const event = received('my passport is 4510 123456');
      const subscription = s.store.subscribeToAll({ streamPrefixes: [stream] });
      await s.store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
      const [read] = await s.store.readStream(stream);
      expect(read?.data).toEqual(event.data);
      // the gap-safe log shows a commit once every older transaction of the server has ended
      const found = await eventually(
        async () => {
          let all = await s.store.readAll({ eventTypes: ['MessageReceived'] });
          while (!all.events.some((e) => e.id === event.id) && all.events.length > 0)
            all = await s.store.readAll({ from: all.checkpoint, eventTypes: ['MessageReceived'] });
          return all.events.find((e) => e.id === event.id);
        },
        (e) => e !== undefined,
      );
      expect(found?.data).toEqual(event.data);
      for await (const item of subscription) {
        if (item.type !== 'event') continue;
        expect(item.event.data).toEqual(event.data);
        break;
      }
      await subscription.unsubscribe();

      const [stored] = await s.inner.readStream(stream);
      const raw = JSON.stringify(stored?.data);
      for (const plain of ['4510 123456', 'passport.jpg', '79876543210'])
        expect(raw).not.toContain(plain);
      expect(raw).toContain(CONTACT);
    });

    it('given sealing switched off (the bench’s switch), then appends keep plaintext until it is switched on', async () => {
      const stream = `dialog-${randomUUID()}`;
      const codec = s.store as ProtectedEventStore;
      const plain = received('sent while sealing was off');
      const sealed = received('sent once it was on again');
      codec.setSealing(false);
      try {
        await s.store.appendToStream(stream, [plain], { expectedRevision: 'no_stream' });
      } finally {
        codec.setSealing(true);
      }
      await s.store.appendToStream(stream, [sealed], { expectedRevision: 0n });
      const stored = await s.inner.readStream(stream);
      expect(JSON.stringify(stored[0]?.data)).toContain('sent while sealing was off');
      expect(JSON.stringify(stored[1]?.data)).not.toContain('sent once it was on again');
      expect((await s.store.readStream(stream)).map((e) => e.data)).toEqual([
        plain.data,
        sealed.data,
      ]);
    });

    it('given the subject key destroyed, then the personal fields read as the placeholder', async () => {
      const stream = `dialog-${randomUUID()}`;
      const subjectId = `c${randomBytes(12).toString('hex')}`.slice(0, 24);
      const event = received('forget me');
      const data = { ...(event.data as object), contactId: subjectId };
      await s.store.appendToStream(stream, [{ ...event, data }], { expectedRevision: 'no_stream' });
      await s.keys.destroy([subjectId]);
      const [read] = await s.store.readStream(stream);
      expect(read?.data).toMatchObject({
        contactId: subjectId,
        text: ERASED_TEXT,
        html: null,
        integrationData: ERASED_TEXT,
        attachments: [{ url: ERASED_TEXT, name: ERASED_TEXT, size: 1, mimeType: 'image/jpeg' }],
      });
    });

    it('given a personal event without a subject, then the append is refused', async () => {
      const event: EventToAppend = {
        ...received('x'),
        type: 'MessageSent',
        data: { text: 'x', html: null, attachments: [] },
      };
      await expect(
        s.store.appendToStream(`dialog-${randomUUID()}`, [event], {
          expectedRevision: 'no_stream',
        }),
      ).rejects.toThrow('no subject');
    });

    it('given a sealed value moved to another event, then reading it fails', async () => {
      const stream = `dialog-${randomUUID()}`;
      const first = received('one');
      await s.store.appendToStream(stream, [first], { expectedRevision: 'no_stream' });
      const [stored] = await s.inner.readStream(stream);
      const moved = { ...received('two'), data: stored?.data };
      await s.inner.appendToStream(stream, [moved], { expectedRevision: 0n });
      await expect(s.store.readStream(stream)).rejects.toThrow('does not authenticate');
    });

    it('given an event written before encryption, then it reads as it was written', async () => {
      const stream = `dialog-${randomUUID()}`;
      const legacy = received('written in plaintext');
      await s.inner.appendToStream(stream, [legacy], { expectedRevision: 'no_stream' });
      const [read] = await s.store.readStream(stream);
      expect(read?.data).toEqual(legacy.data);
    });

    it('given a matching stream, then the store keeps it under a keyed id', async () => {
      const stream = `contact-key-${randomUUID()}`;
      const claim: EventToAppend = {
        ...received('x'),
        type: 'ContactKeyClaimed',
        data: { key: 'phone:+79876543210', contactId: CONTACT, dataId: 'f1' },
      };
      await s.store.appendToStream(stream, [claim], { expectedRevision: 'no_stream' });
      expect(await s.inner.readStream(stream)).toEqual([]);
      const [stored] = await s.inner.readStream(storedStreamId(hash, stream));
      expect(JSON.stringify(stored?.data)).not.toContain('79876543210');
      expect((await s.store.readStream(stream))[0]?.data).toEqual(claim.data);
    });

    it('given keyed streams relied on and appended to, then a refusal names them as the application does', async () => {
      const claimOf = (contactId: string): EventToAppend => ({
        ...received('x'),
        type: 'ContactKeyClaimed',
        data: { key: 'id:u-1', contactId, dataId: 'f1' },
      });
      const relied = `contact-key-${randomUUID()}`;
      const target = `contact-key-${randomUUID()}`;
      await s.store.appendToStream(relied, [claimOf(CONTACT)], { expectedRevision: 'no_stream' });
      // the relied-on claim unmoved: the append goes through, checked under its keyed id
      await s.store.appendToStream(target, [claimOf(CONTACT)], {
        expectedRevision: 'no_stream',
        unchanged: [{ streamId: relied, revision: 0n }],
      });
      // moved since: refused, named by the application's id, nothing appended
      await expect(
        s.store.appendToStream(target, [claimOf(CONTACT)], {
          expectedRevision: 0n,
          unchanged: [{ streamId: relied, revision: 'no_stream' }],
        }),
      ).rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: relied });
      // a plain conflict on the keyed stream itself names it as asked too
      await expect(
        s.store.appendToStream(target, [claimOf(CONTACT)], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: target });
      expect(await s.store.readStream(target)).toHaveLength(1);
    });
  });
}

describe('privacy codec on a log from before encryption', () => {
  it('given a claim under its unkeyed id, then it is found and appended to there', async () => {
    const db = await createTestDatabase({ poolSize: 4 });
    try {
      const inner = new MemoryEventStore();
      const keys = new PostgresSubjectKeys(db.pool, { masterKeys: [master] });
      const store = new ProtectedEventStore(inner, { keys, hash, legacyStreamIds: true });
      const stream = `contact-key-${randomUUID()}`;
      const claim = (contactId: string): EventToAppend => ({
        ...received('x'),
        type: 'ContactKeyClaimed',
        data: { key: 'k', contactId, dataId: 'f1' },
      });
      await inner.appendToStream(stream, [claim(CONTACT)], { expectedRevision: 'no_stream' });
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([claim(CONTACT).data]);
      await store.appendToStream(stream, [claim('c2')], { expectedRevision: 0n });
      expect(await inner.readStream(stream)).toHaveLength(2);
      // a new claim goes under its keyed id
      const fresh = `contact-key-${randomUUID()}`;
      await store.appendToStream(fresh, [claim(CONTACT)], { expectedRevision: 'no_stream' });
      expect(await inner.readStream(storedStreamId(hash, fresh))).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
});
