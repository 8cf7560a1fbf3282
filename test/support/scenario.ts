import type { EventStore } from '../../src/application/ports/eventStore';
import { streams } from '../../src/application/streams';
import type { ChannelCommand } from '../../src/domain/channel/commands';
import { channelDecider } from '../../src/domain/channel/decide';
import type { ContactData } from '../../src/domain/contact/contactData';
import { contactDecider } from '../../src/domain/contact/decide';
import { dialogDecider } from '../../src/domain/dialog/decide';
import {
  createChannel,
  createContact,
  customItem,
  mergeContacts,
  phoneItem,
  randomFrom,
  receiveMessage,
  reply,
  writer,
  type Writer,
} from './writer';

type ContactModel = {
  contactId: string;
  channelId: string;
  status: 'active' | 'gone';
  data: ContactData[];
};
type DialogModel = { dialogId: string; channelId: string; status: 'open' | 'closed' };

export type ScenarioResult = Readonly<{
  channels: readonly string[];
  contacts: readonly ContactModel[];
  dialogs: readonly DialogModel[];
  steps: number;
}>;

/**
 * A long mixed history: contacts created, updated, given and changing data, merged (chains
 * too) and deleted; dialogs opened, titled, replied to, assigned, closed and reopened; channels
 * renamed, disabled, given tokens; plus events no read model cares about.
 */
export const mixedScenario = async (
  store: EventStore,
  options: Readonly<{ seed: number; steps: number; writer?: Writer }>,
): Promise<ScenarioResult> => {
  const w = options.writer ?? writer(store);
  const random = randomFrom(options.seed);
  const operators = [w.ids.objectId(), w.ids.objectId(), w.ids.objectId()];
  const channels = [await createChannel(w, 'Avito'), await createChannel(w, 'Mobile app')];
  const contacts: ContactModel[] = [];
  const dialogs: DialogModel[] = [];
  const active = (): ContactModel[] => contacts.filter((c) => c.status === 'active');

  const newContact = async (): Promise<void> => {
    const channelId = random.pick(channels);
    const data = [customItem(w, channelId, `ext-${w.ids.objectId()}`)];
    if (random.chance(0.5)) data.push(phoneItem(w, `+7${9_000_000_000 + random.int(999_999_999)}`));
    const name = `${random.pick(['Vasya', 'Petya', 'Masha', 'Olga'])} ${random.pick(['Pupkin', 'Ivanov', 'Petrova'])}`;
    const contactId = await createContact(w, channelId, name, data);
    contacts.push({ contactId, channelId, status: 'active', data });
  };

  const steps: Array<[number, () => Promise<void>]> = [
    [3, newContact],
    [
      1,
      async () => {
        const contact = random.pick(active());
        const added = phoneItem(w, `+7${9_000_000_000 + random.int(999_999_999)}`);
        await w.run(streams.contact(contact.contactId), contactDecider, {
          type: 'UpdateContact',
          data: { name: random.chance(0.5) ? `Renamed ${random.int(100)}` : null, data: [added] },
        });
        contact.data.push(added);
      },
    ],
    [
      1,
      async () => {
        const contact = random.pick(active());
        const item = random.pick(contact.data);
        const value = `${item.value}-v${random.int(1000)}`;
        const changed = { ...item, value, key: item.key.replace(/[^:]*$/, value) };
        await w.run(streams.contact(contact.contactId), contactDecider, {
          type: 'UpdateContact',
          data: { name: null, data: [changed] },
        });
        contact.data = contact.data.map((d) => (d.id === item.id ? changed : d));
      },
    ],
    [
      1,
      async () => {
        const candidates = active();
        if (candidates.length < 3) return;
        const [survivor, ...merged] = [random.pick(candidates), random.pick(candidates)]
          .concat(random.chance(0.3) ? [random.pick(candidates)] : [])
          .filter((c, i, all) => all.indexOf(c) === i);
        if (survivor === undefined || merged.length === 0) return;
        await mergeContacts(
          w,
          survivor.contactId,
          merged.map((c) => c.contactId),
        );
        for (const m of merged) m.status = 'gone';
      },
    ],
    [
      0.3,
      async () => {
        const contact = random.pick(active());
        await w.run(streams.contact(contact.contactId), contactDecider, {
          type: 'DeleteContact',
          data: { now: w.now() },
        });
        contact.status = 'gone';
      },
    ],
    [
      3,
      async () => {
        const contact = random.pick(active());
        const { dialogId } = await receiveMessage(w, {
          channelId: contact.channelId,
          contactId: contact.contactId,
          reference: random.chance(0.6) ? `order-${random.int(10_000)}` : null,
          title: random.chance(0.5) ? `Order ${random.int(100)}` : null,
          html: random.chance(0.3)
            ? '<p onclick="evil()">hi <script>x()</script><b>there</b></p>'
            : null,
          integrationData: random.chance(0.5) ? `{"chat":${random.int(1000)}}` : null,
        });
        dialogs.push({ dialogId, channelId: contact.channelId, status: 'open' });
      },
    ],
    [
      6,
      async () => {
        const dialog = random.pick(dialogs);
        const candidates = active().filter((c) => c.channelId === dialog.channelId);
        if (candidates.length === 0) return;
        await receiveMessage(w, {
          dialogId: dialog.dialogId,
          channelId: dialog.channelId,
          contactId: random.pick(candidates).contactId,
          text: `message ${random.int(1_000_000)}`,
          title: random.chance(0.2) ? `Order ${random.int(100)}` : null,
          // senders' clocks disagree: messages may claim to be older than earlier ones
          createdAt: new Date(Date.parse(w.now()) - random.int(600_000)).toISOString(),
          integrationData: random.chance(0.3) ? `{"chat":${random.int(1000)}}` : null,
        });
        dialog.status = 'open';
      },
    ],
    [
      4,
      async () => {
        const dialog = random.pick(dialogs);
        await reply(w, dialog.dialogId, random.pick(operators));
        dialog.status = 'open';
      },
    ],
    [
      1.5,
      async () => {
        const dialog = random.pick(dialogs);
        await w.run(streams.dialog(dialog.dialogId), dialogDecider, {
          type: 'AssignDialog',
          data: { assigneeId: random.chance(0.8) ? random.pick(operators) : null },
        });
      },
    ],
    [
      1.5,
      async () => {
        const dialog = random.pick(dialogs);
        const close = random.chance(0.7);
        await w.run(streams.dialog(dialog.dialogId), dialogDecider, {
          type: close ? 'CloseDialog' : 'ReopenDialog',
          data: {},
        });
        dialog.status = close ? 'closed' : 'open';
      },
    ],
    [
      0.5,
      async () => {
        const channelId = random.pick(channels);
        const kind = random.int(4);
        const tokenId = w.ids.objectId();
        const command: ChannelCommand =
          kind === 0
            ? { type: 'RenameChannel', data: { name: `Channel ${random.int(1000)}` } }
            : kind === 1
              ? { type: 'DisableChannel', data: {} }
              : kind === 2
                ? { type: 'EnableChannel', data: {} }
                : {
                    type: 'IssueChannelToken',
                    data: { tokenId, tokenHash: 'f'.repeat(64), prefix: 'pk_test', now: w.now() },
                  };
        await w.run(streams.channel(channelId), channelDecider, command);
      },
    ],
    [
      0.3,
      async () => {
        // a stream no read model reads: its events only move the checkpoints
        await w.store.appendToStream(
          streams.idempotency('scenario', w.ids.objectId()),
          [
            {
              id: w.ids.uuid(),
              type: 'IdempotentRequestRecorded',
              data: {},
              metadata: {
                correlationId: w.ids.uuid(),
                causationId: null,
                actor: { type: 'system' },
                recordedAt: w.now(),
                schemaVersion: 1,
              },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
      },
    ],
  ];
  const total = steps.reduce((sum, [weight]) => sum + weight, 0);

  for (let i = 0; i < 4; i++) await newContact();
  for (let step = 0; step < options.steps; step++) {
    w.advance(random.int(20 * 60_000));
    let roll = random.next() * total;
    const chosen = steps.find(([weight]) => (roll -= weight) < 0) ?? steps[0];
    if (active().length < 3) await newContact();
    else if (dialogs.length === 0) await (steps[5] as [number, () => Promise<void>])[1]();
    else await (chosen as [number, () => Promise<void>])[1]();
  }
  return { channels, contacts, dialogs, steps: options.steps };
};
