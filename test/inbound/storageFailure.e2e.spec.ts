import { streams } from '../../src/application/streams';
import { allProjections } from '../../src/projections/allProjections';
import { webhookOutboxProjection } from '../../src/projections/outbox/outboxProjection';
import { aroundAppends } from '../support/faultyStore';
import {
  createChannel,
  eventsOf,
  eventsOfType,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useTestParley } from '../support/parley';
import { headOf, waitForPosition } from '../support/readModel';

/** What PostgreSQL answers for a value it cannot keep: not a concurrency conflict. */
const storageRefusal = () =>
  Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });

/**
 * Defence in depth (README "What Parley accepts"): the codecs make an unstorable event
 * impossible, but should the store still refuse the n-th append of a request, the appends
 * before it must change nothing that a retry, another request or a read model trips over.
 */
describe('a request whose n-th append the store refuses', () => {
  let failAt = 0;
  let appends = 0;
  const parley = useTestParley(
    { RATE_LIMIT_PER_SECOND: '0' },
    {
      wrapStore: (store) =>
        aroundAppends(store, async (append) => {
          appends += 1;
          if (failAt > 0 && --failAt === 0) throw storageRefusal();
          return append();
        }),
    },
  );
  let channel: TestChannel;

  const message = (tag: string, reference: string) => ({
    reference,
    text: `text ${tag}`,
    contact_object: {
      name: 'Vasya',
      contacts: [
        { type: 'id', value: tag, service: 'custom' },
        { type: 'email', value: `${tag}@example.com`, service: 'mail' },
      ],
    },
  });

  let appendsPerRequest = 0;
  beforeAll(async () => {
    channel = await createChannel(parley);
    const before = appends;
    expect((await postMessage(parley, channel, message('probe', 'probe'))).status).toBe(200);
    appendsPerRequest = appends - before;
  });

  it('makes several appends, so there are earlier ones to leave behind', () =>
    expect(appendsPerRequest).toBeGreaterThanOrEqual(4));

  it('answers 500 E_INTERNAL; another request, the retry and every read model converge', async () => {
    for (let n = 1; n <= appendsPerRequest; n++) {
      const tag = `refused-${n}`;
      failAt = n;
      const failed = await postMessage(parley, channel, message(tag, `${tag}-a`));
      failAt = 0;
      expect({ n, status: failed.status, code: failed.body.code }).toEqual({
        n,
        status: 500,
        code: 'E_INTERNAL',
      });

      // another request with the same person, into another dialog: finds one contact
      const other = await postMessage(parley, channel, message(tag, `${tag}-b`));
      expect({ n, status: other.status }).toEqual({ n, status: 200 });
      // the retry lands on the same contact and opens its dialog once
      const retried = await postMessage(parley, channel, message(tag, `${tag}-a`));
      expect({ n, status: retried.status, contact: retried.body.contact_id }).toEqual({
        n,
        status: 200,
        contact: other.body.contact_id,
      });
      const dialog = await eventsOf(parley, streams.dialog(retried.body.dialog_id as string));
      expect({ n, opened: dialog.filter((e) => e.type === 'DialogOpened').length }).toEqual({
        n,
        opened: 1,
      });
      const created = (await eventsOfType(parley, 'ContactCreated')).filter(
        (e) => e.stream_id === streams.contact(other.body.contact_id as string),
      );
      expect({ n, created: created.length }).toEqual({ n, created: 1 });
    }
    // whatever the earlier appends left, every projection applies it and reaches the head
    await waitForPosition(
      parley.deps.pool,
      parley.deps.store,
      await headOf(parley.deps.store, parley.deps.pool),
      [...allProjections, webhookOutboxProjection].map((p) => p.name),
    );
  });
});
