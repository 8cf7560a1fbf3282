import { createChannel, customer, postMessage } from './support/inbound';
import {
  createOperator,
  eventually,
  jsonRequest,
  subscribe,
  useWebhookWorld,
} from './support/webhooks';

type Trace = {
  correlation_id: string;
  request: {
    actor: Record<string, string>;
    channel_id: string | null;
    route: string | null;
    idempotency_key: string | null;
    at: string;
  } | null;
  replay_of: { correlation_id: string; trace: string } | null;
  replays: { correlation_id: string }[];
  events: { type: string; stream: string; correlation_id: string; summary: string }[];
  deliveries: {
    event_type: string;
    status: string;
    attempts: {
      attempt: number;
      status_code: number | null;
      latency_ms: number;
      started_at: string;
      outcome: string;
    }[];
  }[];
};

/** SPEC §7: one request followed to the events it appended and the webhooks they caused. */
describe('the causal trace of a request', () => {
  const world = useWebhookWorld({
    WEBHOOK_RETRY_SCHEDULE: '0,30ms,30ms',
    WEBHOOK_TIMEOUT_MS: '2000',
  });

  const trace = async (correlationId: string, headers = world.parley.admin) =>
    world.parley.request(`/api/audit/correlations/${correlationId}`, { headers });

  it('shows an inbound request, its events and every delivery attempt, the failed first one too', async () => {
    const { parley, receiver } = world;
    const channel = await createChannel(parley);
    await subscribe(parley, receiver, ['dialog.created', 'message.created']);
    // the first attempt of every delivery fails, the second succeeds
    receiver.answer = ({ attempt }) =>
      attempt === 1 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' };

    const posted = await postMessage(
      parley,
      channel,
      { ...customer('trace-1'), text: 'hello' },
      { 'x-request-id': 'trace-request-1', 'idempotency-key': 'trace-key-1' },
    );
    expect(posted.status).toBe(200);
    expect(posted.headers.get('x-request-id')).toBe('trace-request-1');

    const found = await eventually(async () => {
      const response = await trace('trace-request-1');
      expect(response.status).toBe(200);
      const body = (await response.json()) as Trace;
      expect(body.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      return body;
    });
    expect(found.request).toEqual({
      actor: { type: 'integration', channelId: channel.channelId },
      channel_id: channel.channelId,
      route: 'POST /api/custom-channel/message/:channelId',
      idempotency_key: 'trace-key-1',
      at: expect.any(String),
    });
    expect(found.events.map((e) => e.type)).toEqual([
      'ContactKeyClaimed',
      'ContactDataRegistered',
      'ContactCreated',
      'ContactDataAdded',
      'DialogOpened',
      'MessageReceived',
      'IdempotentRequestRecorded',
    ]);
    expect(new Set(found.events.map((e) => e.correlation_id))).toEqual(
      new Set(['trace-request-1']),
    );
    expect(found.deliveries.map((d) => d.event_type).sort()).toEqual([
      'dialog.created',
      'message.created',
    ]);
    for (const delivery of found.deliveries) {
      expect(delivery.attempts.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
        [1, 503, 'retry'],
        [2, 200, 'delivered'],
      ]);
      for (const a of delivery.attempts) {
        expect(a.latency_ms).toBeGreaterThanOrEqual(0);
        expect(Date.parse(a.started_at)).toBeGreaterThanOrEqual(
          Date.parse(String(found.request?.at)),
        );
      }
    }

    // the same key and body again: a replay, which appends nothing and links to the original
    const replayed = await postMessage(
      parley,
      channel,
      { ...customer('trace-1'), text: 'hello' },
      { 'x-request-id': 'trace-request-2', 'idempotency-key': 'trace-key-1' },
    );
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('link')).toBe(
      '</api/audit/correlations/trace-request-1>; rel="original-request"',
    );
    const replay = (await (await trace('trace-request-2')).json()) as Trace;
    expect(replay).toMatchObject({
      request: {
        route: 'POST /api/custom-channel/message/:channelId',
        idempotency_key: 'trace-key-1',
        channel_id: channel.channelId,
      },
      replay_of: {
        correlation_id: 'trace-request-1',
        trace: '/api/audit/correlations/trace-request-1',
      },
      events: [],
      deliveries: [],
    });
    const original = (await (await trace('trace-request-1')).json()) as Trace;
    expect(original.replays.map((r) => r.correlation_id)).toEqual(['trace-request-2']);
  });

  it('records the route and actor of an operator’s command', async () => {
    const { parley } = world;
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, { ...customer('trace-2'), text: 'hi' });
    const operator = await createOperator(parley, 'Masha');
    const closed = await parley.request(`/api/dialogs/${String(posted.body.dialog_id)}/close`, {
      ...jsonRequest('POST', operator.auth),
      headers: { ...operator.auth, 'x-request-id': 'trace-close-1' },
    });
    expect(closed.status).toBe(200);
    const body = (await (await trace('trace-close-1')).json()) as Trace;
    expect(body.request).toMatchObject({
      actor: { type: 'operator', operatorId: operator.id },
      route: 'POST /api/dialogs/:id/close',
      idempotency_key: null,
    });
    expect(body.events.map((e) => e.summary)).toEqual(['Operator Masha closed the dialog.']);
  });

  it('answers 404 for a request that appended nothing, and only to the admin and auditors', async () => {
    const { parley } = world;
    const refused = await parley.request('/api/dialogs/nope', {
      headers: { ...parley.admin, 'x-request-id': 'trace-nothing' },
    });
    expect(refused.headers.get('x-request-id')).toBe('trace-nothing');
    const unauthorized = await parley.request('/api/dialogs', {
      headers: { 'x-request-id': 'trace-unauth' },
    });
    expect([unauthorized.status, unauthorized.headers.get('x-request-id')]).toEqual([
      401,
      'trace-unauth',
    ]);
    for (const id of ['trace-nothing', 'no%20such']) {
      const response = await trace(id);
      expect([id, response.status, ((await response.json()) as { code: string }).code]).toEqual([
        id,
        404,
        'E_NOT_FOUND',
      ]);
    }
    const operator = await createOperator(parley, 'Petya');
    const forbidden = await trace('trace-request-1', operator.auth);
    expect(forbidden.status).toBe(403);
  });
});
