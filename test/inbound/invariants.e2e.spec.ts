import type { EventStore } from '../../src/application/ports/eventStore';
import { streams } from '../../src/application/streams';
import { aroundAppends, faultyStore } from '../support/faultyStore';
import {
  createChannel,
  eventCount,
  eventsOf,
  eventsOfType,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useSecondParley, useTestParley } from '../support/parley';

const custom = (value: string) => ({
  contact_object: { name: 'Vasya', contacts: [{ type: 'id', value, service: 'custom' }] },
});

/** SPEC 1.1, at the HTTP level, on the PostgreSQL event store. */
describe('write-side invariants', () => {
  describe('concurrency, across two Parley processes sharing one database', () => {
    const first = useTestParley({ RATE_LIMIT_PER_SECOND: '0' });
    const second = useSecondParley(first, { RATE_LIMIT_PER_SECOND: '0' });
    let channel: TestChannel;
    beforeAll(async () => {
      channel = await createChannel(first);
    });

    const fifty = <T>(make: (i: number) => Promise<T>) =>
      Promise.all(Array.from({ length: 50 }, (_, i) => make(i)));

    it('50 concurrent requests with one new reference make one dialog holding all 50 messages', async () => {
      const responses = await fifty((i) =>
        postMessage(i % 2 === 0 ? first : second, channel, {
          reference: 'race-ref',
          text: `message ${i}`,
          ...custom(`sender-${i}`),
        }),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      const dialogIds = new Set(responses.map((r) => r.body.dialog_id));
      expect(dialogIds.size).toBe(1);
      expect(responses.filter((r) => r.body.dialog_created === true)).toHaveLength(1);
      const events = await eventsOf(first, streams.dialog([...dialogIds][0] as string));
      expect(events.filter((e) => e.type === 'DialogOpened')).toHaveLength(1);
      const texts = events.filter((e) => e.type === 'MessageReceived').map((e) => e.data.text);
      expect(new Set(texts)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `message ${i}`)));
    });

    it('50 concurrent requests with one new custom contact make exactly one contact', async () => {
      const responses = await fifty((i) =>
        postMessage(i % 2 === 0 ? first : second, channel, {
          text: `hello ${i}`,
          ...custom('race-contact'),
        }),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(new Set(responses.map((r) => r.body.contact_id)).size).toBe(1);
      expect(responses.filter((r) => r.body.contact_created === true)).toHaveLength(1);
      const created = (await eventsOfType(first, 'ContactCreated')).filter(
        (e) => e.data.contactId === responses[0]?.body.contact_id,
      );
      expect(created).toHaveLength(1);
    });
  });

  describe('a request that finishes a contact another request has claimed the keys of', () => {
    /** parks the next append to a contact stream (not a claim) until released */
    let armed: { parked: () => void; released: Promise<void> } | null = null;
    const gate = (store: EventStore): EventStore =>
      aroundAppends(store, async (append, streamId) => {
        const waiting = armed;
        if (waiting !== null && /^contact-(?!key-|data-)/.test(streamId)) {
          armed = null;
          waiting.parked();
          await waiting.released;
        }
        return append();
      });
    const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '0' }, { wrapStore: gate });
    const other = useSecondParley(parley, { RATE_LIMIT_PER_SECOND: '0' });
    let channel: TestChannel;
    beforeAll(async () => {
      channel = await createChannel(parley);
    });

    it('reports contact_created once: from the request that appended ContactCreated', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const parked = new Promise<void>((parked) => (armed = { parked, released }));
      const first = postMessage(parley, channel, { text: 'first', ...custom('half-made') });
      await parked; // the first request has claimed the key and waits to create the contact
      const second = await postMessage(other, channel, { text: 'second', ...custom('half-made') });
      release();
      const firstDone = await first;
      expect([firstDone.status, second.status]).toEqual([200, 200]);
      expect(second.body.contact_id).toBe(firstDone.body.contact_id);
      expect(second.body.contact_created).toBe(true);
      expect(firstDone.body.contact_created).toBe(false);
      const contact = await eventsOf(parley, streams.contact(second.body.contact_id as string));
      expect(contact.filter((e) => e.type === 'ContactCreated')).toHaveLength(1);
    });
  });

  describe('a request that dies between two appends, retried, converges', () => {
    const faults = faultyStore();
    const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '0' }, { wrapStore: faults.wrap });
    let channel: TestChannel;
    let appendsPerRequest: number;
    beforeAll(async () => {
      channel = await createChannel(parley);
      // how many appends a request for a new contact and a new reference makes, with a key
      const before = faults.appends();
      await postMessage(
        parley,
        channel,
        { reference: 'probe', text: 'probe', ...custom('probe') },
        { 'Idempotency-Key': 'probe' },
      );
      appendsPerRequest = faults.appends() - before;
    });

    it('makes several appends, so there is a "between"', () =>
      expect(appendsPerRequest).toBeGreaterThanOrEqual(5));

    /** every crash point, before and after each append */
    const crashPoints = () =>
      Array.from({ length: appendsPerRequest }, (_, i) => i + 1).flatMap((n) => [
        { n, when: 'before' as const },
        { n, when: 'after' as const },
      ]);

    const countContacts = async (value: string) =>
      (await eventsOfType(parley, 'ContactKeyClaimed')).filter((e) =>
        String(e.data.key).endsWith(`:id:${value}`),
      ).length;

    it('with an Idempotency-Key: no duplicate dialog, contact or message, whatever the crash point', async () => {
      for (const { n, when } of crashPoints()) {
        const tag = `idem-${n}-${when}`;
        const body = { reference: tag, text: `text ${tag}`, ...custom(tag) };
        faults.arm(n, when);
        const crashed = await postMessage(parley, channel, body, { 'Idempotency-Key': tag });
        faults.disarm();
        expect({ tag, status: crashed.status, code: crashed.body.code }).toEqual({
          tag,
          status: 500,
          code: 'E_INTERNAL',
        });

        const retried = await postMessage(parley, channel, body, { 'Idempotency-Key': tag });
        expect({ tag, status: retried.status }).toEqual({ tag, status: 200 });
        const again = await postMessage(parley, channel, body, { 'Idempotency-Key': tag });
        expect(again.body).toEqual(retried.body);

        const dialog = await eventsOf(parley, streams.dialog(retried.body.dialog_id as string));
        expect({
          tag,
          messages: dialog.filter((e) => e.type === 'MessageReceived').length,
        }).toEqual({ tag, messages: 1 });
        expect({ tag, opened: dialog.filter((e) => e.type === 'DialogOpened').length }).toEqual({
          tag,
          opened: 1,
        });
        expect({ tag, contacts: await countContacts(tag) }).toEqual({ tag, contacts: 1 });
        const contact = await eventsOf(parley, streams.contact(retried.body.contact_id as string));
        expect({ tag, created: contact.filter((e) => e.type === 'ContactCreated').length }).toEqual(
          { tag, created: 1 },
        );
      }
    });

    it('without a key: no duplicate dialog or contact (the message may be posted twice)', async () => {
      for (const { n, when } of crashPoints().filter((p) => p.n < appendsPerRequest)) {
        const tag = `plain-${n}-${when}`;
        const body = { reference: tag, text: `text ${tag}`, ...custom(tag) };
        faults.arm(n, when);
        expect((await postMessage(parley, channel, body)).status).toBe(500);
        faults.disarm();
        const retried = await postMessage(parley, channel, body);
        expect({ tag, status: retried.status }).toEqual({ tag, status: 200 });
        const claims = (await eventsOfType(parley, 'DialogReferenceClaimed')).filter(
          (e) => e.data.reference === tag,
        );
        expect({ tag, dialogs: claims.length }).toEqual({ tag, dialogs: 1 });
        const dialog = await eventsOf(parley, streams.dialog(retried.body.dialog_id as string));
        expect({ tag, opened: dialog.filter((e) => e.type === 'DialogOpened').length }).toEqual({
          tag,
          opened: 1,
        });
        expect({ tag, contacts: await countContacts(tag) }).toEqual({ tag, contacts: 1 });
      }
    });

    it('a merge that dies half-way converges on one survivor, merged once', async () => {
      const contactsBefore = async () => (await eventsOfType(parley, 'ContactsMerged')).length;
      for (let n = 1; n <= 4; n++) {
        for (const when of ['before', 'after'] as const) {
          const tag = `merge-${n}-${when}`;
          const a = await postMessage(parley, channel, { text: 'a', ...custom(`${tag}-a`) });
          const b = await postMessage(parley, channel, { text: 'b', ...custom(`${tag}-b`) });
          const both = {
            text: 'both',
            contact_object: {
              name: 'Vasya',
              contacts: [
                { type: 'id', value: `${tag}-a`, service: 'custom' },
                { type: 'id', value: `${tag}-b`, service: 'custom' },
              ],
            },
          };
          const merges = await contactsBefore();
          faults.arm(n, when);
          await postMessage(parley, channel, both);
          faults.disarm();
          const retried = await postMessage(parley, channel, both);
          expect({ tag, status: retried.status, survivor: retried.body.contact_id }).toEqual({
            tag,
            status: 200,
            survivor: a.body.contact_id,
          });
          expect({ tag, merges: (await contactsBefore()) - merges }).toEqual({ tag, merges: 1 });
          const loser = await eventsOf(parley, streams.contact(b.body.contact_id as string));
          expect({
            tag,
            marked: loser.filter((e) => e.type === 'ContactMergedInto').length,
          }).toEqual({ tag, marked: 1 });
        }
      }
    });

    it('a crash leaves nothing a later request trips over', async () => {
      const before = await eventCount(parley);
      expect(before).toBeGreaterThan(0);
      const fresh = await postMessage(parley, channel, {
        reference: 'after-crashes',
        text: 'fine',
        ...custom('after-crashes'),
      });
      expect(fresh.status).toBe(200);
    });
  });
});
