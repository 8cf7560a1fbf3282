import type { EventMetadata, RecordedEvent } from '../../src/application/ports/eventStore';
import type { TestParley } from './parley';

export type TestChannel = Readonly<{
  channelId: string;
  token: string;
  tokenId: string;
  path: string;
}>;

/** A channel made through the admin API, with its token. */
export const createChannel = async (parley: TestParley, name = 'Avito'): Promise<TestChannel> => {
  const response = await parley.request('/api/channels', {
    method: 'POST',
    headers: { ...parley.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201)
    throw new Error(`channel not created: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string; token: { id: string; token: string } };
  return {
    channelId: body.id,
    token: body.token.token,
    tokenId: body.token.id,
    path: `/api/custom-channel/message/${body.id}?token=${encodeURIComponent(body.token.token)}`,
  };
};

export type Posted = Readonly<{ status: number; body: Record<string, unknown>; headers: Headers }>;

/** POSTs a message body (an object, or raw text) to a channel's endpoint. */
export const postMessage = async (
  parley: TestParley,
  channel: Pick<TestChannel, 'path'>,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Posted> => {
  const response = await parley.request(channel.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
};

/** A customer identified by custom data in this channel. */
export const customer = (id: string, extra: Record<string, unknown> = {}) => ({
  contact_object: {
    name: 'Vasya Pupkin',
    contacts: [{ type: 'id', value: id, service: 'custom', origin: 'custom' }],
    ...extra,
  },
});

/** Every event in the store: a 4xx must leave this number unchanged. */
export const eventCount = async (parley: TestParley): Promise<number> =>
  Number(
    (await parley.deps.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events'))
      .rows[0]?.n,
  );

export const eventsOf = async (parley: TestParley, streamId: string) =>
  (await parley.deps.store.readStream(streamId)).map((e) => ({
    type: e.type,
    data: e.data as Record<string, unknown>,
  }));

/** Every event of a type, in log order, read from the table and opened as the store would. */
export const eventsOfType = async (parley: TestParley, type: string) => {
  const { rows } = await parley.deps.pool.query<{
    id: string;
    stream_id: string;
    type: string;
    data: Record<string, unknown>;
    metadata: EventMetadata;
  }>(
    `SELECT event_id AS id, stream_id, event_type AS type, data, metadata FROM event_store.events
      WHERE event_type = $1 ORDER BY global_position`,
    [type],
  );
  const opened = await parley.deps.openStored(
    rows.map((r) => ({ ...r, streamId: r.stream_id }) as unknown as RecordedEvent),
  );
  return opened.map((e) => ({ stream_id: e.streamId, data: e.data as Record<string, unknown> }));
};

/** The codes SPEC §2 documents for the inbound endpoint, the seed's and ours. */
export const INBOUND_SPEC_CODES: readonly string[] = [
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
];
