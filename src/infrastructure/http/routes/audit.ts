import { Readable } from 'node:stream';
import Router from '@koa/router';
import * as t from 'io-ts';
import type { Checkpoint } from '../../../application/ports/eventStore';
import { checkpointsAfter } from '../../audit/auditTables';
import { auditedPages, exportLines } from '../../audit/exportLog';
import { verifyLive } from '../../audit/verifyLog';
import type { ParleyDeps } from '../../parley';
import { requireAudit, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
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

/** Export, verification, the public key and the signed checkpoints (SPEC §7, docs/audit.md). */
export const auditRoutes = (deps: ParleyDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/audit' });
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

  router.get('/events', async (ctx) => {
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
    ctx.body = page.done
      ? { items: [], next_cursor: null }
      : {
          items: page.value.events.map(({ digestRecord: _record, ...event }) => event),
          next_cursor: page.value.next,
        };
  });

  router.get('/verify', async (ctx) => {
    ctx.body = await verifyLive(pool, store, deps.auditKey.publicKey);
  });

  router.get('/public-key', (ctx) => {
    ctx.body = {
      algorithm: 'Ed25519',
      public_key: deps.auditKey.publicKeyBase64,
      encoding: 'base64 of the SubjectPublicKeyInfo (DER)',
      pem: deps.auditKey.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
  });

  router.get('/checkpoints', async (ctx) => {
    const query = decodeOrThrow(checkpointsQuery, ctx.query, 'query');
    if (query.after !== undefined && !/^\d{1,19}$/.test(query.after))
      throw new HttpError('E_VALIDATION', 'after must be a next_cursor of a previous page', [
        { path: 'after', message: 'expected a checkpoint seq' },
      ]);
    const limit = query.limit ?? 100;
    const items = [];
    for await (const checkpoint of checkpointsAfter(pool, BigInt(query.after ?? 0))) {
      const payload = JSON.parse(checkpoint.payload) as Record<string, unknown>;
      items.push({
        seq: checkpoint.seq.toString(),
        position: payload.position,
        global_head: payload.global_head,
        signed_at: payload.signed_at,
        payload: checkpoint.payload,
        signature: checkpoint.signature,
      });
      if (items.length === limit) break;
    }
    ctx.body = {
      items,
      next_cursor: items.length === limit ? (items[limit - 1]?.seq ?? null) : null,
    };
  });

  return router;
};
