import fc from 'fast-check';
import { createChannel, eventCount, postMessage, type TestChannel } from '../support/inbound';
import { useTestParley } from '../support/parley';

/** The codes SPEC §2 documents for the inbound endpoint. */
const DOCUMENTED = new Set([
  'E_CONTACT_INFO_REQUIRED',
  'E_CUSTOM_CONTACTS_REQUIRED',
  'E_CONTACTS_VALUE_REQUIRED',
  'E_MALFORMED_CONTACT_ID',
  'E_INVALID_TOKEN',
  'E_CHANNEL_NOT_ENABLED',
  'E_CHANNEL_DELETED',
  'E_CONTACT_NOT_FOUND',
  'E_CONTACT_DELETED',
  'E_DIALOG_NOT_FOUND',
  'E_MALFORMED_JSON',
  'E_VALIDATION',
  'E_CONTACT_INFO_CONFLICT',
  'E_MESSAGE_EMPTY',
  'E_IDEMPOTENCY_CONFLICT',
  'E_PAYLOAD_TOO_LARGE',
  'E_UNSUPPORTED_MEDIA_TYPE',
  'E_RATE_LIMITED',
  'E_UNAVAILABLE',
]);

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

describe('inbound endpoint under random and near-valid bodies', () => {
  const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '0', MAX_BODY_BYTES: '4096' });
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

  it('never answers 5xx, answers only documented codes, and appends nothing on a 4xx', async () => {
    const outcomes = new Map<string, number>();
    const body = fc.oneof(
      { weight: 4, arbitrary: validBody(known.dialog, known.data) },
      { weight: 4, arbitrary: mutated(known.dialog, known.data) },
      { weight: 3, arbitrary: nearValid(known.dialog, known.data) },
      { weight: 1, arbitrary: anyJson },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => ({ raw: `{${s}` })) },
      { weight: 1, arbitrary: fc.constant({ raw: 'x'.repeat(5000) }) },
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.option(fc.oneof(fc.stringMatching(/^k[0-9]{1,2}$/), fc.constant('bad key')), {
          freq: 4,
        }),
        async (input, key) => {
          const before = await eventCount(parley);
          const raw =
            typeof input === 'object' && input !== null && 'raw' in input
              ? String(input.raw)
              : undefined;
          const response = await postMessage(
            parley,
            channel,
            raw ?? JSON.stringify(input),
            key === null ? {} : { 'Idempotency-Key': key },
          );
          const code = response.status === 200 ? 'OK' : String(response.body.code);
          outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(DOCUMENTED.has(code)).toBe(true);
            expect(await eventCount(parley)).toBe(before);
          } else {
            expect(response.body).toEqual(
              expect.objectContaining({
                dialog_id: expect.any(String),
                message_id: expect.any(String),
                contact_id: expect.any(String),
              }),
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
    // eslint-disable-next-line no-console
    console.info(`fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    // the generator reached both sides: accepted messages and many kinds of refusal
    expect(outcomes.get('OK') ?? 0).toBeGreaterThan(100);
    expect([...outcomes.keys()].filter((k) => k !== 'OK').length).toBeGreaterThanOrEqual(8);
  }, 300_000);
});
