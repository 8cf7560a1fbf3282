import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import type { Pool } from 'pg';
import { metadataFor, type CommandContext } from '../../src/application/context';
import type { IdGenerator } from '../../src/application/ports/ids';
import { matchKey, toContactData } from '../../src/application/contacts/normalize';
import { streams } from '../../src/application/streams';
import { contactDataRecordDecider } from '../../src/domain/claims/contactDataRecord';
import { contactKeyDecider } from '../../src/domain/claims/contactKey';
import { dialogReferenceDecider } from '../../src/domain/claims/dialogReference';
import { channelDecider } from '../../src/domain/channel/decide';
import { contactDecider } from '../../src/domain/contact/decide';
import type { ContactDataInput } from '../../src/domain/contact/contactInfo';
import type { DialogCommand } from '../../src/domain/dialog/commands';
import { dialogDecider } from '../../src/domain/dialog/decide';
import { operatorDecider } from '../../src/domain/operator/decide';
import type { Command, Decider, Event } from '../../src/domain/shared/decider';
import { objectIdGenerator } from '../../src/infrastructure/ids';
import { random } from '../load/mix';

/** What one seeded "request" appends: whole streams, each from revision 0, recorded `at`. */
type StreamBatch = { streamId: string; events: Event[]; at: Date };

const decideAll = <C extends Command, E extends Event, S>(
  decider: Decider<C, E, S>,
  commands: C[],
): E[] => {
  let state = decider.initialState();
  const out: E[] = [];
  for (const command of commands) {
    const decided = decider.decide(command, state);
    if (isLeft(decided)) throw new Error(`seed: ${decided.left.message}`);
    for (const e of decided.right) {
      out.push(e);
      state = decider.evolve(state, e);
    }
  }
  return out;
};

export const FIRST_NAMES = [
  'Alexander',
  'Anastasia',
  'Boris',
  'Valentina',
  'Grigory',
  'Darya',
  'Yevgeny',
  'Zhanna',
  'Igor',
  'Kira',
  'Leonid',
  'Lyudmila',
  'Maxim',
  'Nadezhda',
  'Nikita',
  'Polina',
  'Roman',
  'Svetlana',
  'Timur',
  'Ulyana',
  'Fyodor',
  'Khristina',
  'Yury',
  'Yana',
  'James',
  'Olivia',
  'Lucas',
  'Emma',
  'Mateo',
  'Sofia',
];
export const SYLLABLES = [
  'ka',
  'ro',
  'vin',
  'pet',
  'sha',
  'mi',
  'lov',
  'nes',
  'tor',
  'gul',
  'bar',
  'zen',
  'dri',
  'mok',
  'sel',
  'ya',
  'ush',
  'kin',
  'ber',
  'ov',
];

/** A family name from syllables: ~8,000 distinct ones, so search has something to tell apart. */
const familyName = (rnd: () => number): string => {
  const n = 2 + Math.floor(rnd() * 2);
  let s = '';
  for (let i = 0; i < n; i++) s += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
  return s.charAt(0).toUpperCase() + s.slice(1) + (rnd() < 0.5 ? 'ov' : 'ova');
};

export const seededContactName = (rnd: () => number): string =>
  `${FIRST_NAMES[Math.floor(rnd() * FIRST_NAMES.length)]} ${familyName(rnd)}`;

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** What an operator does with a dialog of an inbox (LogSeed.inbox): reply, assign, close. */
const inboxFate = (
  rnd: () => number,
  ids: IdGenerator,
  operatorIds: readonly string[],
  at: Date,
): DialogCommand[] => {
  const operatorId = operatorIds[Math.floor(rnd() * operatorIds.length)] as string;
  const fate = rnd();
  const out: DialogCommand[] = [];
  if (rnd() < 0.7) out.push({ type: 'AssignDialog', data: { assigneeId: operatorId } });
  if (fate < 0.85)
    out.push({
      type: 'SendReply',
      data: {
        messageId: ids.objectId(),
        operatorId,
        text: 'Good afternoon! Yes, it is. 210 × 95 cm, grey; I can send more photos.',
        html: null,
        attachments: [],
        now: at.toISOString(),
        requestHash: null,
      },
    });
  if (fate < 0.6) out.push({ type: 'CloseDialog', data: {} });
  return out;
};

export type LogSeed = Readonly<{
  channelId: string;
  contacts: number;
  dialogs: number;
  messagesPerDialog: number;
  /**
   * Dialogs as an inbox holds them: each recorded at its own time over 30 days; 85 % answered
   * by one of `operators` operators, 70 % assigned to them, 60 % closed (so 40 % open, 15 %
   * waiting for an answer). Without it every dialog is open, unassigned and waiting, all at one
   * time: the projections' log, kept as it was measured.
   */
  inbox?: Readonly<{ operators: number }>;
}>;

export type LogSeeded = Readonly<{ events: number; seconds: number; channelId: string }>;

/**
 * A big log, fast: the same events the deciders produce for real requests (channel, contacts
 * with claims, dialogs with reference claims and messages), written in multi-row statements
 * straight into the PostgreSQL event store's tables. Only for benchmarks: it bypasses the
 * one-stream-per-append port on purpose, which is safe here because nothing else writes.
 */
export const seedEventLog = async (pool: Pool, seed: LogSeed): Promise<LogSeeded> => {
  const started = performance.now();
  const ids = objectIdGenerator();
  const rnd = random(11);
  const now = new Date('2026-01-15T10:00:00Z');
  const context = (at: Date): CommandContext => ({
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'integration', channelId: seed.channelId },
    now: at,
  });
  const { channelId } = seed;
  let pending: StreamBatch[] = [];
  let pendingEvents = 0;
  let total = 0;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const rows = {
      stream: [] as string[],
      revision: [] as string[],
      id: [] as string[],
      type: [] as string[],
      data: [] as string[],
      metadata: [] as string[],
    };
    const heads = { stream: [] as string[], revision: [] as string[] };
    for (const batch of pending) {
      const metadata = JSON.stringify(metadataFor(context(batch.at)));
      batch.events.forEach((e, i) => {
        rows.stream.push(batch.streamId);
        rows.revision.push(String(i));
        rows.id.push(randomUUID());
        rows.type.push(e.type);
        rows.data.push(JSON.stringify(e.data));
        rows.metadata.push(metadata);
      });
      heads.stream.push(batch.streamId);
      heads.revision.push(String(batch.events.length - 1));
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO event_store.streams (stream_id, revision) SELECT * FROM unnest($1::text[], $2::bigint[])',
        [heads.stream, heads.revision],
      );
      await client.query(
        `INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [rows.stream, rows.revision, rows.id, rows.type, rows.data, rows.metadata],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    total += pendingEvents;
    pending = [];
    pendingEvents = 0;
  };
  const add = async (streamId: string, events: Event[], at = now): Promise<void> => {
    pending.push({ streamId, events, at });
    pendingEvents += events.length;
    if (pendingEvents >= 5_000) await flush();
  };

  await add(
    streams.channel(channelId),
    decideAll(channelDecider, [
      {
        type: 'CreateChannel',
        data: { channelId, name: 'Seeded marketplace', now: now.toISOString() },
      },
    ]),
  );

  const contactIds: string[] = [];
  for (let i = 0; i < seed.contacts; i++) {
    const contactId = ids.objectId();
    contactIds.push(contactId);
    const inputs: ContactDataInput[] = [
      { type: 'id', value: `shop-user-${i}`, service: 'custom', origin: 'custom' },
    ];
    if (rnd() < 0.6)
      inputs.push({
        type: 'phone',
        value: `+7 9${String(100_000_000 + i * 7919).slice(-9)}`,
        service: 'whatsapp',
        origin: null,
      });
    if (rnd() < 0.3)
      inputs.push({
        type: 'email',
        value: `user${i}@example.${rnd() < 0.5 ? 'com' : 'ru'}`,
        service: 'email',
        origin: null,
      });
    const data = inputs.map((input) =>
      toContactData(ids.objectId(), input, matchKey(channelId, input, 'RU')),
    );
    for (const item of data) {
      await add(
        streams.contactKey(item.key),
        decideAll(contactKeyDecider, [
          {
            type: 'ClaimContactKey',
            data: { key: item.key, contactId, dataId: item.id, replacing: null },
          },
        ]),
      );
      await add(
        streams.contactData(item.id),
        decideAll(contactDataRecordDecider, [
          {
            type: 'RegisterContactData',
            data: { dataId: item.id, contactId, channelId, service: item.service },
          },
        ]),
      );
    }
    await add(
      streams.contact(contactId),
      decideAll(contactDecider, [
        {
          type: 'CreateContact',
          data: {
            contactId,
            channelId,
            name: seededContactName(rnd),
            description: null,
            data,
            now: now.toISOString(),
          },
        },
      ]),
    );
  }

  const operatorIds: string[] = [];
  for (let o = 0; o < (seed.inbox?.operators ?? 0); o++) {
    const operatorId = ids.objectId();
    operatorIds.push(operatorId);
    const token = { tokenId: ids.objectId(), tokenHash: randomUUID(), prefix: `seed${o}` };
    await add(
      streams.operator(operatorId),
      decideAll(operatorDecider, [
        {
          type: 'CreateOperator',
          data: { operatorId, name: seededContactName(rnd), token, now: now.toISOString() },
        },
      ]),
    );
  }

  for (let d = 0; d < seed.dialogs; d++) {
    const dialogId = ids.objectId();
    const reference = `seeded-chat-${d}`;
    const contactId = contactIds[Math.floor(rnd() * contactIds.length)] as string;
    // an inbox's dialogs come one after another over the 30 days before `now`, in log order as
    // a real log's; the projections' log keeps every dialog at one time, as it was measured
    const at =
      seed.inbox === undefined
        ? now
        : new Date(
            now.getTime() - Math.round(((seed.dialogs - d) / seed.dialogs) * THIRTY_DAYS_MS),
          );
    await add(
      streams.dialogReference(channelId, reference),
      decideAll(dialogReferenceDecider, [
        { type: 'ClaimDialogReference', data: { channelId, reference, dialogId, replacing: null } },
      ]),
      at,
    );
    const commands: DialogCommand[] = Array.from({ length: seed.messagesPerDialog }, (_, m) => ({
      type: 'ReceiveMessage' as const,
      data: {
        dialogId,
        channelId,
        mustExist: false,
        reference,
        title: `Order ${d}`,
        contactId,
        messageId: ids.objectId(),
        text: `Hello, about order ${d}: message ${m}. Is the sofa still available? Could you tell me the dimensions and the colour, please?`,
        html: null,
        attachments: [],
        integrationData: JSON.stringify({
          chat: reference,
          item: 1_000_000 + d,
          source: 'avito',
          v: 2,
        }),
        createdAt: at.toISOString(),
        now: at.toISOString(),
        requestHash: null,
      },
    }));
    if (seed.inbox !== undefined) commands.push(...inboxFate(rnd, ids, operatorIds, at));
    await add(streams.dialog(dialogId), decideAll(dialogDecider, commands), at);
  }
  await flush();
  return { events: total, seconds: (performance.now() - started) / 1000, channelId };
};
