import fc from 'fast-check';
import { allProjections } from '../src/projections/allProjections';
import { readCheckpoints } from '../src/projections/checkpoints';
import { webhookOutboxProjection } from '../src/projections/outbox/outboxProjection';
import { readStuckEvents } from '../src/projections/runner/stuckEvents';
import { createChannel, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { headOf, waitForPosition } from './support/readModel';

/**
 * What is accepted is what can be stored (SPEC §2): values drawn from the whole space the codecs
 * accept — any well-formed Unicode without NUL (control characters, astral planes, RTL marks
 * included), times from 1970 to 9999 with fractional milliseconds, limits at their edge — sent
 * as every kind of command through the real HTTP stack. Every valid command is accepted, and
 * every projection (the read models, the webhook outbox, the audit notary) then reaches the head
 * of the log with no event it could not apply. Small limits keep the values at their edges.
 */
const LIMITS = {
  MAX_TEXT_BYTES: '120',
  MAX_HTML_BYTES: '120',
  MAX_INTEGRATION_DATA_BYTES: '60',
  MAX_REFERENCE_LENGTH: '16',
  MAX_TITLE_LENGTH: '16',
  MAX_ATTACHMENTS: '2',
};
const LATEST_MS = 253_402_300_799_999;

/** any code point but NUL, lone surrogates never (fast-check's binary unit is well-formed) */
const storable = (maxLength: number, minLength = 0) =>
  fc.string({ unit: 'binary', minLength, maxLength }).map((s) => s.replaceAll('\u0000', '\u0001'));
/** a string with at least one character that is not white space */
const nonBlank = (maxLength: number) =>
  fc.tuple(fc.constantFrom('a', 'Я', '😀', '١'), storable(maxLength - 1)).map(([a, b]) => a + b);
const withinBytes = (max: number) =>
  storable(max).filter((s) => Buffer.byteLength(s, 'utf8') <= max);

const timestamp = fc.oneof(
  fc.integer({ min: 0, max: LATEST_MS }),
  fc.double({ min: 0, max: LATEST_MS, noNaN: true }),
  fc.constantFrom(0, LATEST_MS, LATEST_MS - 0.5),
);

const contactData = fc.oneof(
  fc.record({ type: fc.constant('phone'), value: nonBlank(16), service: nonBlank(10) }),
  fc.record({ type: fc.constant('email'), value: nonBlank(20), service: nonBlank(10) }),
  fc.record({
    type: nonBlank(8),
    value: nonBlank(20),
    service: nonBlank(10),
    origin: fc.option(storable(10), { nil: undefined }),
  }),
);

const attachment = fc.record({
  url: fc.webUrl({ withQueryParameters: true, withFragments: true }),
  size: fc.nat(),
  name: storable(20),
  mimeType: storable(20),
});

const inbound = fc.record(
  {
    reference: storable(16),
    dialog_title: storable(16),
    timestamp,
    text: nonBlank(30),
    html: withinBytes(120),
    integration_data: withinBytes(60),
    attachments: fc.array(attachment, { maxLength: 2 }),
    contact_object: fc.record(
      {
        name: storable(20),
        description: storable(30),
        contacts: fc
          .tuple(
            fc.record({ type: nonBlank(8), value: nonBlank(20), service: fc.constant('custom') }),
            fc.array(contactData, { maxLength: 2 }),
          )
          .map(([custom, others]) => [custom, ...others]),
      },
      { requiredKeys: ['contacts'] },
    ),
  },
  { requiredKeys: ['text', 'contact_object'] },
);

type Command =
  | { kind: 'inbound'; body: unknown }
  | { kind: 'reply'; text: string; html: string }
  | { kind: 'assign' }
  | { kind: 'close' }
  | { kind: 'reopen' }
  | { kind: 'rename channel'; name: string }
  | { kind: 'create operator'; name: string }
  | { kind: 'subscribe'; path: string }
  | { kind: 'status'; body: Record<string, unknown> }
  | { kind: 'import'; lines: Record<string, unknown>[] };

/** the integration's endpoints of SPEC §2.1, drawn as often as their weight says */
const commandsBeyondTheSeed: fc.WeightedArbitrary<Command>[] = [];
const seedCommands: fc.WeightedArbitrary<Command>[] = [
  { weight: 6, arbitrary: inbound.map((body) => ({ kind: 'inbound' as const, body })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ text: nonBlank(30), html: withinBytes(120) })
      .map((r) => ({ kind: 'reply' as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Command>({ kind: 'assign' }, { kind: 'close' }, { kind: 'reopen' }),
  },
  { weight: 1, arbitrary: nonBlank(30).map((name) => ({ kind: 'rename channel' as const, name })) },
  {
    weight: 1,
    arbitrary: nonBlank(30).map((name) => ({ kind: 'create operator' as const, name })),
  },
  {
    weight: 1,
    arbitrary: fc
      .webPath()
      .map((path) => ({ kind: 'subscribe' as const, path: path.replaceAll('\u0000', '') })),
  },
];

const deliveryStatus = fc.record(
  {
    status: fc.constantFrom('delivered', 'read', 'failed'),
    reason: storable(200),
    timestamp,
  },
  { requiredKeys: ['status'] },
);
commandsBeyondTheSeed.push({
  weight: 2,
  arbitrary: deliveryStatus.map((body) => ({ kind: 'status' as const, body })),
});

// a history import: inbound bodies as NDJSON lines, with an external id and a time each
commandsBeyondTheSeed.push({
  weight: 2,
  arbitrary: fc
    .array(fc.tuple(inbound, nonBlank(40), timestamp), { minLength: 1, maxLength: 3 })
    .map((lines) => ({
      kind: 'import' as const,
      lines: lines.map(([body, externalId, at]) => ({
        ...body,
        external_id: externalId,
        direction: 'incoming',
        timestamp: at,
      })),
    })),
});

const SEED = Number(process.env.ACCEPTED_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('everything the codecs accept can be stored and applied by every projection', () => {
  // no webhook is delivered (the subscriptions point nowhere); the outbox still builds them
  const parley = useTestParley({
    ...LIMITS,
    RATE_LIMIT_PER_SECOND: '0',
    WEBHOOK_CONCURRENCY: '0',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  let channel: TestChannel;
  beforeAll(async () => {
    channel = await createChannel(parley);
  });

  const staff = (method: string, path: string, body?: unknown) =>
    parley.request(path, {
      method,
      headers: { ...parley.admin, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('accepts every valid command, and every projection reaches the head of the log', async () => {
    // eslint-disable-next-line no-console
    console.info(`accepted-space seed ${SEED} (ACCEPTED_SEED=${SEED} replays it)`);
    const refused: string[] = [];
    let dialogId: string | null = null;
    let operatorId: string | null = null;
    let replied: { dialog_id: string; message_id: string } | null = null;
    const run = async (c: Command): Promise<void> => {
      const answer = async (response: Response | { status: number; body: unknown }) => {
        const status = response.status;
        const body = response instanceof Response ? await response.json() : response.body;
        if (status >= 300) refused.push(`${c.kind} ${status} ${JSON.stringify(body)}`);
        return body as Record<string, unknown>;
      };
      switch (c.kind) {
        case 'inbound': {
          const body = await answer(await postMessage(parley, channel, c.body));
          if (typeof body.dialog_id === 'string') dialogId = body.dialog_id;
          return;
        }
        case 'reply':
          if (dialogId !== null) {
            const body = await answer(await staff('POST', `/api/dialogs/${dialogId}/messages`, c));
            if (typeof body.message_id === 'string')
              replied = { dialog_id: dialogId, message_id: body.message_id };
          }
          return;
        case 'import': {
          const response = await parley.request(channel.path.replace('/message/', '/import/'), {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: c.lines.map((line) => JSON.stringify(line)).join('\n'),
          });
          const body = await answer(response);
          const lines = (body.lines ?? []) as { status: string }[];
          if (lines.some((line) => line.status === 'error'))
            refused.push(`import ${JSON.stringify(body)}`);
          return;
        }
        case 'status':
          if (replied !== null) {
            const at = channel.path.replace('?', '/status?');
            await answer(
              await parley.request(at, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ ...c.body, ...replied }),
              }),
            );
          }
          return;
        case 'assign':
          if (dialogId !== null && operatorId !== null)
            await answer(
              await staff('PUT', `/api/dialogs/${dialogId}/assignee`, { operator_id: operatorId }),
            );
          return;
        case 'close':
        case 'reopen':
          if (dialogId !== null)
            await answer(await staff('POST', `/api/dialogs/${dialogId}/${c.kind}`));
          return;
        case 'rename channel':
          await answer(
            await staff('PATCH', `/api/channels/${channel.channelId}`, { name: c.name }),
          );
          return;
        case 'create operator': {
          const body = await answer(await staff('POST', '/api/operators', { name: c.name }));
          if (typeof body.id === 'string') operatorId = body.id;
          return;
        }
        case 'subscribe':
          await answer(
            await staff('POST', '/api/webhooks', {
              url: `http://127.0.0.1:9${c.path}`,
              events: ['dialog.created', 'dialog.updated', 'message.created', 'message.updated'],
            }),
          );
          return;
      }
    };

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...seedCommands, ...commandsBeyondTheSeed), {
          minLength: 20,
          maxLength: 40,
        }),
        async (commands) => {
          for (const c of commands) await run(c);
        },
      ),
      { seed: SEED, numRuns: 15 },
    );
    expect(refused).toEqual([]);

    // every projection of this process, the outbox and the notary included, applies all of it
    const head = await headOf(parley.deps.store, parley.deps.pool);
    const names = new Set([
      ...allProjections.map((p) => p.name),
      webhookOutboxProjection.name,
      ...(await readCheckpoints(parley.deps.pool)).map((row) => row.projection),
    ]);
    expect(names.size).toBeGreaterThan(allProjections.length);
    await waitForPosition(parley.deps.pool, parley.deps.store, head, [...names], 60_000);
    expect(await readStuckEvents(parley.deps.pool)).toEqual([]);
    // the commands beyond the seed (imports above all) make a run longer than the default
  }, 180_000);
});
