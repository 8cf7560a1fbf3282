import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Checkpoint, RecordedEvent } from '../../../application/ports/eventStore';
import { streamCategories } from '../../../application/streams';
import { attachmentEventTypes } from '../../../domain/attachment/events';
import { dialogEventTypes } from '../../../domain/dialog/events';
import { readCheckpoint } from '../../../projections/checkpoints';
import * as t from 'io-ts';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { text } from '../codecs/media';
import { streamTicketAnswer } from '../codecs/operationAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { streamTickets, type StaffActor } from '../inbox/streamTicket';

export const STREAM_COOKIE = 'parley_inbox_stream';
const STREAM_PATH = '/api/inbox/events';

export const streamTicketContract: RouteContract = {
  method: 'post',
  path: '/api/inbox/stream-ticket',
  tags: ['inbox'],
  summary: 'A short-lived ticket to GET /api/inbox/events, set as an HttpOnly cookie',
  description:
    'EventSource cannot send Authorization: the inbox trades its bearer token for a ticket in the cookie `parley_inbox_stream` (HttpOnly, SameSite=Strict, Path=/api/inbox/events, 2 minutes) and renews it every minute.',
  security: 'bearer',
  response: {
    status: 200,
    description: 'the ticket is in Set-Cookie',
    codec: streamTicketAnswer,
    headers: { 'Set-Cookie': { schema: { type: 'string' } } },
  },
  errors: ['E_UNAUTHORIZED'],
  errorNotes: { 401: 'no or a wrong bearer token' },
};

/** The query the stream takes; the route reads it itself (a header may say the same). */
const eventsQuery = t.partial({ last_event_id: t.string });

export const inboxEventsContract: RouteContract = {
  method: 'get',
  path: STREAM_PATH,
  tags: ['inbox'],
  summary: 'Server-Sent Events of dialog changes, from the event log',
  description:
    "Authenticated by the `parley_inbox_stream` cookie. First `event: ready` with `{position}` (read the dialog list with `min_position` = it), then `event: dialog` with `{type, dialog_id, message_id?, position}` for DialogOpened, DialogTitleChanged, DialogReopened, DialogStatusChanged, DialogAssigned, MessageReceived and MessageSent, and for an attachment's outcome (AttachmentStored, AttachmentFetchFailed; `dialog_id` and `message_id` say where it belongs). Each event's `id` is its position: a reconnect with `Last-Event-ID` (or `last_event_id`) resumes after it. A connection ends when its ticket expires; EventSource reconnects.",
  query: {
    codec: eventsQuery,
    notes: { last_event_id: 'resume after this event id (the Last-Event-ID header does the same)' },
  },
  response: { status: 200, description: 'the stream', media: { 'text/event-stream': text } },
  errors: ['E_VALIDATION', 'E_UNAUTHORIZED'],
  errorNotes: {
    400: 'an unknown parameter or a bad last event id',
    401: 'no valid stream ticket',
  },
};

/**
 * The inbox shows every dialog event live (new dialogs and messages, assignment, status, title),
 * and each attachment's outcome (kept, or given up on), which lands on a stream of its own.
 */
export const LIVE_EVENT_TYPES = [...dialogEventTypes, ...attachmentEventTypes];

export type InboxEventOptions = Readonly<{
  /** how long a stream ticket (and so one connection) lasts; the inbox renews it at half */
  ticketTtlMs: number;
  /** a comment line this often keeps proxies from closing an idle stream */
  heartbeatMs: number;
  /** a client this far behind is cut off; it reconnects from its Last-Event-ID */
  maxBufferedBytes: number;
}>;

const DEFAULTS: InboxEventOptions = {
  ticketTtlMs: 120_000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1 << 20,
};

/** The inbox's live feed and the ones open now, so that shutdown can end them first. */
export type InboxEvents = Readonly<{ router: Router; closeAll(): Promise<void> }>;

const frame = (fields: Readonly<{ id?: string; event?: string; data: unknown }>): string =>
  `${fields.id === undefined ? '' : `id: ${fields.id}\n`}${
    fields.event === undefined ? '' : `event: ${fields.event}\n`
  }data: ${JSON.stringify(fields.data)}\n\n`;

/** What the inbox needs to know to refetch: which dialog, what happened, and from where. */
const liveJson = (event: RecordedEvent) => {
  const data = event.data as { dialogId?: string; messageId?: string };
  return {
    type: event.type,
    dialog_id: data.dialogId ?? null,
    ...(data.messageId === undefined ? {} : { message_id: data.messageId }),
    position: event.checkpoint,
  };
};

/** What the live feed uses, and nothing more: tickets are keyed with the admin token's hash. */
export type InboxEventsDeps = StaffAuthDeps & Pick<ParleyDeps, 'clock' | 'pool' | 'store'>;

/**
 * POST /api/inbox/stream-ticket and GET /api/inbox/events: Server-Sent Events of dialog changes,
 * read from the event log (a subscription, not a read model), for the web inbox.
 * docs/integration.md ("The inbox's live feed") explains the ticket cookie.
 */
export const inboxEvents = (
  deps: InboxEventsDeps,
  options: Partial<InboxEventOptions> = {},
): InboxEvents => {
  const { ticketTtlMs, heartbeatMs, maxBufferedBytes } = { ...DEFAULTS, ...options };
  const tickets = streamTickets(deps.adminTokenHash, ticketTtlMs);
  const open = new Set<() => Promise<void>>();
  const router = new Router<StaffState>();

  serve(
    router,
    streamTicketContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    (ctx) => {
      const { ticket, expiresAtMs } = tickets.issue(
        ctx.state.actor as StaffActor,
        deps.clock.now().getTime(),
      );
      ctx.cookies.set(STREAM_COOKIE, ticket, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.secure,
        path: STREAM_PATH,
        maxAge: ticketTtlMs,
        overwrite: true,
      });
      const answer: t.TypeOf<typeof streamTicketAnswer> = {
        expires_at: new Date(expiresAtMs).toISOString(),
      };
      ctx.body = answer;
    },
  );

  const startOf = async (ctx: Context): Promise<Checkpoint | null> => {
    const given = ctx.get('last-event-id') || ctx.query.last_event_id;
    if (given === undefined || given === '') {
      // where the dialog list the inbox loads next stands: nothing after it is missed
      return (await readCheckpoint(deps.pool, 'dialogs'))?.checkpoint ?? null;
    }
    try {
      if (typeof given !== 'string') throw new Error('repeated');
      deps.store.compareCheckpoints(given as Checkpoint, null);
      return given as Checkpoint;
    } catch {
      throw new HttpError('E_VALIDATION', 'the query parameters are not valid', [
        { path: 'last_event_id', message: 'expected the id of an event of this stream' },
      ]);
    }
  };

  serve(router, inboxEventsContract, async (ctx) => {
    const unknown = Object.keys(ctx.query).filter((name) => !(name in eventsQuery.props));
    if (unknown.length > 0) {
      throw new HttpError(
        'E_VALIDATION',
        'the query parameters are not valid',
        unknown.map((path) => ({ path, message: 'is not a parameter of this endpoint' })),
      );
    }
    const admitted = tickets.verify(
      ctx.cookies.get(STREAM_COOKIE) ?? '',
      deps.clock.now().getTime(),
    );
    if (admitted === null) {
      throw new HttpError(
        'E_UNAUTHORIZED',
        'no valid stream ticket: POST /api/inbox/stream-ticket with your bearer token first',
      );
    }
    const from = await startOf(ctx);
    const subscription = deps.store.subscribeToAll({
      from,
      streamPrefixes: [streamCategories.dialog, streamCategories.attachment],
      eventTypes: LIVE_EVENT_TYPES,
    });
    const out = new PassThrough();
    let ended = false;
    const timers: NodeJS.Timeout[] = [];
    const end = async (): Promise<void> => {
      if (ended) return;
      ended = true;
      open.delete(end);
      for (const timer of timers) clearTimeout(timer);
      out.end();
      await subscription.unsubscribe().catch(() => undefined);
    };
    open.add(end);
    ctx.req.socket.setTimeout(0);
    ctx.req.on('close', () => void end());
    // the ticket's actor may lose access: a connection lasts no longer than its ticket
    timers.push(setTimeout(() => void end(), admitted.expiresAtMs - deps.clock.now().getTime()));
    timers.push(setInterval(() => out.write(': keep-alive\n\n'), heartbeatMs));

    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = out;
    out.write(`retry: 1000\n\n`);
    out.write(
      frame({ ...(from === null ? {} : { id: from }), event: 'ready', data: { position: from } }),
    );

    void (async () => {
      try {
        for await (const item of subscription) {
          if (ended) break;
          if (item.type !== 'event') continue;
          out.write(
            frame({ id: item.event.checkpoint, event: 'dialog', data: liveJson(item.event) }),
          );
          if (out.writableLength > maxBufferedBytes) break;
        }
      } catch (error) {
        ctx.state.log?.warn({ err: error }, 'inbox event stream stopped; the client reconnects');
      } finally {
        await end();
      }
    })();
  });

  return {
    router: router as unknown as Router,
    closeAll: async () => {
      await Promise.all([...open].map((end) => end()));
    },
  };
};
