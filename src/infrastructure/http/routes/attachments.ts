import Router from '@koa/router';
import * as t from 'io-ts';
import type { Context } from 'koa';
import { openAttachment } from '../../../application/attachments/keepAttachment';
import { findFile } from '../../attachments/fetchQueue';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { binary } from '../codecs/media';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { describedAs } from '../openapi/jsonSchema';
import { header } from '../openapi/schema';
import { pathId } from '../pathId';
import { contentDisposition, servedType } from './attachmentHeaders';

/** What these routes use, and nothing more. */
export type AttachmentRouteDeps = StaffAuthDeps &
  Pick<ParleyDeps, 'pool' | 'attachmentStorage' | 'subjectKeys' | 'attachmentLinks' | 'clock'>;

const attachmentId = (id: string | undefined) =>
  pathId(id, 'E_ATTACHMENT_NOT_FOUND', 'attachment not found');

const file = {
  method: 'get',
  tags: ['attachments'],
  params: { id: 'attachment id (in a message item’s attachments, or a webhook’s)' },
  response: {
    status: 200,
    description: 'the file',
    media: { 'application/octet-stream': binary },
    headers: {
      'Content-Type': header('the declared type (or the sniffed one)'),
      'Content-Disposition': header(
        '`attachment`, with a safe ASCII `filename` and the exact name in `filename*`',
      ),
    },
  },
  errorNotes: {
    401: 'no or a wrong bearer token',
    403: 'tampered with, or expired',
    404: 'no such attachment',
    409: 'still pending, or failed (the message says why)',
    410: 'the contact was erased, and the file with its key',
  },
} as const;

const notServable = [
  'E_ATTACHMENT_NOT_FOUND',
  'E_ATTACHMENT_NOT_STORED',
  'E_ATTACHMENT_ERASED',
] as const;

export const attachmentContract: RouteContract = {
  ...file,
  path: '/api/attachments/{id}',
  summary: 'A kept attachment file, byte for byte (admin, operator or auditor)',
  security: 'bearer',
  errors: ['E_UNAUTHORIZED', ...notServable],
};

/** What a signed link adds to the path; the route checks them itself (attachmentLinks.verify). */
const signedLinkQuery = t.type({
  expires: describedAs(
    t.refinement(t.string, (s) => /^\d+$/.test(s), 'seconds since the epoch'),
    { pattern: '^\\d+$' },
  ),
  signature: t.string,
});

export const signedAttachmentContract: RouteContract = {
  ...file,
  path: '/api/attachments/{id}/signed',
  summary: 'A kept attachment file through a signed link from a webhook (no token)',
  query: { codec: signedLinkQuery },
  errors: ['E_ATTACHMENT_LINK_INVALID', 'E_ATTACHMENT_LINK_EXPIRED', ...notServable],
};

export const attachmentContracts = [attachmentContract, signedAttachmentContract];

/**
 * A kept file, byte for byte: operators and auditors with their bearer token, integrators
 * with a signed link (SPEC §2.1). Always a download (`Content-Disposition: attachment`) under
 * a sandboxing CSP, so a file that claims to be HTML never runs as the inbox's origin.
 */
export const attachmentRoutes = (deps: AttachmentRouteDeps): Router => {
  const router = new Router<StaffState>();

  const send = async (ctx: Context, id: string): Promise<void> => {
    const file = await findFile(deps.pool, id);
    if (file === null) throw new HttpError('E_ATTACHMENT_NOT_FOUND', 'attachment not found');
    if (file.status !== 'stored') {
      throw new HttpError(
        'E_ATTACHMENT_NOT_STORED',
        file.status === 'pending'
          ? 'the attachment is still being fetched'
          : `the attachment could not be kept: ${file.reason ?? 'unknown reason'}`,
        [{ state: file.status, reason: file.reason }],
      );
    }
    const bytes = await openAttachment(
      { storage: deps.attachmentStorage, subjectKeys: deps.subjectKeys },
      id,
      file.contactId,
    );
    if (bytes === 'erased')
      throw new HttpError('E_ATTACHMENT_ERASED', "the attachment's contact was erased");
    if (bytes === 'missing')
      throw new HttpError('E_ATTACHMENT_NOT_FOUND', 'the attachment is not in storage');
    ctx.set('Content-Type', servedType(file.declaredType, file.sniffedType));
    ctx.set('Content-Disposition', contentDisposition(file.name));
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = bytes;
  };

  serve(router, signedAttachmentContract, async (ctx) => {
    const id = attachmentId(ctx.params.id);
    const one = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const verdict = deps.attachmentLinks.verify(
      id,
      one(ctx.query.expires),
      one(ctx.query.signature),
      deps.clock.now(),
    );
    if (verdict === 'invalid')
      throw new HttpError('E_ATTACHMENT_LINK_INVALID', 'the link is not valid for this attachment');
    if (verdict === 'expired')
      throw new HttpError('E_ATTACHMENT_LINK_EXPIRED', 'the link has expired');
    await send(ctx, id);
  });

  serve(
    router,
    attachmentContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    async (ctx) => send(ctx, attachmentId(ctx.params.id)),
  );

  return router;
};
