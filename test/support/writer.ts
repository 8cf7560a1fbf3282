import { isLeft } from 'fp-ts/Either';
import { commandHandler, loadAggregate } from '../../src/application/commandHandler';
import type { CommandContext } from '../../src/application/context';
import type { Checkpoint, EventStore } from '../../src/application/ports/eventStore';
import { streams } from '../../src/application/streams';
import { StreamLocks } from '../../src/application/streamLocks';
import { channelDecider } from '../../src/domain/channel/decide';
import type { ContactData } from '../../src/domain/contact/contactData';
import { contactDecider } from '../../src/domain/contact/decide';
import { dialogDecider } from '../../src/domain/dialog/decide';
import type { Command, Decider, Event } from '../../src/domain/shared/decider';
import { objectIdGenerator } from '../../src/infrastructure/ids';

/** A small seeded PRNG (mulberry32), so a failing scenario can be replayed. */
export const randomFrom = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number): number => Math.floor(next() * n),
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
};

/**
 * Writes domain events through the deciders (load → decide → append), as the write side will:
 * a test can build any history the domain allows without the HTTP endpoints.
 */
export const writer = (store: EventStore, startAt = new Date('2026-01-05T08:00:00.000Z')) => {
  const ids = objectIdGenerator();
  const commands = commandHandler({ store, ids, locks: new StreamLocks() });
  let last: Checkpoint | null = null;
  let clock = startAt.getTime();
  const context = (): CommandContext => ({
    correlationId: ids.uuid(),
    causationId: null,
    actor: { type: 'system' },
    now: new Date(clock),
  });
  return {
    store,
    ids,
    /** the position of the last event written: what X-Parley-Position would say */
    lastPosition: (): Checkpoint | null => last,
    now: (): string => new Date(clock).toISOString(),
    advance: (ms: number): void => void (clock += ms),
    run: async <C extends Command, E extends Event, S>(
      streamId: string,
      decider: Decider<C, E, S>,
      command: C,
    ): Promise<readonly E[]> => {
      const result = await commands.handle(streamId, decider, command, context());
      if (isLeft(result)) throw new Error(`${command.type} refused: ${result.left.code}`);
      if (result.right.checkpoint !== null) last = result.right.checkpoint;
      return result.right.events;
    },
  };
};

export type Writer = ReturnType<typeof writer>;

export const customItem = (w: Writer, channelId: string, value: string): ContactData => ({
  id: w.ids.objectId(),
  type: 'id',
  value,
  service: 'custom',
  origin: 'custom',
  key: `custom:${channelId}:id:${value}`,
});

export const phoneItem = (w: Writer, value: string): ContactData => ({
  id: w.ids.objectId(),
  type: 'phone',
  value,
  service: 'whatsapp',
  origin: null,
  key: `phone:${value}`,
});

export const createChannel = async (w: Writer, name: string): Promise<string> => {
  const channelId = w.ids.objectId();
  await w.run(streams.channel(channelId), channelDecider, {
    type: 'CreateChannel',
    data: { channelId, name, now: w.now() },
  });
  return channelId;
};

export const createContact = async (
  w: Writer,
  channelId: string,
  name: string,
  data: readonly ContactData[],
  description: string | null = null,
): Promise<string> => {
  const contactId = w.ids.objectId();
  await w.run(streams.contact(contactId), contactDecider, {
    type: 'CreateContact',
    data: { contactId, channelId, name, description, data, now: w.now() },
  });
  return contactId;
};

/** Merges `merged` into `survivor` the way the write side does: absorb, then mark each merged. */
export const mergeContacts = async (
  w: Writer,
  survivor: string,
  merged: readonly string[],
): Promise<void> => {
  const contacts = await Promise.all(
    merged.map(async (contactId) => {
      const { state } = await loadAggregate(w.store, streams.contact(contactId), contactDecider);
      return { contactId, data: state.status === 'absent' ? [] : state.data };
    }),
  );
  await w.run(streams.contact(survivor), contactDecider, {
    type: 'AbsorbContacts',
    data: { contacts, now: w.now() },
  });
  for (const contactId of merged) {
    await w.run(streams.contact(contactId), contactDecider, {
      type: 'MergeInto',
      data: { survivorId: survivor, now: w.now() },
    });
  }
};

export const receiveMessage = async (
  w: Writer,
  message: Readonly<{
    dialogId?: string;
    channelId: string;
    contactId: string;
    text?: string;
    html?: string | null;
    reference?: string | null;
    title?: string | null;
    integrationData?: string | null;
    createdAt?: string;
  }>,
): Promise<{ dialogId: string; messageId: string }> => {
  const dialogId = message.dialogId ?? w.ids.objectId();
  const messageId = w.ids.objectId();
  await w.run(streams.dialog(dialogId), dialogDecider, {
    type: 'ReceiveMessage',
    data: {
      dialogId,
      channelId: message.channelId,
      mustExist: false,
      reference: message.reference ?? null,
      title: message.title ?? null,
      contactId: message.contactId,
      messageId,
      text: message.text ?? 'hello',
      html: message.html ?? null,
      attachments: [],
      integrationData: message.integrationData ?? null,
      createdAt: message.createdAt ?? w.now(),
      now: w.now(),
      requestHash: null,
    },
  });
  return { dialogId, messageId };
};

export const reply = async (
  w: Writer,
  dialogId: string,
  operatorId: string,
  text = 'how can I help?',
): Promise<string> => {
  const messageId = w.ids.objectId();
  await w.run(streams.dialog(dialogId), dialogDecider, {
    type: 'SendReply',
    data: {
      messageId,
      operatorId,
      text,
      html: null,
      attachments: [],
      now: w.now(),
      requestHash: null,
    },
  });
  return messageId;
};
