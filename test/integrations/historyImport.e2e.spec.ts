import { streams } from '../../src/application/streams';
import { createChannel, customer, eventCount, type TestChannel } from '../support/inbound';
import { webhookOutboxProjection } from '../../src/projections/outbox/outboxProjection';
import type { TestParley } from '../support/parley';
import { headOf, waitForPosition } from '../support/readModel';
import { subscribe, useWebhookWorld } from '../support/webhooks';

type Report = {
  imported: number;
  already_imported: number;
  errors: number;
  lines: {
    line: number;
    external_id: string | null;
    status: string;
    dialog_id?: string;
    message_id?: string;
    code?: string;
  }[];
};

const importPath = (channel: TestChannel, query = '') =>
  channel.path.replace('/message/', '/import/') + query;

const postImport = async (
  parley: TestParley,
  channel: TestChannel,
  body: string,
  query = '',
  contentType = 'application/x-ndjson',
) => {
  const response = await parley.request(importPath(channel, query), {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as Report & { code?: string } };
};

const ndjson = (lines: readonly unknown[]): string =>
  lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

const DIALOGS = 500;
const PER_DIALOG = 20;
const START = Date.parse('2024-03-01T09:00:00Z');

/** 10,000 messages: each dialog a customer's message, then replies and answers in turn. */
const history = (): unknown[] =>
  Array.from({ length: DIALOGS * PER_DIALOG }, (_, i) => {
    const d = Math.floor(i / PER_DIALOG);
    const m = i % PER_DIALOG;
    const base = {
      external_id: `ext-${d}-${m}`,
      reference: `hist-${d}`,
      timestamp: START + d * 3_600_000 + m * 60_000,
      text: `message ${m} of dialog ${d}`,
    };
    return m % 2 === 0
      ? { ...base, direction: 'incoming', dialog_title: `Order ${d}`, ...customer(`hist-${d}`) }
      : { ...base, direction: 'outgoing' };
  });

const deliveryCount = async (parley: TestParley): Promise<number> =>
  Number(
    (await parley.deps.pool.query<{ n: string }>('SELECT count(*) AS n FROM webhooks.deliveries'))
      .rows[0]?.n,
  );

describe('history import (SPEC §2.1)', () => {
  const world = useWebhookWorld({ MAX_IMPORT_BYTES: String(8 * 1024 * 1024) });
  let channel: TestChannel;
  beforeAll(async () => {
    await subscribe(world.parley, world.receiver, ['dialog.created', 'message.created']);
    channel = await createChannel(world.parley, 'History');
  });

  it('imports 10,000 messages both ways at their times, and a re-import appends nothing', async () => {
    const { parley } = world;
    const body = ndjson(history());
    const started = Date.now();
    const first = await postImport(parley, channel, body);
    const took = Date.now() - started;
    // eslint-disable-next-line no-console
    console.info(
      `history import: ${DIALOGS * PER_DIALOG} messages in ${took} ms (${Math.round(
        (DIALOGS * PER_DIALOG * 1000) / took,
      )} a second), ${Buffer.byteLength(body)} bytes`,
    );
    expect(first.status).toBe(200);
    expect(first.body.errors).toBe(0);
    expect(first.body.imported).toBe(DIALOGS * PER_DIALOG);
    expect(first.body.lines.map((l) => l.line)).toEqual(
      Array.from({ length: DIALOGS * PER_DIALOG }, (_, i) => i + 1),
    );
    // one dialog per reference, its messages at their original times, both directions
    const dialogs = new Set(first.body.lines.map((l) => l.dialog_id));
    expect(dialogs.size).toBe(DIALOGS);
    const dialogId = first.body.lines[PER_DIALOG * 7]?.dialog_id as string;
    const page = await eventuallyMessages(parley, dialogId, PER_DIALOG);
    expect(page.map((m) => [m.direction, m.created_at, m.text])).toEqual(
      Array.from({ length: PER_DIALOG }, (_, m) => [
        m % 2 === 0 ? 'incoming' : 'outgoing',
        new Date(START + 7 * 3_600_000 + m * 60_000).toISOString(),
        `message ${m} of dialog 7`,
      ]),
    );
    // no webhooks unless asked: once the outbox has read every imported event, none is queued
    await waitForPosition(
      parley.deps.pool,
      parley.deps.store,
      await headOf(parley.deps.store, parley.deps.pool),
      [webhookOutboxProjection.name],
      180_000,
    );
    expect(await deliveryCount(parley)).toBe(0);

    const before = await eventCount(parley);
    const again = await postImport(parley, channel, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: 0, errors: 0 });
    expect(again.body.already_imported).toBe(DIALOGS * PER_DIALOG);
    expect(again.body.lines.every((l) => l.status === 'already_imported')).toBe(true);
    // the same message each time
    expect(again.body.lines.map((l) => l.message_id)).toEqual(
      first.body.lines.map((l) => l.message_id),
    );
    expect(await eventCount(parley)).toBe(before);
  }, 900_000);

  it('sends webhooks when asked, and reports each bad line with its code', async () => {
    const { parley, receiver } = world;
    const lines = [
      {
        external_id: 'w-1',
        direction: 'incoming',
        reference: 'with-hooks',
        timestamp: START,
        text: 'old question',
        ...customer('with-hooks'),
      },
      {
        external_id: 'w-2',
        direction: 'outgoing',
        reference: 'with-hooks',
        timestamp: START + 1000,
        text: 'old answer',
        // a channel token cannot put words in a staff member's mouth: ignored like any unknown field
        operator_id: '0123456789abcdef01234567',
      },
    ];
    const text = [
      JSON.stringify(lines[0]),
      '',
      '{not json',
      JSON.stringify({ direction: 'incoming', timestamp: START, text: 'no id' }),
      JSON.stringify({
        external_id: 'w-3',
        direction: 'outgoing',
        reference: 'nowhere',
        timestamp: START,
        text: 'to nobody',
      }),
      JSON.stringify(lines[1]),
    ].join('\n');
    const answer = await postImport(parley, channel, text, '&webhooks=true');
    expect(answer.status).toBe(200);
    expect(answer.body.lines.map((l) => [l.line, l.status, l.code])).toEqual([
      [1, 'imported', undefined],
      [3, 'error', 'E_MALFORMED_JSON'],
      [4, 'error', 'E_VALIDATION'],
      [5, 'error', 'E_DIALOG_NOT_FOUND'],
      [6, 'imported', undefined],
    ]);
    await receiver.waitFor((r) => r.accepted.length >= 3, 300_000);
    expect(
      receiver.accepted.map((r) => [r.payload?.type, r.payload?.data.message?.text ?? null]),
    ).toEqual([
      ['dialog.created', null],
      ['message.created', 'old question'],
      ['message.created', 'old answer'],
    ]);
    expect(receiver.accepted[2]?.payload?.data.message).toMatchObject({
      direction: 'outgoing',
      created_at: new Date(START + 1000).toISOString(),
      operator_id: null,
    });
    // the imported reply's actor is the integration that imported it
    const dialogId = answer.body.lines.find((l) => l.line === 6)?.dialog_id as string;
    const sent = (await parley.deps.store.readStream(streams.dialog(dialogId))).find(
      (e) => e.type === 'MessageSent',
    );
    expect(sent?.data).toMatchObject({ text: 'old answer', operatorId: null });
    expect(sent?.metadata.actor).toEqual({ type: 'integration', channelId: channel.channelId });
  }, 360_000);

  it('refuses another content type, a body over MAX_IMPORT_BYTES and a bad token', async () => {
    const { parley } = world;
    const json = await postImport(parley, channel, '{}', '', 'application/json');
    expect(json).toMatchObject({ status: 415, body: { code: 'E_UNSUPPORTED_MEDIA_TYPE' } });
    const big = await postImport(parley, channel, 'x'.repeat(8 * 1024 * 1024 + 1));
    expect(big).toMatchObject({ status: 413, body: { code: 'E_PAYLOAD_TOO_LARGE' } });
    const response = await parley.request(
      `/api/custom-channel/import/${channel.channelId}?token=nope`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: '',
      },
    );
    expect(response.status).toBe(401);
  });
});

type MessageItem = { direction: string; created_at: string; text: string };
const eventuallyMessages = async (parley: TestParley, dialogId: string, count: number) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = (await (
      await parley.request(`/api/dialogs/${dialogId}/messages?limit=100`, { headers: parley.admin })
    ).json()) as { items: MessageItem[] };
    if (page.items.length === count || Date.now() > deadline) return page.items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
