import Router from '@koa/router';
import * as t from 'io-ts';
import {
  contactStreamsWithMerged,
  readHistory,
  type HistoryItem,
} from '../../../application/audit/history';
import type { EventStore } from '../../../application/ports/eventStore';
import { streams } from '../../../application/streams';
import type { ErrorCode } from '../../../domain/errors';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { bigintString } from '../codecs';
import { HttpError } from '../httpError';
import { pathId } from '../pathId';
import { historyItemAnswer, historyPageAnswer } from '../codecs/historyAnswers';
import { serve, type RouteContract } from '../contract';
import { describedAs } from '../openapi/jsonSchema';
import { cursorParam, decodeQuery } from '../queryParams';
import { DEFAULT_LIMIT, pageLimit } from './queryRouteDeps';

const historyCursor = cursorParam(t.record(t.string, bigintString));

const pageParams = { limit: pageLimit, cursor: historyCursor };
const historyParams = t.partial(pageParams);
const contactHistoryParams = t.partial({
  ...pageParams,
  include_merged: describedAs(t.keyof({ true: null, false: null }), { default: 'false' }),
});

export const historyItemJson = (item: HistoryItem): t.TypeOf<typeof historyItemAnswer> => ({
  position: item.position,
  stream: item.stream,
  revision: item.revision.toString(),
  type: item.type,
  recorded_at: item.recordedAt,
  actor: item.actor,
  correlation_id: item.correlationId,
  causation_id: item.causationId,
  data: item.data,
  summary: item.summary,
});

type Kind = Readonly<{
  path: 'dialogs' | 'contacts' | 'channels' | 'operators' | 'webhooks';
  stream: (id: string) => string;
  notFound: ErrorCode;
  what: string;
}>;

const historyContract = (kind: Kind): RouteContract => ({
  method: 'get',
  path: `/api/${kind.path}/{id}/history`,
  tags: ['audit'],
  summary: `The ${kind.what}'s history (${staffReads(kind) ? 'staff' : 'admin or auditor'}): its events from the event store, in log order`,
  security: 'bearer',
  params: { id: `${kind.what} id` },
  query: {
    codec: kind.path === 'contacts' ? contactHistoryParams : historyParams,
    notes: {
      cursor: 'next_cursor of the previous page',
      include_merged:
        'true: also the events of the contacts merged into this one (chains included)',
    },
  },
  response: { status: 200, description: 'a page of history', codec: historyPageAnswer },
  errors: ['E_VALIDATION', 'E_MALFORMED_JSON', 'E_UNAUTHORIZED', 'E_FORBIDDEN', kind.notFound],
  errorNotes: {
    400: 'bad request',
    401: 'no or a wrong bearer token',
    403: 'not the admin token',
    404: `no such ${kind.what}`,
  },
});

/** Dialogs and contacts are the operators' surface; the rest is management's. */
const staffReads = (kind: Kind): boolean => kind.path === 'dialogs' || kind.path === 'contacts';

const KINDS: readonly Kind[] = [
  { path: 'dialogs', stream: streams.dialog, notFound: 'E_DIALOG_NOT_FOUND', what: 'dialog' },
  { path: 'contacts', stream: streams.contact, notFound: 'E_CONTACT_NOT_FOUND', what: 'contact' },
  { path: 'channels', stream: streams.channel, notFound: 'E_CHANNEL_NOT_FOUND', what: 'channel' },
  {
    path: 'operators',
    stream: streams.operator,
    notFound: 'E_OPERATOR_NOT_FOUND',
    what: 'operator',
  },
  { path: 'webhooks', stream: streams.webhook, notFound: 'E_WEBHOOK_NOT_FOUND', what: 'webhook' },
];

const HISTORIES = KINDS.map((kind) => ({ kind, contract: historyContract(kind) }));

export const historyContracts = HISTORIES.map(({ contract }) => contract);

const exists = async (store: EventStore, streamId: string): Promise<boolean> =>
  (await store.readStream(streamId, { maxCount: 1 })).length > 0;

/**
 * GET /api/{dialogs|contacts|channels|operators|webhooks}/{id}/history (SPEC §7): the aggregate's
 * events from the event store, in log order, cursor-paged. Dialogs and contacts are the
 * operators' surface (the inbox shows a dialog's timeline); the rest is management's, which
 * auditors read.
 */
/** What this route uses, and nothing more. */
export type HistoryRouteDeps = StaffAuthDeps & Pick<ParleyDeps, 'store'>;

export const historyRoutes = (deps: HistoryRouteDeps): Router => {
  const router = new Router<StaffState>();
  const auth = staffAuth(deps.adminTokenHash, deps.operatorTokens);
  for (const { kind, contract } of HISTORIES) {
    const guards = staffReads(kind) ? [auth] : [auth, requireAdmin()];
    serve(router, contract, ...guards, async (ctx) => {
      const id = pathId(ctx.params.id, kind.notFound, `${kind.what} not found`);
      const q = decodeQuery(
        kind.path === 'contacts' ? contactHistoryParams : historyParams,
        ctx.query,
      );
      const own = kind.stream(id);
      if (!(await exists(deps.store, own)))
        throw new HttpError(kind.notFound, `${kind.what} not found`);
      const streamIds =
        'include_merged' in q && q.include_merged === 'true'
          ? await contactStreamsWithMerged(deps.store, id)
          : [own];
      const page = await readHistory(
        deps.store,
        streamIds,
        q.cursor ?? {},
        q.limit ?? DEFAULT_LIMIT,
      );
      const answer: t.TypeOf<typeof historyPageAnswer> = {
        items: page.items.map(historyItemJson),
        next_cursor: page.next === null ? null : historyCursor.encode(page.next),
      };
      ctx.body = answer;
    });
  }
  return router;
};
