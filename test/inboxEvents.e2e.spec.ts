import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createHttpApp } from '../src/infrastructure/http/app';
import { inboxEvents, STREAM_COOKIE } from '../src/infrastructure/http/routes/inboxEvents';
import { createLogger } from '../src/infrastructure/logger';
import { createChannel, customer, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator, reply } from './support/webhooks';

type Sse = Readonly<{ id: string | null; event: string; data: Record<string, unknown> }>;

/** An EventSource's view of a response: its events as they come, and how to stop reading. */
const readEvents = (response: Response) => {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: Sse[] = [];
  let ended = false;
  const pull = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let split: number;
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const data = field('data');
      if (data !== undefined)
        queue.push({
          id: field('id') ?? null,
          event: field('event') ?? 'message',
          data: JSON.parse(data),
        });
    }
  };
  return {
    /** the next event, waiting up to `timeoutMs` for it */
    next: async (timeoutMs = 10_000): Promise<Sse> => {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (ended) throw new Error('the stream ended');
        if (Date.now() > deadline) throw new Error('no event in time');
        await pull();
      }
      return queue.shift() as Sse;
    },
    /** resolves once the server ends the stream */
    ended: async (): Promise<void> => {
      while (!ended) await pull();
    },
    close: () => reader.cancel(),
  };
};

describe('the inbox event stream (Server-Sent Events from the log)', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  let operator: Awaited<ReturnType<typeof createOperator>>;
  let cookie: string;

  const ticket = async (auth: Record<string, string>) => {
    const response = await parley.request('/api/inbox/stream-ticket', {
      method: 'POST',
      headers: auth,
    });
    return { status: response.status, setCookie: response.headers.get('set-cookie') ?? '' };
  };
  const open = (headers: Record<string, string> = {}, query = '') =>
    parley.request(`/api/inbox/events${query}`, { headers: { cookie, ...headers } });

  beforeAll(async () => {
    channel = await createChannel(parley);
    operator = await createOperator(parley, 'Live Masha');
    const issued = await ticket(operator.auth);
    expect(issued.status).toBe(200);
    cookie = issued.setCookie.split(';')[0] as string;
  });

  it('issues its ticket only for a bearer token, as an HttpOnly, strict, path-scoped cookie', async () => {
    expect((await ticket({})).status).toBe(401);
    expect((await ticket({ authorization: 'Bearer nope' })).status).toBe(401);
    const { setCookie } = await ticket(operator.auth);
    expect(setCookie).toMatch(new RegExp(`^${STREAM_COOKIE}=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+;`));
    expect(setCookie.toLowerCase()).toContain('httponly');
    expect(setCookie.toLowerCase()).toContain('samesite=strict');
    expect(setCookie).toContain('path=/api/inbox/events');
  });

  it('refuses a stream without a valid ticket, and a bad last event id', async () => {
    const none = await parley.request('/api/inbox/events');
    expect([none.status, ((await none.json()) as { code: string }).code]).toEqual([
      401,
      'E_UNAUTHORIZED',
    ]);
    const forged = await parley.request('/api/inbox/events', {
      headers: { cookie: `${STREAM_COOKIE}=${'x'.repeat(20)}.${'y'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    const bearerOnly = await parley.request('/api/inbox/events', { headers: operator.auth });
    expect(bearerOnly.status).toBe(401);
    const bad = await open({ 'last-event-id': 'not a position' });
    expect(bad.status).toBe(400);
    const unknown = await open({}, '?since=1');
    expect(unknown.status).toBe(400);
  });

  it('pushes new dialogs, messages, replies, assignment and status, and resumes after a drop', async () => {
    const response = await open();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = readEvents(response);
    expect((await stream.next()).event).toBe('ready');

    const posted = await postMessage(parley, channel, {
      text: 'Is it live?',
      ...customer('live-1'),
    });
    const dialogId = posted.body.dialog_id as string;
    const opened = await stream.next();
    expect(opened).toMatchObject({
      event: 'dialog',
      data: { type: 'DialogOpened', dialog_id: dialogId },
    });
    expect(opened.id).toBe(opened.data.position);
    expect((await stream.next()).data).toMatchObject({
      type: 'MessageReceived',
      dialog_id: dialogId,
      message_id: posted.body.message_id,
    });
    const replyId = await reply(parley, operator.auth, dialogId, 'Yes.');
    const sent = await stream.next();
    expect(sent.data).toMatchObject({ type: 'MessageSent', message_id: replyId });
    await parley.request(`/api/dialogs/${dialogId}/assignee`, {
      method: 'PUT',
      headers: { ...operator.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ operator_id: operator.id }),
    });
    expect((await stream.next()).data).toMatchObject({ type: 'DialogAssigned' });
    await stream.close();

    // while nobody listens: a close and a new message
    await parley.request(`/api/dialogs/${dialogId}/close`, {
      method: 'POST',
      headers: operator.auth,
    });
    const again = await postMessage(parley, channel, {
      text: 'Still there?',
      ...customer('live-1'),
    });
    const resumed = readEvents(await open({ 'last-event-id': sent.id as string }));
    expect((await resumed.next()).event).toBe('ready');
    const types: string[] = [];
    for (let i = 0; i < 4; i++) types.push((await resumed.next()).data.type as string);
    // after the reply: the assignment, the close, then the customer's new dialog
    expect(types).toEqual([
      'DialogAssigned',
      'DialogStatusChanged',
      'DialogOpened',
      'MessageReceived',
    ]);
    await resumed.close();

    // the same from the query parameter, for a new EventSource after a failed one
    const byQuery = readEvents(
      await open({}, `?last_event_id=${encodeURIComponent(sent.id as string)}`),
    );
    await byQuery.next();
    expect((await byQuery.next()).data.type).toBe('DialogAssigned');
    await byQuery.close();
    expect(again.status).toBe(200);
  });

  it('ends a connection when its ticket expires', async () => {
    const events = inboxEvents(parley.deps, { ticketTtlMs: 400 });
    const app = createHttpApp({ logger: createLogger('silent'), routers: [events.router] });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const issued = await fetch(`${url}/api/inbox/stream-ticket`, {
        method: 'POST',
        headers: operator.auth,
      });
      const shortCookie = (issued.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const response = await fetch(`${url}/api/inbox/events`, { headers: { cookie: shortCookie } });
      expect(response.status).toBe(200);
      const stream = readEvents(response);
      expect((await stream.next()).event).toBe('ready');
      await stream.ended();
      const expired = await fetch(`${url}/api/inbox/events`, { headers: { cookie: shortCookie } });
      expect(expired.status).toBe(401);
    } finally {
      await events.closeAll();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
