import { isRight } from 'fp-ts/Either';
import type { Checkpoint } from '../../application/ports/eventStore';
import { replyToDialog } from '../../application/dialogs/replyToDialog';
import { changeDialogStatus } from '../../application/dialogs/changeDialogStatus';
import { removeWebhook, updateWebhook } from '../../application/webhooks/manageWebhooks';
import { streams } from '../../application/streams';
import { contactDecider } from '../../domain/contact/decide';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import {
  adminContext as admin,
  subscribeTo,
  useOutboxWorld,
} from '../../../test/support/outboxWorld';
import { seedDialog } from '../../../test/support/seed';
import { applyOutboxEvent } from './outboxProjection';

describe('the webhook outbox on PostgreSQL', () => {
  const world = useOutboxWorld();
  const { db } = world;
  let deps: typeof world.deps;
  let store: typeof world.store;
  let applied: Checkpoint | null = null;

  beforeAll(() => ({ deps, store } = world));

  /**
   * What the projection runner does: the log after `from`, applied in one transaction. The
   * gap-safe read holds back events while any older transaction of the server is open (other
   * test files share it), so this waits until the last event appended so far is visible.
   */
  const project = async (from: Checkpoint | null = applied): Promise<void> => {
    const { rows } = await db.pool.query<{ last: string | null }>(
      'SELECT max(global_position)::text AS last FROM event_store.events',
    );
    const last = BigInt(rows[0]?.last ?? '0');
    const client = await db.pool.connect();
    let cursor = from;
    try {
      await client.query('BEGIN');
      for (let seen = 0n, waited = 0; seen < last;) {
        const page = await store.readAll({ from: cursor, maxCount: 500 });
        for (const event of page.events) {
          await applyOutboxEvent(client, {
            type: event.type,
            data: event.data,
            streamId: event.streamId,
            revision: event.revision,
            recordedAt: event.metadata.recordedAt,
          });
          seen = BigInt(event.checkpoint.split(':')[1] ?? '0');
        }
        cursor = page.checkpoint ?? cursor;
        if (page.events.length === 0) {
          if ((waited += 20) > 10_000) throw new Error('the log did not become visible');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    if (store.compareCheckpoints(cursor, applied) > 0) applied = cursor;
  };

  const subscribe = (events: WebhookEventType[], channelId: string | null = null) =>
    subscribeTo(deps, events, channelId);

  const deliveries = async (webhookId: string) =>
    (
      await db.pool.query<{
        message_id: string;
        dialog_id: string;
        event_type: string;
        body: string;
        status: string;
      }>(
        `SELECT d.message_id, d.dialog_id, m.event_type, m.body, d.status
           FROM webhooks.deliveries d JOIN webhooks.messages m USING (message_id)
          WHERE d.webhook_id = $1 ORDER BY d.delivery_id`,
        [webhookId],
      )
    ).rows;

  it('queues one delivery per matching subscription, in log order, with one payload', async () => {
    const everything = await subscribe(['dialog.created', 'dialog.updated', 'message.created']);
    const messagesOnly = await subscribe(['message.created']);
    const seeded = await seedDialog(deps, { integrationData: '{"chat":1}' });
    const elsewhere = await seedDialog(deps);
    const otherChannel = await subscribe(['message.created'], elsewhere.channelId);
    await replyToDialog(
      deps,
      { dialogId: seeded.dialogId, text: 'hi', html: null, attachments: [], idempotencyKey: null },
      { ...admin(), actor: { type: 'operator', operatorId: deps.ids.objectId() } },
    );
    await changeDialogStatus(deps, { dialogId: seeded.dialogId, to: 'closed' }, admin());
    await replyToDialog(
      deps,
      {
        dialogId: elsewhere.dialogId,
        text: 'yo',
        html: null,
        attachments: [],
        idempotencyKey: null,
      },
      admin(),
    );
    await project(null);

    const all = (await deliveries(everything)).filter((d) => d.dialog_id === seeded.dialogId);
    expect(all.map((d) => d.event_type)).toEqual([
      'dialog.created',
      'message.created',
      'message.created',
      'dialog.updated',
    ]);
    expect(all.every((d) => d.status === 'pending')).toBe(true);
    const mine = (await deliveries(messagesOnly)).filter((d) => d.dialog_id === seeded.dialogId);
    expect(mine.map((d) => d.message_id)).toEqual(
      all.filter((d) => d.event_type === 'message.created').map((d) => d.message_id),
    );
    expect((await deliveries(otherChannel)).map((d) => d.dialog_id)).toEqual([elsewhere.dialogId]);

    const reply = JSON.parse(all[2]?.body ?? '{}');
    expect(reply).toMatchObject({
      id: all[2]?.message_id,
      type: 'message.created',
      data: {
        dialog: { id: seeded.dialogId, integration_data: '{"chat":1}' },
        message: { direction: 'outgoing', text: 'hi' },
        contact: { id: seeded.contactId, name: 'Vasya Pupkin' },
      },
    });
    expect(reply.data.contact.contacts).toHaveLength(1);
  });

  it('queues nothing twice when the log is projected again', async () => {
    await project(null);
    const before = await db.pool.query('SELECT count(*)::int AS n FROM webhooks.deliveries');
    await project(null);
    const after = await db.pool.query('SELECT count(*)::int AS n FROM webhooks.deliveries');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('queues nothing for a disabled subscription, and cancels what a removed one had pending', async () => {
    const disabled = await subscribe(['message.created']);
    const removed = await subscribe(['message.created']);
    await updateWebhook(deps, disabled, { enabled: false }, admin());
    const seeded = await seedDialog(deps);
    await project();
    expect(await deliveries(disabled)).toEqual([]);
    expect((await deliveries(removed)).map((d) => d.status)).toEqual(['pending']);

    await removeWebhook(deps, removed, admin());
    await replyToDialog(
      deps,
      {
        dialogId: seeded.dialogId,
        text: 'late',
        html: null,
        attachments: [],
        idempotencyKey: null,
      },
      admin(),
    );
    await project();
    expect((await deliveries(removed)).map((d) => d.status)).toEqual(['cancelled']);
    const secrets = await db.pool.query('SELECT 1 FROM webhooks.secrets WHERE webhook_id = $1', [
      removed,
    ]);
    expect(secrets.rowCount).toBe(0);
  });

  it('shows the survivor, with its data, once the dialog’s contact was merged away', async () => {
    const hook = await subscribe(['message.created']);
    const seeded = await seedDialog(deps, { contactName: 'Merged Away' });
    const survivor = await seedDialog(deps, { contactName: 'Survivor' });
    const now = new Date().toISOString();
    const merged = await deps.commands.handle(
      streams.contact(seeded.contactId),
      contactDecider,
      { type: 'MergeInto', data: { survivorId: survivor.contactId, now } },
      admin(),
    );
    expect(isRight(merged)).toBe(true);
    await replyToDialog(
      deps,
      { dialogId: seeded.dialogId, text: 'hi', html: null, attachments: [], idempotencyKey: null },
      admin(),
    );
    await project();
    const last = (await deliveries(hook)).filter((d) => d.body.includes(seeded.dialogId)).pop();
    expect(JSON.parse(last?.body ?? '{}').data.contact).toMatchObject({
      id: survivor.contactId,
      name: 'Survivor',
    });
  });
});
