import { isRight } from 'fp-ts/Either';
import type { ClientBase } from 'pg';
import type { RecordedEvent } from '../../application/ports/eventStore';
import { changeDialogStatus } from '../../application/dialogs/changeDialogStatus';
import { replyToDialog } from '../../application/dialogs/replyToDialog';
import { streams } from '../../application/streams';
import { removeWebhook, updateWebhook } from '../../application/webhooks/manageWebhooks';
import type { ContactCommand } from '../../domain/contact/commands';
import { contactDecider } from '../../domain/contact/decide';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import {
  adminContext as admin,
  subscribeTo,
  useOutboxWorld,
} from '../../../test/support/outboxWorld';
import { seedDialog } from '../../../test/support/seed';
import { applyOutboxEvents, type OutboxInput } from './outboxBatch';

const inputOf = (event: RecordedEvent): OutboxInput => ({
  type: event.type,
  data: event.data,
  streamId: event.streamId,
  revision: event.revision,
  recordedAt: event.metadata.recordedAt,
});

/** Everything the outbox writes, without the serial ids and the clock's columns. */
const outboxTables = async (db: ClientBase) => ({
  subscriptions: (
    await db.query(
      `SELECT webhook_id, url, events, channel_id, enabled, disabled_reason
         FROM webhooks.subscriptions ORDER BY webhook_id`,
    )
  ).rows,
  dialogs: (await db.query('SELECT * FROM webhooks.outbox_dialogs ORDER BY dialog_id')).rows,
  contacts: (await db.query('SELECT * FROM webhooks.outbox_contacts ORDER BY contact_id')).rows,
  messages: (await db.query('SELECT * FROM webhooks.messages ORDER BY message_id')).rows,
  // in queue order: a line's head is its smallest delivery_id
  deliveries: (
    await db.query(
      `SELECT webhook_id, message_id, dialog_id, status
         FROM webhooks.deliveries ORDER BY delivery_id`,
    )
  ).rows,
});

describe('the webhook outbox applied a batch at a time', () => {
  const world = useOutboxWorld();
  const { db } = world;
  const subscribe = (events: WebhookEventType[], channelId: string | null = null) =>
    subscribeTo(world.deps, events, channelId);

  const reply = (dialogId: string, text: string) =>
    replyToDialog(
      world.deps,
      { dialogId, text, html: null, attachments: [], idempotencyKey: null },
      admin(),
    );

  const contactCommand = async (contactId: string, command: ContactCommand) => {
    const result = await world.deps.commands.handle(
      streams.contact(contactId),
      contactDecider,
      command,
      admin(),
    );
    expect(isRight(result)).toBe(true);
  };

  /** The whole log so far, once every append is visible to the gap-safe read. */
  const readLog = async (): Promise<RecordedEvent[]> => {
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_store.events',
    );
    const expected = rows[0]?.n ?? 0;
    for (let waited = 0; ; waited += 20) {
      const events: RecordedEvent[] = [];
      for (let from = null as RecordedEvent['checkpoint'] | null; ;) {
        const page = await world.store.readAll({ from, maxCount: 500 });
        events.push(...page.events);
        if (page.events.length === 0) break;
        from = page.checkpoint;
      }
      if (events.length >= expected) return events;
      if (waited > 10_000) throw new Error('the log did not become visible');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Empties the outbox's tables, applies the log in batches of `size`, and reads them back. */
  const projectInBatches = async (log: readonly RecordedEvent[], size: number) => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `TRUNCATE webhooks.attempts, webhooks.deliveries, webhooks.messages, webhooks.outbox_dialogs,
                  webhooks.outbox_contacts, webhooks.subscriptions`,
      );
      for (let at = 0; at < log.length; at += size)
        await applyOutboxEvents(client, log.slice(at, at + size).map(inputOf));
      const tables = await outboxTables(client);
      await client.query('ROLLBACK');
      return tables;
    } finally {
      client.release();
    }
  };

  it('given subscriptions changing, merges and an erasure in the log, when it is applied in batches of any size, then the outbox holds what one event at a time gives, deliveries in the same order', async () => {
    const everything = await subscribe(['dialog.created', 'dialog.updated', 'message.created']);
    const first = await seedDialog(world.deps, { integrationData: '{"chat":1}' });
    const second = await seedDialog(world.deps, { contactName: 'Merged Away' });
    const onSecond = await subscribe(['message.created'], second.channelId);
    await reply(first.dialogId, 'one');
    await reply(second.dialogId, 'two');
    await updateWebhook(world.deps, everything, { enabled: false }, admin());
    await reply(first.dialogId, 'unsent to everything');
    await updateWebhook(world.deps, everything, { enabled: true }, admin());
    const now = new Date().toISOString();
    await contactCommand(second.contactId, {
      type: 'MergeInto',
      data: { survivorId: first.contactId, now },
    });
    await reply(second.dialogId, 'to the survivor');
    await removeWebhook(world.deps, onSecond, admin());
    await reply(second.dialogId, 'unsent to the removed one');
    await changeDialogStatus(world.deps, { dialogId: first.dialogId, to: 'closed' }, admin());
    await contactCommand(first.contactId, {
      type: 'EraseContact',
      data: { contactIds: [first.contactId, second.contactId], now },
    });
    await reply(first.dialogId, 'after the erasure');

    const log = await readLog();
    const oneByOne = await projectInBatches(log, 1);
    // the scenario reaches every path: a disabled, a removed and a channel's subscription
    expect(oneByOne.deliveries.length).toBeGreaterThan(8);
    expect(oneByOne.deliveries.some((d) => d.status === 'cancelled')).toBe(true);
    expect(oneByOne.messages.some((m) => String(m.body).includes('[erased]'))).toBe(true);
    for (const size of [2, 3, 7, log.length]) {
      expect({ size, ...(await projectInBatches(log, size)) }).toEqual({ size, ...oneByOne });
    }
  });
});
