import { isLeft, type Either } from 'fp-ts/Either';
import type { DomainError } from '../../domain/errors';
import { channelCreated, tokenIssued, tokenRevoked } from '../../domain/testing/builders/channel';
import { CHANNEL, T0 } from '../../domain/testing/builders/ids';
import { MemoryEventStore } from '../../infrastructure/eventstore/memory/memoryEventStore';
import { AggregateCache } from '../aggregateCache';
import { commandHandler, type CommandHandler } from '../commandHandler';
import { deleteContact } from '../contacts/deleteContact';
import type { CommandContext } from '../context';
import type { Event } from '../../domain/shared/decider';
import type { EventStore } from '../ports/eventStore';
import { hashToken } from '../secrets';
import { streams } from '../streams';
import { inboundRequest } from '../../../test/support/decodedMessage';
import { authorizeRequest, receiveAuthorized } from './inboundRequest';
import type { InboundMessageRequest, InboundResult } from './receiveMessage';

// Two Parley processes on one store, each with its own aggregate cache: whatever one changes
// makes the other's cache stale. Every request of the stale one must still answer what a
// process without a cache would answer (SPEC §1.1; RequestReads says how).

const TOKEN = 'pk_secret';
const context: CommandContext = {
  correlationId: 'spec',
  causationId: null,
  actor: { type: 'system' },
  now: new Date('2026-01-05T08:00:00.000Z'),
};

/** The store, counting what each call of the write path costs. */
const counted = (inner: EventStore) => {
  const calls = { appends: 0, reads: 0 };
  const store: EventStore = {
    appendToStream: (...args) => (calls.appends++, inner.appendToStream(...args)),
    readStream: (...args) => (calls.reads++, inner.readStream(...args)),
    readAll: (options) => inner.readAll(options),
    subscribeToAll: (options) => inner.subscribeToAll(options),
    compareCheckpoints: (a, b) => inner.compareCheckpoints(a, b),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, calls };
};

let issued = 0;
const ids = {
  objectId: () => `f${(++issued).toString(16).padStart(23, '0')}`,
  uuid: () => `00000000-0000-4000-8000-${(++issued).toString(16).padStart(12, '0')}`,
};

type Process = Readonly<{ commands: CommandHandler; store: EventStore }>;

const world = async () => {
  const memory = new MemoryEventStore();
  const write = (
    stream: string,
    events: readonly Event[],
    expectedRevision: bigint | 'no_stream',
  ) =>
    memory.appendToStream(
      stream,
      events.map((e) => ({
        id: ids.uuid(),
        type: e.type,
        data: e.data,
        metadata: {
          correlationId: 'other',
          causationId: null,
          actor: { type: 'system' },
          recordedAt: T0,
          schemaVersion: 1,
        },
      })),
      { expectedRevision },
    );
  await write(
    streams.channel(CHANNEL),
    [channelCreated(), tokenIssued({ tokenHash: hashToken(TOKEN) })],
    'no_stream',
  );
  const process = (): Process & { calls: { appends: number; reads: number } } => {
    const { store, calls } = counted(memory);
    return { store, calls, commands: commandHandler({ store, ids, cache: new AggregateCache() }) };
  };
  return { a: process(), b: process(), write, memory };
};

const message = (
  value: string,
  overrides: Partial<InboundMessageRequest> = {},
): InboundMessageRequest => inboundRequest({ reference: `chat-${value}`, ...overrides }, value);

/** The inbound endpoint, as its route runs it. */
const post = async (
  { commands, store }: Process,
  request: InboundMessageRequest,
  key: string | null = null,
  token = TOKEN,
): Promise<Either<DomainError, InboundResult>> => {
  const authorized = await authorizeRequest(commands, CHANNEL, token);
  if (isLeft(authorized.channel)) return authorized.channel;
  return receiveAuthorized(
    { store, ids, defaultPhoneRegion: 'RU' },
    { commands: authorized.commands, channel: authorized.channel.right },
    token,
    request,
    { idempotencyKey: key, requestHash: key === null ? '' : `hash-${key}`, context },
  );
};

const ok = async (result: Promise<Either<DomainError, InboundResult>>) => {
  const r = await result;
  if (isLeft(r)) throw new Error(`expected an answer, got ${r.left.code}`);
  return r.right;
};

const messagesOf = async (store: EventStore, dialogId: string) =>
  (await store.readStream(streams.dialog(dialogId)))
    .filter((e) => e.type === 'MessageReceived')
    .map((e) => e.data as { contactId: string; text: string | null });

describe('an inbound request on a warm cache', () => {
  it('costs one append and no read; one more append with an Idempotency-Key', async () => {
    const { a } = await world();
    await ok(post(a, message('abc')));
    a.calls.appends = a.calls.reads = 0;
    await ok(post(a, message('abc', { text: 'again' })));
    expect(a.calls).toEqual({ appends: 1, reads: 0 });
    a.calls.appends = a.calls.reads = 0;
    await ok(post(a, message('abc', { text: 'keyed' }), 'key-1'));
    expect(a.calls).toEqual({ appends: 2, reads: 0 });
  });

  it('a new reference of a known contact costs its claim and the dialog, and no read', async () => {
    const { a } = await world();
    await ok(post(a, message('abc')));
    a.calls.appends = a.calls.reads = 0;
    const answer = await ok(post(a, message('abc', { reference: 'chat-new' })));
    expect(answer.response.dialog_created).toBe(true);
    expect(a.calls).toEqual({ appends: 2, reads: 0 });
  });
});

describe('a cache made stale by another process', () => {
  it('channel: a revoked token is refused, and nothing is appended', async () => {
    const { a, write, memory } = await world();
    await ok(post(a, message('abc')));
    await write(streams.channel(CHANNEL), [tokenRevoked()], 1n);
    const before = (await memory.readAll()).events.length;
    const answer = await post(a, message('abc', { text: 'after revocation' }));
    expect(isLeft(answer) && answer.left.code).toBe('E_INVALID_TOKEN');
    expect((await memory.readAll()).events).toHaveLength(before);
  });

  it('channel: a token issued since is accepted', async () => {
    const { a, write } = await world();
    await ok(post(a, message('abc')));
    await write(
      streams.channel(CHANNEL),
      [tokenIssued({ tokenId: 'f0000000000000000000000b', tokenHash: hashToken('pk_new') })],
      1n,
    );
    const answer = await ok(post(a, message('abc', { text: 'new token' }), null, 'pk_new'));
    expect(answer.response.dialog_created).toBe(false);
  });

  it('contact key → contact: a contact merged since is answered as its survivor', async () => {
    const { a, b } = await world();
    const older = await ok(post(a, message('abc')));
    const younger = await ok(post(a, message('def')));
    // the other process merges them: one customer with both ids
    await ok(
      post(
        b,
        message('abc', {
          reference: 'chat-both',
          contactObject: {
            name: 'Vasya',
            contacts: [
              { type: 'id', value: 'abc', service: 'custom', origin: 'custom' },
              { type: 'id', value: 'def', service: 'custom', origin: 'custom' },
            ],
          },
        }),
      ),
    );
    const answer = await ok(post(a, message('def', { text: 'after the merge' })));
    expect(answer.response.contact_id).toBe(older.response.contact_id);
    const messages = await messagesOf(a.store, younger.response.dialog_id);
    expect(messages.at(-1)).toMatchObject({
      text: 'after the merge',
      contactId: older.response.contact_id,
    });
  });

  it('contact key: a key claimed since by a contact made elsewhere is that contact’s', async () => {
    const { a, b } = await world();
    await ok(post(a, message('abc')));
    const made = await ok(post(b, message('xyz')));
    const answer = await ok(post(a, message('xyz', { text: 'known elsewhere' })));
    expect(answer.response).toMatchObject({
      contact_id: made.response.contact_id,
      contact_created: false,
      dialog_id: made.response.dialog_id,
    });
  });

  it('contact: a contact deleted since is not written to; its data makes a new one', async () => {
    const { a, b } = await world();
    const first = await ok(post(a, message('abc')));
    const deleted = await deleteContact(b, first.response.contact_id, context);
    expect(isLeft(deleted)).toBe(false);
    const answer = await ok(post(a, message('abc', { text: 'after deletion' })));
    expect(answer.response.contact_created).toBe(true);
    expect(answer.response.contact_id).not.toBe(first.response.contact_id);
  });

  it('reference → dialog: a reference claimed since is found by the claim’s own append', async () => {
    const { a, b } = await world();
    await ok(post(a, message('abc')));
    const opened = await ok(post(b, message('abc', { reference: 'chat-elsewhere' })));
    const answer = await ok(post(a, message('abc', { reference: 'chat-elsewhere', text: 'a' })));
    expect(answer.response).toMatchObject({
      dialog_id: opened.response.dialog_id,
      dialog_created: false,
    });
    const texts = (await messagesOf(a.store, opened.response.dialog_id)).map((m) => m.text);
    expect(texts).toEqual(['hello', 'a']);
  });

  it('dialog: a message appended since is kept, and this one lands after it', async () => {
    const { a, b } = await world();
    const first = await ok(post(a, message('abc')));
    await ok(post(b, message('abc', { text: 'from b' })));
    await ok(post(a, message('abc', { text: 'from a' })));
    const texts = (await messagesOf(a.store, first.response.dialog_id)).map((m) => m.text);
    expect(texts).toEqual(['hello', 'from b', 'from a']);
  });

  it('Idempotency-Key: an answer recorded since is replayed, with no second message', async () => {
    const { a, b } = await world();
    const first = await ok(post(a, message('abc')));
    const answered = await ok(post(b, message('abc', { text: 'keyed' }), 'key-1'));
    const replay = await ok(post(a, message('abc', { text: 'keyed' }), 'key-1'));
    expect(replay).toMatchObject({ replayed: true, response: answered.response });
    const texts = (await messagesOf(a.store, first.response.dialog_id)).map((m) => m.text);
    expect(texts).toEqual(['hello', 'keyed']);
  });

  it('Idempotency-Key: a record appended since is caught by the first append, which is refused', async () => {
    const { a, write } = await world();
    const first = await ok(post(a, message('abc')));
    // recorded by another process; this one's dialog and contact are not touched
    const recorded = { ...first.response, message_id: 'recorded-elsewhere' };
    await write(
      streams.idempotency(CHANNEL, 'key-2'),
      [
        {
          type: 'IdempotentRequestRecorded',
          data: { scope: CHANNEL, requestHash: 'hash-key-2', response: recorded },
        },
      ],
      'no_stream',
    );
    const replay = await ok(post(a, message('abc', { text: 'keyed' }), 'key-2'));
    expect(replay).toMatchObject({ replayed: true, response: recorded });
    const texts = (await messagesOf(a.store, first.response.dialog_id)).map((m) => m.text);
    expect(texts).toEqual(['hello']);
  });

  it('Idempotency-Key: a different body with a key answered since is a conflict', async () => {
    const { a, b } = await world();
    await ok(post(a, message('abc')));
    await ok(post(b, message('abc', { text: 'keyed' }), 'key-1'));
    const authorized = await authorizeRequest(a.commands, CHANNEL, TOKEN);
    if (isLeft(authorized.channel)) throw new Error('refused');
    const answer = await receiveAuthorized(
      { store: a.store, ids, defaultPhoneRegion: 'RU' },
      { commands: authorized.commands, channel: authorized.channel.right },
      TOKEN,
      message('abc', { text: 'another body' }),
      { idempotencyKey: 'key-1', requestHash: 'another-hash', context },
    );
    expect(isLeft(answer) && answer.left.code).toBe('E_IDEMPOTENCY_CONFLICT');
  });
});
