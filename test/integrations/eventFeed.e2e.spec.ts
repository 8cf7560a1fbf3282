import { createChannel, customer, postMessage } from '../support/inbound';
import type { TestParley } from '../support/parley';
import type { Received } from '../support/webhookReceiver';
import {
  createOperator,
  deliveriesOf,
  eventually,
  reply,
  subscribe,
  useWebhookWorld,
} from '../support/webhooks';

type FeedItem = {
  cursor: string;
  id: string;
  type: string;
  dialog_id: string;
  payload: { id: string; data: { message?: { id: string } } };
};
type FeedPage = { items: FeedItem[]; next_cursor: string | null; has_more: boolean };

const feed = async (parley: TestParley, webhookId: string, query: string) => {
  const response = await parley.request(`/api/webhooks/${webhookId}/events${query}`, {
    headers: parley.admin,
  });
  return { status: response.status, text: await response.text() };
};

/** The integrator catching up: page after page from `after` until the feed has no more. */
const catchUp = async (parley: TestParley, webhookId: string, after: string, limit: number) => {
  const items: FeedItem[] = [];
  const raw: string[] = [];
  let cursor = after;
  for (;;) {
    const page = await feed(parley, webhookId, `?after=${cursor}&limit=${limit}`);
    expect(page.status).toBe(200);
    raw.push(page.text);
    const body = JSON.parse(page.text) as FeedPage;
    items.push(...body.items);
    cursor = body.next_cursor as string;
    if (!body.has_more) return { items, raw, cursor };
  }
};

const cursorOf = (r: Received): string => String(r.headers['parley-feed-cursor']);
const DIALOGS = 5;
const REPLIES = 10;

describe('the catch-up feed (SPEC §2.1)', () => {
  // a short schedule: while the receiver is down, each delivery gives up within a second
  const world = useWebhookWorld({ WEBHOOK_RETRY_SCHEDULE: '0,50ms,100ms' });

  it('pages exactly the payloads missed while the receiver was down, in order, with the webhooks’ ids and bytes', async () => {
    const { parley, receiver } = world;
    const webhookId = await subscribe(parley, receiver, ['message.created']);
    const channel = await createChannel(parley);
    const operator = await createOperator(parley);
    const dialogIds: string[] = [];
    for (let d = 0; d < DIALOGS; d++) {
      const posted = await postMessage(parley, channel, { text: 'hi', ...customer(`feed-${d}`) });
      dialogIds.push(posted.body.dialog_id as string);
    }
    await receiver.waitFor((r) => r.accepted.length === DIALOGS);
    // every delivery says where it stands in the feed; the integrator keeps the last one
    const lastCursor = receiver.accepted
      .map(cursorOf)
      .sort((a, b) => Number(a) - Number(b))
      .at(-1);
    expect(lastCursor).toMatch(/^\d+$/);

    // the receiver goes down for 50 replies
    receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
    const seen = receiver.received.length;
    const replies = new Map<string, string[]>();
    await Promise.all(
      dialogIds.map(async (dialogId, d) => {
        const ids: string[] = [];
        for (let r = 0; r < REPLIES; r++)
          ids.push(await reply(parley, operator.auth, dialogId, `d${d} r${r}`));
        replies.set(dialogId, ids);
      }),
    );
    await eventually(
      async () =>
        expect(await deliveriesOf(parley, webhookId, '?status=failed&limit=200')).toHaveLength(
          DIALOGS * REPLIES,
        ),
      60_000,
    );
    const missed = receiver.received.slice(seen);
    const missedIds = new Set(missed.map((r) => String(r.headers['webhook-id'])));
    expect(missedIds.size).toBe(DIALOGS * REPLIES);

    // the integrator pages from its last cursor, seven at a time
    const { items, raw, cursor } = await catchUp(parley, webhookId, lastCursor as string, 7);
    expect(raw.length).toBe(Math.ceil((DIALOGS * REPLIES) / 7));
    expect(items).toHaveLength(DIALOGS * REPLIES);
    expect(new Set(items.map((i) => i.id))).toEqual(missedIds);
    expect(items.every((i) => i.payload.id === i.id && i.type === 'message.created')).toBe(true);
    // in each dialog's order, as webhooks would have come
    for (const [dialogId, ids] of replies) {
      expect(
        items.filter((i) => i.dialog_id === dialogId).map((i) => i.payload.data.message?.id),
      ).toEqual(ids);
    }
    // the same bytes every attempt sent (and signed), at the cursor each attempt carried
    for (const attempt of missed) {
      const item = items.find((i) => i.id === attempt.headers['webhook-id']);
      expect(JSON.stringify(item?.payload)).toBe(attempt.body);
      expect(item?.cursor).toBe(cursorOf(attempt));
      expect(raw.some((page) => page.includes(attempt.body))).toBe(true);
    }
    // cursors only grow
    const cursors = items.map((i) => BigInt(i.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // then it follows webhooks live: the next one comes after where the feed ended
    receiver.answer = () => ({ status: 200, body: 'ok' });
    const next = await reply(parley, operator.auth, dialogIds[0] as string, 'back online');
    await receiver.waitFor((r) => r.accepted.some((a) => a.payload?.data.message?.id === next));
    const live = receiver.accepted.find((a) => a.payload?.data.message?.id === next) as Received;
    expect(BigInt(cursorOf(live))).toBeGreaterThan(BigInt(cursor));
    const empty = JSON.parse(
      (await feed(parley, webhookId, `?after=${cursorOf(live)}`)).text,
    ) as FeedPage;
    expect(empty).toEqual({ items: [], next_cursor: cursorOf(live), has_more: false });
  });

  it('starts at the beginning without a cursor, and refuses a bad cursor or an unknown subscription', async () => {
    const { parley } = world;
    const webhooks = (await (
      await parley.request('/api/webhooks', { headers: parley.admin })
    ).json()) as {
      items: { id: string }[];
    };
    const webhookId = webhooks.items[0]?.id as string;
    const first = JSON.parse((await feed(parley, webhookId, '?limit=3')).text) as FeedPage;
    expect(first.items).toHaveLength(3);
    expect(first.has_more).toBe(true);
    const bad = await feed(parley, webhookId, '?after=yesterday');
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.text) as { code: string }).code).toBe('E_VALIDATION');
    const unknown = await feed(parley, 'ffffffffffffffffffffffff', '');
    expect(unknown.status).toBe(404);
    expect((JSON.parse(unknown.text) as { code: string }).code).toBe('E_WEBHOOK_NOT_FOUND');
    const operator = await createOperator(parley, 'Nosy');
    const forbidden = await parley.request(`/api/webhooks/${webhookId}/events`, {
      headers: operator.auth,
    });
    expect(forbidden.status).toBe(403);
  });
});
