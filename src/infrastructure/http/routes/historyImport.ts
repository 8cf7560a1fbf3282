import Router from '@koa/router';
import type { Context } from 'koa';
import { importMessage, type HistoryMessage } from '../../../application/inbound/importHistory';
import type { CommandContext } from '../../../application/context';
import type { LiveChannel } from '../../../application/channels/integrationAccess';
import { isErrorCode } from '../../../domain/errors';
import type { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import { decodeImportLine } from '../codecs/importLine';
import { HttpError } from '../httpError';
import { jsonProblems } from '../middleware/jsonLimits';
import { commandContext, orThrow } from '../respond';
import { integrationAuth, type InboundRouteDeps, type InboundState } from './inbound';

/** Dialogs imported at once; the lines of one dialog go one after another, in their order. */
const DIALOGS_AT_ONCE = 8;

export type LineReport = Readonly<{
  line: number;
  external_id: string | null;
  status: 'imported' | 'already_imported' | 'error';
  dialog_id?: string;
  message_id?: string;
  code?: string;
  message?: string;
  details?: readonly unknown[];
}>;

type Parsed = Readonly<{ line: number; message: HistoryMessage }>;

/** The body as text, refused past `limit` bytes before it is all read. */
const readBody = async (ctx: Context, limit: number): Promise<string> => {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const tooLarge = (limit: number) =>
  new HttpError(
    'E_PAYLOAD_TOO_LARGE',
    `an import body is at most ${limit} bytes (MAX_IMPORT_BYTES)`,
  );

const errorLine = (line: number, externalId: string | null, error: unknown): LineReport => {
  if (error instanceof HttpError || (error as { code?: unknown }).code !== undefined) {
    const e = error as { code: string; message: string; details?: readonly unknown[] };
    if (isErrorCode(e.code)) {
      return {
        line,
        external_id: externalId,
        status: 'error',
        code: e.code,
        message: e.message,
        ...(e.details === undefined ? {} : { details: e.details }),
      };
    }
  }
  throw error;
};

/** Each non-blank line parsed and decoded; a line that is not valid is reported, not imported. */
const parseLines = (
  limits: InboundRouteDeps['config']['limits'],
  text: string,
): { parsed: Parsed[]; refused: LineReport[] } => {
  const parsed: Parsed[] = [];
  const refused: LineReport[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      refused.push(
        errorLine(line, null, new HttpError('E_MALFORMED_JSON', 'the line is not JSON')),
      );
      return;
    }
    const externalId =
      typeof (value as { external_id?: unknown })?.external_id === 'string'
        ? (value as { external_id: string }).external_id
        : null;
    try {
      const problems = jsonProblems(value);
      if (problems.length > 0)
        throw new HttpError('E_VALIDATION', 'the line is not valid', problems);
      parsed.push({ line, message: decodeImportLine(limits, value) });
    } catch (error) {
      refused.push(errorLine(line, externalId, error));
    }
  });
  return { parsed, refused };
};

/**
 * Lines of one dialog (by dialog_id, else reference) in one group, a line without either alone;
 * an external id met again goes where it was first met, to be already_imported after it.
 */
const groupsOf = (lines: readonly Parsed[]): Parsed[][] => {
  const groups = new Map<string, Parsed[]>();
  const firstMet = new Map<string, string>();
  for (const p of lines) {
    const { dialogId, reference } = p.message.request;
    const own =
      dialogId !== null
        ? `id:${dialogId}`
        : reference !== null
          ? `ref:${reference}`
          : `line:${p.line}`;
    const key = firstMet.get(p.message.externalId) ?? own;
    firstMet.set(p.message.externalId, key);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [p]);
    else group.push(p);
  }
  return [...groups.values()];
};

const importAll = async (
  deps: InboundRouteDeps,
  channel: LiveChannel,
  lines: readonly Parsed[],
  context: CommandContext,
): Promise<LineReport[]> => {
  const inboundDeps = { ...deps, defaultPhoneRegion: deps.config.defaultPhoneRegion };
  const reports: LineReport[] = [];
  const queue = groupsOf(lines);
  // a store or pool failure answers the whole request (503 and Retry-After, errorHandler):
  // the other workers take no new line, and a retry resumes where the import stopped
  let failed = false;
  const worker = async () => {
    for (let group = queue.shift(); group !== undefined && !failed; group = queue.shift()) {
      for (const { line, message } of group) {
        if (failed) return;
        const outcome = await importMessage(inboundDeps, channel, message, context).catch(
          (error: unknown) => {
            failed = true;
            throw error;
          },
        );
        reports.push(
          outcome._tag === 'Left'
            ? errorLine(line, message.externalId, outcome.left)
            : {
                line,
                external_id: message.externalId,
                status: outcome.right.status,
                dialog_id: outcome.right.dialogId,
                message_id: outcome.right.messageId,
              },
        );
      }
    }
  };
  // every worker settled before answering: none is still appending when the client retries
  const settled = await Promise.allSettled(Array.from({ length: DIALOGS_AT_ONCE }, worker));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return reports;
};

/**
 * POST /api/custom-channel/import/{channelId}?token=…[&webhooks=true]: a history of messages as
 * NDJSON, one message a line, either direction, at their original times (SPEC §2.1).
 */
export const historyImportRoutes = (deps: InboundRouteDeps, limiter: SharedRateLimiter): Router => {
  const router = new Router<InboundState>();
  router.post(
    '/api/custom-channel/import/:channelId',
    integrationAuth(deps, limiter),
    async (ctx) => {
      const channel = orThrow(ctx.state.channel);
      const webhooks = ctx.query.webhooks;
      if (webhooks !== undefined && webhooks !== 'true' && webhooks !== 'false') {
        throw new HttpError('E_VALIDATION', 'the query parameters are not valid', [
          { path: 'webhooks', message: 'expected true or false' },
        ]);
      }
      if (!ctx.is('application/x-ndjson')) {
        throw new HttpError('E_UNSUPPORTED_MEDIA_TYPE', 'send the history as application/x-ndjson');
      }
      const text = await readBody(ctx, deps.config.limits.importBytes);
      const { parsed, refused } = parseLines(deps.config.limits, text);
      const context: CommandContext = {
        ...commandContext(ctx, deps.clock, { type: 'integration', channelId: channel.channelId }),
        quiet: webhooks !== 'true',
      };
      const imported = await importAll(deps, channel, parsed, context);
      const lines = [...refused, ...imported].sort((a, b) => a.line - b.line);
      const count = (status: LineReport['status']) =>
        lines.filter((l) => l.status === status).length;
      ctx.body = {
        imported: count('imported'),
        already_imported: count('already_imported'),
        errors: count('error'),
        lines,
      };
    },
  );
  return router;
};
