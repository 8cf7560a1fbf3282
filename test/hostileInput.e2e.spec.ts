import { bodyOf } from './support/http';
import {
  createChannel,
  customer,
  eventCount,
  postMessage,
  type TestChannel,
} from './support/inbound';
import { useTestParley } from './support/parley';

/**
 * SPEC §2 "What is storable is what is accepted": strings no store can keep, times outside the
 * documented range and bodies nested too deeply are 400 E_VALIDATION with the JSON path, and
 * append nothing; ids in paths that cannot name anything are the route's not-found answer.
 * Each case here answered 500 (or stalled a read model) before the rule existed.
 */
const UNSTORABLE = {
  NUL: 'a\u0000b',
  'lone high surrogate': '\ud800',
  'lone low surrogate': 'x\udfffy',
} as const;

type Answer = Readonly<{ status: number; body: Record<string, unknown> }>;

const pathsOf = (answer: Answer): string[] =>
  ((answer.body.details as { path: string }[] | undefined) ?? []).map((d) => d.path);

/** a valid message with `value` put at `path` (dots; numbers index arrays) */
const messageWith = (path: string, value: unknown): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    reference: 'hostile',
    dialog_title: 'Sofa',
    text: 'hello',
    html: '<p>hello</p>',
    integration_data: '{"chat":1}',
    attachments: [
      { url: 'https://cdn.example.com/a.jpg', size: 1, name: 'a.jpg', mimeType: 'image/jpeg' },
    ],
    contact_object: {
      name: 'Vasya',
      description: 'regular',
      contacts: [{ type: 'id', value: 'hostile-1', service: 'custom', origin: 'custom' }],
    },
  };
  if (path.startsWith('contacts_id')) {
    delete body.contact_object;
    body.contacts_id = [{ id: '5c52bf6f3e308a00367a7fae', value: 'v' }];
  }
  const keys = path.split('.');
  let at = body as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1] as string] = value;
  return body;
};

const STRING_FIELDS = [
  'dialog_id',
  'reference',
  'dialog_title',
  'text',
  'html',
  'integration_data',
  'attachments.0.url',
  'attachments.0.name',
  'attachments.0.mimeType',
  'contact_object._id',
  'contact_object.name',
  'contact_object.description',
  'contact_object.contacts.0.id',
  'contact_object.contacts.0.type',
  'contact_object.contacts.0.value',
  'contact_object.contacts.0.service',
  'contact_object.contacts.0.origin',
  'contacts_id.0.id',
  'contacts_id.0.value',
];

/** JSON text of `levels` nested containers, objects and arrays in turn, around a string */
const nestedJson = (levels: number): string =>
  Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '{"x":' : '[')).join('') +
  '"bottom"' +
  Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '}' : ']'))
    .reverse()
    .join('');

/** a message whose body nests `levels` deep in all (the body itself is the first level) */
const messageNested = (levels: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...messageWith('text', 'deep'), ...extra, extra: 0 }).replace(
    '"extra":0',
    `"extra":${nestedJson(levels - 1)}`,
  );

describe('hostile input', () => {
  const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '0' });
  let channel: TestChannel;
  let position = '';

  beforeAll(async () => {
    channel = await createChannel(parley);
  });

  /** answered `status code`, with `path` in details when given, and nothing appended */
  const refuses = async (
    send: () => Promise<Answer>,
    status: number,
    code: string,
    path?: string,
  ): Promise<Answer> => {
    const before = await eventCount(parley);
    const answer = await send();
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
    if (path !== undefined) expect(pathsOf(answer)).toContain(path);
    expect(await eventCount(parley)).toBe(before);
    return answer;
  };

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    postMessage(parley, channel, body, headers);

  const accepted = async (body: unknown): Promise<Record<string, unknown>> => {
    const answer = await post(body);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: expect.objectContaining({ dialog_id: expect.any(String) }),
    });
    position = answer.headers.get('x-parley-position') ?? '';
    return answer.body;
  };

  const staff = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await parley.request(path, {
      method,
      headers: {
        ...parley.admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await bodyOf(response) };
  };

  /** a read after the latest accepted write: the read models applied it */
  const read = (path: string) =>
    staff(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}min_position=${encodeURIComponent(position)}`,
    );

  describe('strings no store can keep, in every string field of the inbound body', () => {
    for (const field of STRING_FIELDS) {
      for (const [what, value] of Object.entries(UNSTORABLE)) {
        it(`${field} with a ${what}: 400 E_VALIDATION at ${field}`, () =>
          refuses(() => post(messageWith(field, value)), 400, 'E_VALIDATION', field));
      }
    }

    it('a member name with a NUL, even one Parley ignores: 400 E_VALIDATION', () =>
      refuses(
        () => post({ ...messageWith('text', 'hi'), 'extra\u0000': 1 }),
        400,
        'E_VALIDATION',
        'extra\u0000',
      ));

    it('the well-formed messages around them are accepted (the cases above differ by one string)', async () => {
      await accepted(messageWith('reference', 'hostile-ok'));
      // a surrogate pair is a well-formed character, not a lone surrogate
      await accepted(messageWith('text', 'emoji \ud83d\ude00'));
    });
  });

  describe('dialog_id', () => {
    it('with a NUL: 400 E_VALIDATION, not a 500 from reading the stream', async () => {
      await refuses(
        () => post(messageWith('dialog_id', '\u0000')),
        400,
        'E_VALIDATION',
        'dialog_id',
      );
      await refuses(
        () => post(messageWith('dialog_id', 'a\u0000b')),
        400,
        'E_VALIDATION',
        'dialog_id',
      );
    });

    it('storable but malformed: still names no dialog, 404 E_DIALOG_NOT_FOUND', () =>
      refuses(() => post(messageWith('dialog_id', 'not-an-id')), 404, 'E_DIALOG_NOT_FOUND'));
  });

  describe('other control characters', () => {
    it('are stored and served back exactly as received', async () => {
      const text =
        'bell\u0007 esc\u001b[31m del\u007f nel\u0085 ls\u2028 tab\t cr\r\n nonchar\ufffe';
      const title = 'title\u0001\u001f';
      const sent = await accepted({ text, dialog_title: title, ...customer('controls') });
      const messages = await read(`/api/dialogs/${sent.dialog_id as string}/messages`);
      expect(messages.status).toBe(200);
      expect((messages.body.items as { text: string }[])[0]?.text).toBe(text);
      const dialog = await read(`/api/dialogs/${sent.dialog_id as string}`);
      expect(dialog.body.title).toBe(title);
    });
  });

  describe('timestamp', () => {
    it.each([
      ['year 10000', 253402300800000],
      ['the largest Date', 8.64e15],
      ['before 1970', -1],
      ['past every number', '1e400'],
    ])('%s: 400 E_VALIDATION at timestamp', (_, value) =>
      refuses(
        () =>
          post(
            typeof value === 'string'
              ? JSON.stringify(messageWith('timestamp', 0)).replace(
                  '"timestamp":0',
                  `"timestamp":${value}`,
                )
              : messageWith('timestamp', value),
          ),
        400,
        'E_VALIDATION',
        'timestamp',
      ),
    );

    it('the first and last millisecond of the range are accepted and applied by every read model', async () => {
      const last = await accepted({
        text: 'last',
        timestamp: 253402300799999,
        ...customer('range-last'),
      });
      const first = await accepted({ text: 'first', timestamp: 0, ...customer('range-first') });
      for (const [sent, createdAt] of [
        [last, '9999-12-31T23:59:59.999Z'],
        [first, '1970-01-01T00:00:00.000Z'],
      ] as const) {
        const messages = await read(`/api/dialogs/${sent.dialog_id as string}/messages`);
        expect(messages.status).toBe(200);
        expect((messages.body.items as { created_at: string }[])[0]?.created_at).toBe(createdAt);
      }
      // the dialogs read model kept moving: a later write is readable at once
      await accepted({ text: 'after', ...customer('range-after') });
      expect((await read('/api/dialogs')).status).toBe(200);
    });

    it('fractional milliseconds are truncated, as JavaScript Date truncates them', async () => {
      const sent = await accepted({
        text: 'frac',
        timestamp: 1700000000123.9,
        ...customer('frac'),
      });
      const messages = await read(`/api/dialogs/${sent.dialog_id as string}/messages`);
      expect((messages.body.items as { created_at: string }[])[0]?.created_at).toBe(
        '2023-11-14T22:13:20.123Z',
      );
    });
  });

  describe('JSON depth', () => {
    it('10,000 levels with an Idempotency-Key: 400 E_VALIDATION, not a stack overflow', () =>
      refuses(
        () => post(messageNested(10_000), { 'Idempotency-Key': 'deep-1' }),
        400,
        'E_VALIDATION',
      ));

    it('10,000 levels without a key: the same answer', () =>
      refuses(() => post(messageNested(10_000)), 400, 'E_VALIDATION'));

    it('32 levels are accepted, 33 are not', async () => {
      await accepted(messageNested(32, { reference: 'depth-32' }));
      const refused = await refuses(() => post(messageNested(33)), 400, 'E_VALIDATION');
      expect(JSON.stringify(refused.body.details)).toMatch(/deeper than 32 levels/);
    });

    it('the depth limit holds on staff endpoints too', () =>
      refuses(
        async () => {
          const response = await parley.request('/api/channels', {
            method: 'POST',
            headers: { ...parley.admin, 'content-type': 'application/json' },
            body: `{"name":"x","extra":${nestedJson(40)}}`,
          });
          return { status: response.status, body: await bodyOf(response) };
        },
        400,
        'E_VALIDATION',
      ));
  });

  describe('staff endpoints', () => {
    it.each([
      ['a channel name', 'POST', '/api/channels', { name: 'Avito\u0000' }, 'name'],
      ['an operator name', 'POST', '/api/operators', { name: '\ud800' }, 'name'],
      [
        'a webhook URL',
        'POST',
        '/api/webhooks',
        { url: 'https://example.com/\udfff', events: ['message.created'] },
        'url',
      ],
    ])('%s that no store can keep: 400 E_VALIDATION', (_, method, path, body, field) =>
      refuses(() => staff(method, path, body), 400, 'E_VALIDATION', field),
    );

    it('a channel rename and an operator reply that no store can keep: 400 E_VALIDATION', async () => {
      await refuses(
        () => staff('PATCH', `/api/channels/${channel.channelId}`, { name: 'x\u0000' }),
        400,
        'E_VALIDATION',
        'name',
      );
      const sent = await accepted({ text: 'reply to me', ...customer('reply-target') });
      await refuses(
        () =>
          staff('POST', `/api/dialogs/${sent.dialog_id as string}/messages`, { text: '\ud800' }),
        400,
        'E_VALIDATION',
        'text',
      );
    });

    it.each([
      ['/api/dialogs?reference=a%00b', 'reference'],
      ['/api/dialogs?status=open%00', 'status'],
      ['/api/contacts/search?q=vasya%00', 'q'],
      ['/api/dialogs?updated_since=%2B010000-01-01T00:00:00Z', 'updated_since'],
    ])('query %s: 400 E_VALIDATION at %s', (path, parameter) =>
      refuses(() => staff('GET', path), 400, 'E_VALIDATION', parameter),
    );
  });

  describe('ids in paths that cannot name anything', () => {
    it.each([
      ['GET', '/api/dialogs/%00', 'E_DIALOG_NOT_FOUND'],
      ['GET', '/api/dialogs/a%00b/messages', 'E_DIALOG_NOT_FOUND'],
      ['POST', '/api/dialogs/%00/close', 'E_DIALOG_NOT_FOUND'],
      ['GET', '/api/contacts/%00', 'E_CONTACT_NOT_FOUND'],
      ['DELETE', '/api/contacts/%00', 'E_CONTACT_NOT_FOUND'],
      ['GET', '/api/channels/%00', 'E_CHANNEL_NOT_FOUND'],
      ['DELETE', '/api/channels/%00', 'E_CHANNEL_NOT_FOUND'],
      ['POST', '/api/channels/%00/tokens', 'E_CHANNEL_NOT_FOUND'],
      ['GET', '/api/operators/%00', 'E_OPERATOR_NOT_FOUND'],
      ['GET', '/api/webhooks/%00', 'E_WEBHOOK_NOT_FOUND'],
      ['GET', '/api/webhooks/%00/deliveries', 'E_WEBHOOK_NOT_FOUND'],
      ['GET', '/api/dialogs/%ED%A0%80', 'E_DIALOG_NOT_FOUND'],
    ])('%s %s: %s', (method, path, code) => refuses(() => staff(method, path), 404, code));

    it('a token id with a NUL: 404 E_TOKEN_NOT_FOUND', () =>
      refuses(
        () => staff('DELETE', `/api/channels/${channel.channelId}/tokens/a%00b`),
        404,
        'E_TOKEN_NOT_FOUND',
      ));

    it('a channel id with a NUL on the inbound endpoint: 401 E_INVALID_TOKEN (no such channel)', () =>
      refuses(
        () =>
          postMessage(
            parley,
            { path: `/api/custom-channel/message/a%00b?token=x` },
            messageWith('text', 'x'),
          ),
        401,
        'E_INVALID_TOKEN',
      ));
  });

  describe('what the inbound endpoint answers off its route', () => {
    it.each([
      ['GET', (c: TestChannel) => c.path],
      ['PUT', (c: TestChannel) => c.path],
      ['POST', (c: TestChannel) => `/api/custom-channel/messages/${c.channelId}`],
    ])('%s off the route: 404 E_NOT_FOUND', async (method, pathOf) => {
      const response = await parley.request(pathOf(channel), { method });
      expect({ status: response.status, code: (await bodyOf(response)).code }).toEqual({
        status: 404,
        code: 'E_NOT_FOUND',
      });
    });
  });
});
