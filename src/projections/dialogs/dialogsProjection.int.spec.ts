import { useReadModelWorld } from '../../../test/support/readModel';
import {
  createChannel,
  createContact,
  customItem,
  mergeContacts,
  receiveMessage,
  reply,
} from '../../../test/support/writer';
import { streams } from '../../application/streams';
import { dialogDecider } from '../../domain/dialog/decide';
import { getDialog, listDialogs } from './dialogQueries';
import { listMessages } from './messageQueries';

const OPERATOR = 'b0000000000000000000000a';

describe('the dialogs read model', () => {
  const world = useReadModelWorld();
  let channelId: string;
  beforeAll(async () => {
    channelId = await createChannel(world.w, 'Avito');
  });
  const caughtUp = () => world.caughtUp();
  const newContact = (name: string) =>
    createContact(world.w, channelId, name, [
      customItem(world.w, channelId, `${name}-${world.w.ids.objectId()}`),
    ]);

  it('keeps reference, counts, times, first response and the latest integration data', async () => {
    const contactId = await newContact('Vasya');
    const { dialogId } = await receiveMessage(world.w, {
      channelId,
      contactId,
      reference: 'avito-42',
      title: 'Order 42',
      integrationData: '{"chat":1}',
    });
    const opened = world.w.now();
    world.w.advance(90_000);
    await reply(world.w, dialogId, OPERATOR);
    world.w.advance(60_000);
    await receiveMessage(world.w, { dialogId, channelId, contactId, integrationData: null });
    await caughtUp();

    const dialog = await getDialog(world.pool, dialogId);
    expect(dialog).toMatchObject({
      channelId,
      reference: 'avito-42',
      title: 'Order 42',
      status: 'open',
      contactId,
      messagesIn: 2,
      messagesOut: 1,
      firstResponseSeconds: 90,
      // a message without integration data keeps the last one the integrator sent
      integrationData: '{"chat":1}',
    });
    expect(dialog?.firstMessageAt?.toISOString()).toBe(opened);
    expect(dialog?.lastMessageAt?.toISOString()).toBe(world.w.now());
    const found = await listDialogs(
      world.pool,
      { channelId, reference: 'avito-42' },
      { limit: 10, after: null },
    );
    expect(found.items.map((d) => d.dialogId)).toEqual([dialogId]);
  });

  it('orders messages by the sender timestamp, then by arrival, and serves sanitized HTML', async () => {
    const contactId = await newContact('Petya');
    const at = '2026-01-05T12:00:00.000Z';
    const first = await receiveMessage(world.w, {
      channelId,
      contactId,
      text: 'second by timestamp',
      createdAt: '2026-01-05T12:00:01.000Z',
      html: '<p onclick="steal()">hi<script>alert(1)</script> <b>there</b></p>',
    });
    const { dialogId } = first;
    const early = await receiveMessage(world.w, {
      dialogId,
      channelId,
      contactId,
      text: 'first',
      createdAt: at,
    });
    const same = await receiveMessage(world.w, {
      dialogId,
      channelId,
      contactId,
      text: 'same time, later',
      createdAt: at,
    });
    await caughtUp();

    const { items } = await listMessages(world.pool, dialogId, { limit: 10, after: null });
    expect(items.map((m) => m.messageId)).toEqual([
      early.messageId,
      same.messageId,
      first.messageId,
    ]);
    const html = items[2]?.html ?? '';
    expect(html).toBe('<p>hi <b>there</b></p>');
    expect(items[2]?.direction).toBe('incoming');
  });

  it('sets closed_at on close and clears it when a message reopens the dialog', async () => {
    const contactId = await newContact('Masha');
    const { dialogId } = await receiveMessage(world.w, { channelId, contactId });
    await world.w.run(streams.dialog(dialogId), dialogDecider, { type: 'CloseDialog', data: {} });
    await caughtUp();
    expect(await getDialog(world.pool, dialogId)).toMatchObject({ status: 'closed' });
    expect((await getDialog(world.pool, dialogId))?.closedAt).not.toBeNull();

    await receiveMessage(world.w, { dialogId, channelId, contactId });
    await caughtUp();
    expect(await getDialog(world.pool, dialogId)).toMatchObject({ status: 'open', closedAt: null });
  });

  it('moves dialogs to the surviving contact, through chains of merges', async () => {
    const [a, b, c] = [await newContact('A'), await newContact('B'), await newContact('C')];
    const ofB = await receiveMessage(world.w, { channelId, contactId: b });
    const ofA = await receiveMessage(world.w, { channelId, contactId: a });
    await mergeContacts(world.w, a, [b]);
    // a late request still naming the merged contact opens a dialog for it
    const late = await receiveMessage(world.w, { channelId, contactId: b });
    await mergeContacts(world.w, c, [a]);
    await caughtUp();

    for (const { dialogId } of [ofB, ofA, late]) {
      expect((await getDialog(world.pool, dialogId))?.contactId).toBe(c);
    }
    const byMergedId = await listDialogs(world.pool, { contactId: b }, { limit: 10, after: null });
    expect(byMergedId.items.map((d) => d.dialogId).sort()).toEqual(
      [ofB.dialogId, ofA.dialogId, late.dialogId].sort(),
    );
  });

  it('pages dialogs with a keyset, most recently updated first', async () => {
    const contactId = await newContact('Pager');
    const opened: string[] = [];
    for (let i = 0; i < 5; i++) {
      world.w.advance(1_000);
      opened.push((await receiveMessage(world.w, { channelId, contactId })).dialogId);
    }
    await caughtUp();
    const seen: string[] = [];
    let after = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof listDialogs>> = await listDialogs(
        world.pool,
        { contactId },
        { limit: 2, after },
      );
      seen.push(...page.items.map((d) => d.dialogId));
      const last = page.items[page.items.length - 1];
      if (!page.more || last === undefined) break;
      after = { updatedAt: last.updatedAt, dialogId: last.dialogId };
    }
    expect(seen).toEqual([...opened].reverse());
  });
});
