import fc from 'fast-check';
import { allProjections } from '../../src/projections/allProjections';
import { webhookOutboxProjection } from '../../src/projections/outbox/outboxProjection';
import { readStuckEvents } from '../../src/projections/runner/stuckEvents';
import {
  createChannel,
  eventCount,
  INBOUND_SPEC_CODES,
  postMessage,
  type TestChannel,
} from '../support/inbound';
import { useTestParley } from '../support/parley';
import { waitForPosition } from '../support/readModel';

/** The codes SPEC §2 documents for the inbound endpoint. */
const DOCUMENTED = new Set(INBOUND_SPEC_CODES);

const hex24 = fc.stringMatching(/^[0-9a-f]{24}$/);
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** a value of a plausible type or of a wrong one */
const maybe = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: good },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.constant(null) },
  );

const contactData = fc.record(
  {
    id: maybe(hex24),
    type: maybe(fc.constantFrom('id', 'phone', 'mail', '', 'x'.repeat(300))),
    value: maybe(
      fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '  ', '+79876543210', 'A@B.C')),
    ),
    service: maybe(fc.constantFrom('custom', 'whatsapp', 'mail', '')),
    origin: maybe(fc.constantFrom('custom', 'chatra')),
  },
  { requiredKeys: [] },
);

const attachment = fc.record(
  {
    url: maybe(fc.oneof(fc.webUrl(), fc.constantFrom('ftp://x/y', 'not a url', ''))),
    size: maybe(fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.double())),
    name: maybe(fc.string({ maxLength: 10 })),
    mimeType: maybe(fc.constantFrom('image/png', '')),
  },
  { requiredKeys: [] },
);

/** near-valid bodies: every field present or not, right or wrong */
const nearValid = (knownDialog: string, knownData: string) =>
  fc.record(
    {
      dialog_id: maybe(fc.oneof(hex24, fc.constant(knownDialog), fc.string({ maxLength: 30 }))),
      reference: maybe(fc.oneof(fc.string({ maxLength: 12 }), fc.constant('x'.repeat(600)))),
      dialog_title: maybe(fc.string({ maxLength: 20 })),
      timestamp: maybe(fc.oneof(fc.nat(), fc.double(), fc.constant(-1), fc.constant(9e15))),
      text: maybe(fc.string({ maxLength: 40 })),
      html: maybe(fc.string({ maxLength: 40 })),
      integration_data: maybe(fc.string({ maxLength: 20 })),
      attachments: maybe(fc.array(attachment, { maxLength: 3 })),
      contact_object: maybe(
        fc.record(
          {
            _id: maybe(fc.oneof(hex24, fc.string({ maxLength: 30 }))),
            name: maybe(fc.string({ maxLength: 20 })),
            description: maybe(fc.string({ maxLength: 20 })),
            contacts: maybe(fc.array(contactData, { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
      ),
      contacts_id: maybe(
        fc.array(
          fc.record(
            {
              id: maybe(fc.oneof(hex24, fc.constant(knownData), fc.string({ maxLength: 30 }))),
              value: maybe(fc.string({ maxLength: 10 })),
              service: maybe(fc.constantFrom('custom', 'mail')),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  );

/** a valid message, by reference, dialog id, contact object or contacts_id */
const validBody = (knownDialog: string, knownData: string) =>
  fc
    .record({
      reference: fc.option(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { nil: undefined }),
      dialog_id: fc.option(fc.constant(knownDialog), { nil: undefined, freq: 5 }),
      text: fc.string({ minLength: 1, maxLength: 40 }),
      contact: fc.oneof(
        fc.record({
          contact_object: fc.record({
            name: fc.string({ maxLength: 20 }),
            contacts: fc
              .tuple(
                fc.stringMatching(/^[a-z0-9]{1,8}$/),
                fc.option(fc.constantFrom('+79876543210', '89001234567')),
              )
              .map(([id, phone]) => [
                { type: 'id', value: id, service: 'custom' },
                ...(phone === null ? [] : [{ type: 'phone', value: phone, service: 'whatsapp' }]),
              ]),
          }),
        }),
        fc.constant({ contacts_id: [{ id: knownData }] }),
      ),
    })
    .map(({ contact, ...rest }) => ({ ...rest, ...contact }));

/** a valid body with a few fields broken, dropped or replaced by random JSON */
const mutated = (knownDialog: string, knownData: string) =>
  fc
    .tuple(
      validBody(knownDialog, knownData),
      fc.array(
        fc.tuple(
          fc.constantFrom(
            'text',
            'reference',
            'dialog_id',
            'contact_object',
            'contacts_id',
            'attachments',
            'html',
            'timestamp',
          ),
          fc.oneof(anyJson, fc.constant(undefined), fc.constant('')),
        ),
        { maxLength: 2 },
      ),
    )
    .chain(([body, mutations]) =>
      fc.tuple(
        fc.constant(body),
        fc.constant(mutations),
        fc.option(hex24, { freq: 3 }),
        fc.option(hex24, { freq: 3 }),
      ),
    )
    .map(([body, mutations, unknownDialog, unknownContact]) => {
      const result: Record<string, unknown> = { ...body };
      for (const [field, value] of mutations) result[field] = value;
      // ids that are well formed but name nothing: the lookups' 404s
      if (unknownDialog !== null) result.dialog_id = unknownDialog;
      const contact = result.contact_object as Record<string, unknown> | undefined;
      if (unknownContact !== null && typeof contact === 'object' && contact !== null) {
        result.contact_object = { ...contact, _id: unknownContact };
      }
      return result;
    });

/** Strings that broke, or could break, a store, a parser or a renderer. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    'x\udfffy',
    '\udbff\udbff',
    '\ud83d\ude00',
    '\u202eevil',
    '\u200b',
    '\ufeffbom',
    '\u0007\u001b[31mred\u001b[0m',
    '\ufffe\uffff',
    '\u2028\u2029',
    "'; DROP TABLE event_store.events; --",
    '\\u0000',
    '%00',
    '<script>alert(1)</script>',
    '{{7*7}}${7*7}',
    '𝕏'.repeat(300),
    ' ',
    'a'.repeat(513),
  ),
  // any UTF-16 code units: paired and lone surrogates, NUL, every control character
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 })
    .map((units) => String.fromCharCode(...units)),
);

/** Numbers at and past every limit, and JSON number tokens JavaScript cannot hold. */
const hostileNumber = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '-1',
    '0.5',
    '1700000000000.5',
    '253402300799999',
    '253402300800000',
    '8.64e15',
    '8640000000000001',
    '9007199254740993',
    '1e308',
    '-1e308',
    '5e-324',
    '1e400',
    '-1e400',
    '1E2',
    '123456789012345678901234567890',
  ),
  fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : '0')),
);

const STRING_FIELDS = [
  ['dialog_id'],
  ['reference'],
  ['dialog_title'],
  ['text'],
  ['html'],
  ['integration_data'],
  ['contact_object', 'name'],
  ['contact_object', 'description'],
  ['contact_object', 'contacts', '0', 'value'],
  ['contact_object', 'contacts', '0', 'type'],
  ['contact_object', 'contacts', '0', 'service'],
  ['contact_object', 'contacts', '0', 'origin'],
  ['contact_object', '_id'],
  ['attachments', '0', 'name'],
  ['attachments', '0', 'url'],
] as const;

const NUMBER_FIELDS = [['timestamp'], ['attachments', '0', 'size']] as const;

type Body = Record<string, unknown>;

const withAttachment = (body: Body): Body => ({
  ...body,
  attachments: [
    { url: 'https://cdn.example.com/a.png', size: 1, name: 'a.png', mimeType: 'image/png' },
  ],
});

/** `value` put at `path`, creating the objects on the way (a copy; `body` is kept). */
const setAt = (body: Body, path: readonly string[], value: unknown): Body => {
  const copy = JSON.parse(JSON.stringify(body)) as Body;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = /^\d+$/.test(key) ? [] : {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
  return copy;
};

/** JSON text of `levels` nested containers, objects and arrays in turn */
const nestedJson = (levels: number): string =>
  Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '{"x":' : '[')).join('') +
  '1' +
  Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '}' : ']'))
    .reverse()
    .join('');

/** the body's text with `member` (raw JSON text of a member) added first */
const withMember = (body: Body, member: string): string =>
  JSON.stringify(body).replace(/^\{/, `{${member}${Object.keys(body).length > 0 ? ',' : ''}`);

type Request = Readonly<{ text: string; contentType: string | null; kind: string }>;

const json =
  (kind: string) =>
  (text: string): Request => ({ text, contentType: 'application/json', kind });

/** Hostile requests built on a valid body, so that only the hostile part decides the answer. */
const hostile = (knownDialog: string, knownData: string): fc.Arbitrary<Request> => {
  const valid = validBody(knownDialog, knownData);
  return fc.oneof(
    fc
      .tuple(valid, fc.constantFrom(...STRING_FIELDS), hostileString)
      .map(([b, path, value]) =>
        json('hostile string')(JSON.stringify(setAt(withAttachment(b), path, value))),
      ),
    fc
      .tuple(valid, fc.constantFrom(...NUMBER_FIELDS), hostileNumber)
      .map(([b, path, token]) =>
        json('number at a limit')(
          JSON.stringify(setAt(withAttachment(b), path, '§NUMBER§')).replace('"§NUMBER§"', token),
        ),
      ),
    fc
      .tuple(valid, fc.constantFrom(2, 16, 31, 32, 33, 40, 1000, 5_000))
      .map(([b, levels]) =>
        json('deep nesting')(withMember(b, `"extra":${nestedJson(levels - 1)}`)),
      ),
    fc
      .tuple(
        valid,
        fc.constantFrom('text', 'reference', 'contact_object', 'timestamp'),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([b, field, value]) =>
        json('duplicate key')(withMember(b, `${JSON.stringify(field)}:${JSON.stringify(value)}`)),
      ),
    fc
      .tuple(
        valid,
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([b, name, value]) => {
        const member = `${JSON.stringify(name)}:${JSON.stringify(value)}`;
        const contact = (b as Body).contact_object;
        const inner = contact === undefined ? null : JSON.stringify(contact);
        return json('prototype names')(
          inner === null || name.length % 2 === 0
            ? withMember(b, member)
            : JSON.stringify(b).replace(inner, inner.replace(/^\{/, `{${member},`)),
        );
      }),
    fc
      .tuple(
        valid,
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/json; charset=nope',
          'application/merge-patch+json',
          'APPLICATION/JSON',
          null,
        ),
      )
      .map(([b, contentType]) => ({ text: JSON.stringify(b), contentType, kind: 'content type' })),
  );
};

/** SEED=<n> replays a run; without it every run tries another seed, printed. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
/** every this many requests, each 2xx so far must be applied by every projection */
const SETTLE_EVERY = 500;
const PROJECTIONS = [...allProjections, webhookOutboxProjection].map((p) => p.name);

describe('inbound endpoint under hostile, random and near-valid bodies', () => {
  // no attachment fetches: their outcomes are appended in the background, and this test counts
  // every event of the log around each refused request
  const parley = useTestParley({
    RATE_LIMIT_PER_SECOND: '0',
    MAX_BODY_BYTES: '65536',
    ATTACHMENT_FETCH_CONCURRENCY: '0',
  });
  let channel: TestChannel;
  let known: { dialog: string; data: string };
  beforeAll(async () => {
    channel = await createChannel(parley);
    const seed = await postMessage(parley, channel, {
      text: 'seed',
      contact_object: {
        name: 'Seed',
        contacts: [{ type: 'id', value: 'seed', service: 'custom' }],
      },
    });
    known = {
      dialog: seed.body.dialog_id as string,
      data: (seed.body.contacts as { id: string }[])[0]?.id as string,
    };
  });

  it(`${RUNS} bodies: never 5xx, only documented codes, nothing appended on a refusal, every 2xx applied`, async () => {
    // eslint-disable-next-line no-console
    console.info(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} bodies`);
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const kinds = new Map<string, number>();
    let sent = 0;
    let lastAccepted: string | null = null;
    const settle = async () => {
      if (lastAccepted === null) return;
      await waitForPosition(
        parley.deps.pool,
        parley.deps.store,
        lastAccepted as never,
        PROJECTIONS,
        20_000,
      );
    };
    const request: fc.Arbitrary<Request> = fc.oneof(
      {
        weight: 1,
        arbitrary: validBody(known.dialog, known.data).map((b) => json('valid')(JSON.stringify(b))),
      },
      {
        weight: 2,
        arbitrary: mutated(known.dialog, known.data).map((b) => json('mutated')(JSON.stringify(b))),
      },
      {
        weight: 4,
        arbitrary: nearValid(known.dialog, known.data).map((b) =>
          json('near-valid')(JSON.stringify(b)),
        ),
      },
      { weight: 12, arbitrary: hostile(known.dialog, known.data) },
      { weight: 2, arbitrary: anyJson.map((v) => json('any JSON')(JSON.stringify(v) ?? 'null')) },
      {
        weight: 2,
        arbitrary: fc.string({ maxLength: 30 }).map((s) => json('broken JSON')(`{${s}`)),
      },
      { weight: 1, arbitrary: fc.constant(json('too large')(`{"text":"${'x'.repeat(66_000)}"}`)) },
    );
    await fc.assert(
      fc.asyncProperty(
        request,
        // one body in five carries an Idempotency-Key, some of them reused or malformed
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.oneof(fc.stringMatching(/^k[0-9]{1,3}$/), fc.constant('bad key')),
          },
        ),
        async (input, key) => {
          const before = await eventCount(parley);
          const response = await parley.request(channel.path, {
            method: 'POST',
            headers: {
              ...(input.contentType === null ? {} : { 'content-type': input.contentType }),
              ...(key === null ? {} : { 'idempotency-key': key }),
            },
            body: input.text,
          });
          const text = await response.text();
          const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const code = response.status === 200 ? 'OK' : String(body.code);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          kinds.set(input.kind, (kinds.get(input.kind) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 300) {
            expect(DOCUMENTED.has(code)).toBe(true);
            expect(await eventCount(parley)).toBe(before);
          } else {
            expect(body).toEqual(
              expect.objectContaining({
                dialog_id: expect.any(String),
                message_id: expect.any(String),
                contact_id: expect.any(String),
              }),
            );
            lastAccepted = response.headers.get('x-parley-position') ?? lastAccepted;
          }
          if (++sent % SETTLE_EVERY === 0) await settle();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    await settle();
    expect(await readStuckEvents(parley.deps.pool)).toEqual([]);
    // eslint-disable-next-line no-console
    console.info(
      `fuzz seed ${SEED}: ${sent} bodies; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; codes ${JSON.stringify(Object.fromEntries(codes))}; kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
    // the generator reached both sides: accepted messages and many kinds of refusal
    expect(codes.get('OK') ?? 0).toBeGreaterThan(RUNS / 20);
    expect([...codes.keys()].filter((k) => k !== 'OK').length).toBeGreaterThanOrEqual(8);
  }, 300_000);
});
