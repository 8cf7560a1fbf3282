import { Readable } from 'node:stream';
import Router from '@koa/router';
import * as t from 'io-ts';
import type { Checkpoint } from '../../../application/ports/eventStore';
import { checkpointsAfter } from '../../audit/auditTables';
import { auditedPages, exportLines } from '../../audit/exportLog';
import { verifyLive } from '../../audit/verifyLog';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAudit, staffAuth, type StaffState } from '../auth/staffAuth';
import {
  auditEventPage,
  checkpointPage,
  publicKeyAnswer,
  verificationAnswer,
} from '../codecs/auditAnswers';
import { decodeOrThrow } from '../codecs/decode';
import { text } from '../codecs/media';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { intParam, textParam } from '../queryParams';

const eventsQuery = t.partial({
  after: textParam(200),
  limit: intParam(1, 1000),
  types: textParam(4000),
  stream_prefix: textParam(200),
});

const checkpointsQuery = t.partial({ after: t.string, limit: intParam(1, 1000) });

const NDJSON = 'application/x-ndjson';

const audit = {
  method: 'get',
  tags: ['audit'],
  security: 'bearer',
  errors: ['E_UNAUTHORIZED', 'E_FORBIDDEN'],
  errorNotes: { 401: 'no or a wrong bearer token', 403: 'not the admin token' },
} as const;
/** the audit's queries: a bad parameter is 400 */
const queried = {
  errors: ['E_VALIDATION', 'E_MALFORMED_JSON', ...audit.errors],
  errorNotes: { ...audit.errorNotes, 400: 'bad request' },
} as const;

export const auditEventsContract: RouteContract = {
  ...audit,
  ...queried,
  path: '/api/audit/events',
  summary:
    'The global log in commit order (admin): pages, or with Accept: application/x-ndjson the whole rest of it as an export',
  query: {
    codec: eventsQuery,
    notes: {
      after: 'next_cursor of the previous page (exclusive); absent: the start of the log',
      limit: 'events per page (1–1000, default 100)',
      types: 'comma-separated event types',
      stream_prefix: 'only streams starting with this',
    },
  },
  response: {
    status: 200,
    description:
      'a page (may be short, even empty, when filtered; the end has next_cursor null), or NDJSON lines: header, events, signed checkpoints, end',
    codec: auditEventPage,
    media: { [NDJSON]: text },
  },
};

export const auditVerifyContract: RouteContract = {
  ...audit,
  path: '/api/audit/verify',
  summary: 'Verify the live log against the notary’s records and signed checkpoints (admin)',
  response: {
    status: 200,
    description: 'the verification report; ok is false when there are findings',
    codec: verificationAnswer,
  },
};

export const auditPublicKeyContract: RouteContract = {
  ...audit,
  path: '/api/audit/public-key',
  summary: 'The Ed25519 public key the checkpoints are signed with (admin)',
  response: {
    status: 200,
    description: 'base64 SubjectPublicKeyInfo and PEM',
    codec: publicKeyAnswer,
  },
};

export const auditCheckpointsContract: RouteContract = {
  ...audit,
  ...queried,
  path: '/api/audit/checkpoints',
  summary: 'The signed checkpoints, oldest first (admin)',
  query: {
    codec: checkpointsQuery,
    notes: { after: 'next_cursor of the previous page', limit: '1–1000, default 100' },
  },
  response: { status: 200, description: 'a page of checkpoints', codec: checkpointPage },
};

export const auditContracts = [
  auditEventsContract,
  auditVerifyContract,
  auditPublicKeyContract,
  auditCheckpointsContract,
];

/** Export, verification, the public key and the signed checkpoints (SPEC §7, docs/audit.md). */
/** What this route uses, and nothing more: the log as stored, never opened. */
export type AuditRouteDeps = StaffAuthDeps &
  Pick<ParleyDeps, 'pool' | 'storedEvents' | 'clock' | 'auditKey'>;

export const auditRoutes = (deps: AuditRouteDeps): Router => {
  const router = new Router<StaffState>();
  // the admin and auditors only (the one role check: auth/roles.ts)
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAudit());
  // the log as stored: an export holds no plaintext, and a destroyed key breaks no digest
  const { pool, storedEvents: store, clock } = deps;

  /** A cursor is one of the store's checkpoints: one it cannot read is the caller's mistake. */
  const cursorOf = (value: string | undefined): Checkpoint | null => {
    if (value === undefined) return null;
    try {
      store.compareCheckpoints(value as Checkpoint, null);
      return value as Checkpoint;
    } catch {
      throw new HttpError('E_VALIDATION', 'after must be a next_cursor this log gave', [
        { path: 'after', message: 'expected a next_cursor of a previous page' },
      ]);
    }
  };

  serve(router, auditEventsContract, async (ctx) => {
    const query = decodeOrThrow(eventsQuery, ctx.query, 'query');
    const types = query.types
      ?.split(',')
      .map((type) => type.trim())
      .filter((type) => type !== '');
    const options = {
      after: cursorOf(query.after),
      ...(types === undefined || types.length === 0 ? {} : { types }),
      ...(query.stream_prefix === undefined ? {} : { streamPrefix: query.stream_prefix }),
    };
    if (ctx.accepts('json', NDJSON) === NDJSON) {
      ctx.type = NDJSON;
      ctx.body = Readable.from(
        exportLines({ pool, store, clock, publicKey: deps.auditKey.publicKeyBase64 }, options),
      );
      return;
    }
    const pages = auditedPages({ pool, store }, { ...options, pageSize: query.limit ?? 100 });
    const page = await pages.next();
    await pages.return(undefined);
    // a page filtered by stream prefix may be short, or empty, with more after it: the end
    // of the log is the page with no next_cursor
    const answer: t.TypeOf<typeof auditEventPage> = page.done
      ? { items: [], next_cursor: null }
      : {
          // metadata is what the command context wrote: always an object
          items: page.value.events.map(({ digestRecord: _record, ...event }) => ({
            ...event,
            metadata: event.metadata as Record<string, unknown>,
          })),
          next_cursor: page.value.next,
        };
    ctx.body = answer;
  });

  serve(router, auditVerifyContract, async (ctx) => {
    const answer: t.TypeOf<typeof verificationAnswer> = await verifyLive(
      pool,
      store,
      deps.auditKey.publicKey,
    );
    ctx.body = answer;
  });

  serve(router, auditPublicKeyContract, (ctx) => {
    const answer: t.TypeOf<typeof publicKeyAnswer> = {
      algorithm: 'Ed25519',
      public_key: deps.auditKey.publicKeyBase64,
      encoding: 'base64 of the SubjectPublicKeyInfo (DER)',
      pem: deps.auditKey.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
    ctx.body = answer;
  });

  serve(router, auditCheckpointsContract, async (ctx) => {
    const query = decodeOrThrow(checkpointsQuery, ctx.query, 'query');
    if (query.after !== undefined && !/^\d{1,19}$/.test(query.after))
      throw new HttpError('E_VALIDATION', 'after must be a next_cursor of a previous page', [
        { path: 'after', message: 'expected a checkpoint seq' },
      ]);
    const limit = query.limit ?? 100;
    const items: t.TypeOf<typeof checkpointPage>['items'][number][] = [];
    for await (const checkpoint of checkpointsAfter(pool, BigInt(query.after ?? 0))) {
      const payload = JSON.parse(checkpoint.payload) as Record<string, unknown>;
      items.push({
        seq: checkpoint.seq.toString(),
        position: String(payload.position),
        global_head: String(payload.global_head),
        signed_at: String(payload.signed_at),
        payload: checkpoint.payload,
        signature: checkpoint.signature,
      });
      if (items.length === limit) break;
    }
    const answer: t.TypeOf<typeof checkpointPage> = {
      items,
      next_cursor: items.length === limit ? (items[limit - 1]?.seq ?? null) : null,
    };
    ctx.body = answer;
  });

  return router;
};
