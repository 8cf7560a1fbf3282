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

  it('keeps the last message by arrival, either direction, with its author and a preview', async () => {
    const contactId = await newContact('Olga');
    const { dialogId, messageId } = await receiveMessage(world.w, {
      channelId,
      contactId,
      text: 'Where is my sofa?',
    });
    await caughtUp();
    const waiting = await getDialog(world.pool, dialogId);
    expect(waiting).toMatchObject({
      contactName: 'Olga',
      channelName: 'Avito',
      lastMessage: { messageId, direction: 'incoming', preview: 'Where is my sofa?', contactId },
    });
    expect(waiting?.waitingSince?.toISOString()).toBe(world.w.now());
    expect(waiting?.lastMessage?.authorName).toBe('Olga');

    world.w.advance(1_000);
    const answer = await reply(world.w, dialogId, OPERATOR, 'It leaves today.');
    // a message stamped earlier by its sender but arriving later is still the last one
    world.w.advance(1_000);
    const late = await receiveMessage(world.w, {
      dialogId,
      channelId,
      contactId,
      text: 'Thanks, bye',
      createdAt: '2020-01-01T00:00:00.000Z',
    });
    await caughtUp();
    expect((await getDialog(world.pool, dialogId))?.lastMessage).toMatchObject({
      messageId: late.messageId,
      preview: 'Thanks, bye',
    });
    world.w.advance(1_000);
    await reply(world.w, dialogId, OPERATOR, 'You are welcome.');
    await caughtUp();
    const answered = await getDialog(world.pool, dialogId);
    expect(answered?.lastMessage).toMatchObject({
      direction: 'outgoing',
      operatorId: OPERATOR,
      contactId: null,
      preview: 'You are welcome.',
    });
    expect(answered?.lastMessage?.messageId).not.toBe(answer);
    expect(answered?.waitingSince).toBeNull();
  });

  it('filters by assignment, waiting and a search over dialogs and contacts', async () => {
    const unique = world.w.ids.objectId();
    const contactId = await createContact(world.w, channelId, `Zoya ${unique}`, [
      customItem(world.w, channelId, `zoya-${unique}@example.com`),
    ]);
    const titled = await receiveMessage(world.w, {
      channelId,
      contactId,
      title: `Refund 100%_${unique}`,
    });
    const assigned = await receiveMessage(world.w, { channelId, contactId });
    await world.w.run(streams.dialog(assigned.dialogId), dialogDecider, {
      type: 'AssignDialog',
      data: { assigneeId: OPERATOR },
    });
    await reply(world.w, assigned.dialogId, OPERATOR);
    await caughtUp();
    const ids = async (filter: Parameters<typeof listDialogs>[1]) =>
      (await listDialogs(world.pool, { contactId, ...filter }, { limit: 10, after: null })).items
        .map((d) => d.dialogId)
        .sort();

    expect(await ids({ assigned: false })).toEqual([titled.dialogId]);
    expect(await ids({ assigned: true })).toEqual([assigned.dialogId]);
    expect(await ids({ waiting: true })).toEqual([titled.dialogId]);
    expect(await ids({ waiting: false })).toEqual([assigned.dialogId]);
    const both = [titled.dialogId, assigned.dialogId].sort();
    // by the contact's name, any contact data value, case-insensitively
    expect(await ids({ search: `zoya ${unique.toUpperCase()}` })).toEqual(both);
    expect(await ids({ search: `-${unique}@example` })).toEqual(both);
    // by the title; % and _ are taken literally
    expect(await ids({ search: `100%_${unique}` })).toEqual([titled.dialogId]);
    expect(await ids({ search: `100__${unique}` })).toEqual([]);
    expect(await ids({ search: 'no such text anywhere' })).toEqual([]);
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
