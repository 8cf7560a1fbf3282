import Router from '@koa/router';
import * as t from 'io-ts';
import type { Context, Middleware, Next } from 'koa';
import type { Cut } from '../../../application/audit/asOf';
import { channelAsOf, nameAsOf } from '../../../application/audit/asOf';
import { contactAsOf } from '../../../application/audit/contactAsOf';
import { dialogAsOf } from '../../../application/audit/dialogAsOf';
import type { Checkpoint } from '../../../application/ports/eventStore';
import { isObjectId } from '../../../domain/shared/ids';
import type { DialogView } from '../../../projections/dialogs/dialogQueries';
import { messagePreview } from '../../../projections/dialogs/messagePreview';
import { safeHtml } from '../../../projections/dialogs/safeHtml';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { bigintString, isoDate } from '../codecs';
import { routerPath, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { cursorParam, decodeQuery, intParam, timestampParam } from '../queryParams';
import { channelView } from './channels';
import { contactJson, refuseGone } from './contactQueries';
import { dialogJson, messageJson } from './dialogQueries';
import { DEFAULT_LIMIT, MAX_LIMIT } from './queryRouteDeps';

const cutParams = { as_of: timestampParam, at_position: t.string };
const cutNotes = {
  as_of:
    'time travel: the answer as it was at this ISO 8601 instant, folded from the events recorded up to it (404 before the resource existed)',
  at_position:
    'time travel: the answer as it was at this log position (an X-Parley-Position or a history item’s position), inclusive',
};

/** The live read routes that answer `as_of` / `at_position` too, by what they answer. */
const TIME_TRAVEL = {
  dialog: '/api/dialogs/{id}',
  messages: '/api/dialogs/{id}/messages',
  contact: '/api/contacts/{id}',
  channel: '/api/channels/{id}',
} as const;
const timeTravelPaths: readonly string[] = Object.values(TIME_TRAVEL);

/**
 * The live GET contracts with the time-travel parameters added: this router answers them
 * before the live route does, so the route as served takes both.
 */
export const withTimeTravel = (contracts: readonly RouteContract[]): RouteContract[] =>
  contracts.map((c) => {
    if (c.method !== 'get' || !timeTravelPaths.includes(c.path)) return c;
    const live = c.query?.codec;
    if (live !== undefined && live._tag !== 'PartialType')
      throw new Error(`${c.path}: time travel adds optional parameters to optional ones only`);
    return {
      ...c,
      query: {
        ...c.query,
        codec: t.partial({ ...live?.props, ...cutParams }),
        notes: { ...c.query?.notes, ...cutNotes },
      },
    };
  });
const readParams = t.partial(cutParams);
const messageCursor = cursorParam(t.type({ c: isoDate, r: bigintString }));
const messageParams = t.partial({
  ...cutParams,
  limit: intParam(1, MAX_LIMIT),
  cursor: messageCursor,
});

const isTimeTravel = (ctx: Context): boolean =>
  ctx.query.as_of !== undefined || ctx.query.at_position !== undefined;

const invalid = (path: string, message: string) =>
  new HttpError('E_VALIDATION', 'the query parameters are not valid', [{ path, message }]);

/**
 * GET /api/{dialogs/{id}[/messages] | contacts/{id} | channels/{id}}?as_of= or ?at_position=
 * (SPEC §7): the same answer as the live route, folded from the events up to that moment. Without
 * either parameter the request goes on to the live route.
 */
/** What this route uses, and nothing more. */
export type TimeTravelRouteDeps = StaffAuthDeps & Pick<ParleyDeps, 'store' | 'publicUrl'>;

export const timeTravelRoutes = (deps: TimeTravelRouteDeps): Router => {
  const router = new Router<StaffState>();
  const auth = staffAuth(deps.adminTokenHash, deps.operatorTokens);
  const admin = requireAdmin();

  const cutOf = (q: { as_of?: Date; at_position?: string }): Cut => {
    if (q.as_of !== undefined && q.at_position !== undefined)
      throw invalid('at_position', 'give as_of or at_position, not both');
    if (q.as_of !== undefined) return { kind: 'time', at: q.as_of };
    const position = q.at_position as Checkpoint;
    try {
      deps.store.compareCheckpoints(position, null);
    } catch {
      throw invalid('at_position', 'expected a position from X-Parley-Position or a history item');
    }
    return { kind: 'position', at: position };
  };

  /** only time travel is answered here; guards run first, as on the live route */
  const route = (
    path: string,
    guards: readonly Middleware<StaffState>[],
    handler: (
      ctx: Context & { state: StaffState; params: Record<string, string> },
    ) => Promise<void>,
  ) =>
    router.get(path, async (ctx, next: Next) => {
      // `search` is a route of its own, not a contact id
      if (!isTimeTravel(ctx) || ctx.params.id === 'search') return next();
      const run = (i: number): Promise<void> =>
        i === guards.length
          ? handler(ctx)
          : Promise.resolve((guards[i] as Middleware<StaffState>)(ctx, () => run(i + 1)));
      await run(0);
    });

  const dialogAt = async (id: string, cut: Cut) => {
    const found = isObjectId(id) ? await dialogAsOf(deps.store, id, cut) : null;
    if (found === null) throw new HttpError('E_DIALOG_NOT_FOUND', 'dialog not found');
    return found;
  };

  /** the snapshot in the live answer's shape: its last message by arrival, names as they stood at the cut */
  const asLive = async (
    { dialog, messages }: Awaited<ReturnType<typeof dialogAt>>,
    cut: Cut,
  ): Promise<DialogView> => {
    const last = messages.reduce<(typeof messages)[number] | null>(
      (latest, m) => (latest === null || m.revision > latest.revision ? m : latest),
      null,
    );
    const name = (of: Parameters<typeof nameAsOf>[1]) => nameAsOf(deps.store, of, cut);
    const [channelName, contactName, assigneeName, authorName] = await Promise.all([
      name({ channelId: dialog.channelId }),
      name({ contactId: dialog.contactId }),
      dialog.assigneeId === null ? null : name({ operatorId: dialog.assigneeId }),
      last === null
        ? null
        : last.contactId !== null
          ? name({ contactId: last.contactId })
          : last.operatorId !== null
            ? name({ operatorId: last.operatorId })
            : null,
    ]);
    const lastMessage =
      last === null || dialog.lastMessageAt === null
        ? null
        : {
            messageId: last.messageId,
            direction: last.direction,
            preview: messagePreview(last.text, last.html, last.attachments),
            contactId: last.contactId,
            operatorId: last.operatorId,
            authorName,
            at: dialog.lastMessageAt,
          };
    return {
      ...dialog,
      channelName,
      contactName,
      assigneeName,
      lastMessage,
      waitingSince:
        dialog.status === 'open' && lastMessage?.direction === 'incoming' ? lastMessage.at : null,
    };
  };

  route(routerPath(TIME_TRAVEL.dialog), [auth], async (ctx) => {
    const cut = cutOf(decodeQuery(readParams, ctx.query));
    ctx.body = dialogJson(await asLive(await dialogAt(ctx.params.id ?? '', cut), cut));
  });

  route(routerPath(TIME_TRAVEL.messages), [auth], async (ctx) => {
    const q = decodeQuery(messageParams, ctx.query);
    const { messages } = await dialogAt(ctx.params.id ?? '', cutOf(q));
    const after = q.cursor;
    const rest =
      after === undefined
        ? messages
        : messages.filter(
            (m) =>
              m.createdAt > after.c ||
              (m.createdAt.getTime() === after.c.getTime() && m.revision > after.r),
          );
    const limit = q.limit ?? DEFAULT_LIMIT;
    const page = rest.slice(0, limit);
    const last = page[page.length - 1];
    ctx.body = {
      items: page.map((m) => messageJson({ ...m, html: safeHtml(m.html) })),
      next_cursor:
        rest.length > limit && last !== undefined
          ? messageCursor.encode({ c: last.createdAt, r: last.revision })
          : null,
    };
  });

  route(routerPath(TIME_TRAVEL.contact), [auth], async (ctx) => {
    const cut = cutOf(decodeQuery(readParams, ctx.query));
    const id = ctx.params.id ?? '';
    const found = isObjectId(id)
      ? await contactAsOf(deps.store, id, cut)
      : { found: 'none' as const };
    if (found.found === 'none') throw new HttpError('E_CONTACT_NOT_FOUND', 'contact not found');
    const { contact } = found;
    refuseGone(contact);
    if (contact.contactId !== id) ctx.set('Content-Location', `/api/contacts/${contact.contactId}`);
    ctx.body = contactJson(contact);
  });

  route(routerPath(TIME_TRAVEL.channel), [auth, admin], async (ctx) => {
    const cut = cutOf(decodeQuery(readParams, ctx.query));
    const id = (ctx.params.id ?? '').toLowerCase();
    const channel = isObjectId(id) ? await channelAsOf(deps.store, id, cut) : null;
    if (channel === null || channel.status === 'absent')
      throw new HttpError('E_CHANNEL_NOT_FOUND', 'channel not found');
    ctx.body = channelView(channel, deps.publicUrl);
  });

  return router;
};
