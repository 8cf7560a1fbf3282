import Router from '@koa/router';
import type { Context } from 'koa';
import { openAttachment } from '../../../application/attachments/keepAttachment';
import { findFile } from '../../attachments/fetchQueue';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { HttpError } from '../httpError';
import { pathId } from '../pathId';
import { contentDisposition, servedType } from './attachmentHeaders';

/** What these routes use, and nothing more. */
export type AttachmentRouteDeps = StaffAuthDeps &
  Pick<ParleyDeps, 'pool' | 'attachmentStorage' | 'subjectKeys' | 'attachmentLinks' | 'clock'>;

const attachmentId = (id: string | undefined) =>
  pathId(id, 'E_ATTACHMENT_NOT_FOUND', 'attachment not found');

/**
 * A kept file, byte for byte: operators and auditors with their bearer token, integrators
 * with a signed link (SPEC §2.1). Always a download (`Content-Disposition: attachment`) under
 * a sandboxing CSP, so a file that claims to be HTML never runs as the inbox's origin.
 */
export const attachmentRoutes = (deps: AttachmentRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/attachments' });

  const serve = async (ctx: Context, id: string): Promise<void> => {
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

  router.get('/:id/signed', async (ctx) => {
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
    await serve(ctx, id);
  });

  router.get('/:id', staffAuth(deps.adminTokenHash, deps.operatorTokens), async (ctx) =>
    serve(ctx, attachmentId(ctx.params.id)),
  );

  return router;
};
