import Router from '@koa/router';
import type { DialogSnapshot } from '../../../application/audit/dialogAsOf';
import { subjectAccess } from '../../../application/contacts/subjectAccess';
import { dialogIdsOfContacts } from '../../../projections/dialogs/contactDialogs';
import { safeHtml } from '../../../projections/dialogs/safeHtml';
import type * as t from 'io-ts';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAudit, staffAuth, type StaffState } from '../auth/staffAuth';
import { iso } from '../codecs';
import { contactExportAnswer } from '../codecs/privacyAnswers';
import { serve, type RouteContract } from '../contract';
import { orThrow } from '../respond';
import { contactJson } from './contactQueries';
import { messageJson } from './dialogQueries';
import { historyItemJson } from './history';

const dialogSnapshotJson = (d: DialogSnapshot) => ({
  dialog_id: d.dialogId,
  channel_id: d.channelId,
  reference: d.reference,
  title: d.title,
  status: d.status,
  assignee_id: d.assigneeId,
  contact_id: d.contactId,
  integration_data: d.integrationData,
  messages_in: d.messagesIn,
  messages_out: d.messagesOut,
  opened_at: iso(d.openedAt),
  updated_at: iso(d.updatedAt),
  closed_at: iso(d.closedAt),
});

export const exportContactContract: RouteContract = {
  method: 'get',
  path: '/api/contacts/{id}/export',
  tags: ['contacts'],
  summary:
    'Everything Parley holds about a person (admin or auditor): contact, merges, history, dialogs with messages both ways',
  description:
    'Read from the event log. A deleted contact is exported too; an erased one shows what is left: ids, times and `[erased]`.',
  security: 'bearer',
  params: { id: 'contact id; a merged id names its survivor' },
  response: {
    status: 200,
    description: 'the export (Content-Disposition: attachment)',
    codec: contactExportAnswer,
  },
  errors: ['E_UNAUTHORIZED', 'E_FORBIDDEN', 'E_CONTACT_NOT_FOUND'],
  errorNotes: {
    401: 'no or a wrong bearer token',
    403: 'an operator token',
    404: 'no such contact',
  },
};

/** What this route uses, and nothing more. */
export type SubjectAccessRouteDeps = StaffAuthDeps & Pick<ParleyDeps, 'clock' | 'store' | 'pool'>;

/**
 * GET /api/contacts/{id}/export (SPEC §8): everything Parley holds about the person, as one JSON
 * document for a subject access request. The admin's and auditors' (the audit surface), never
 * an operator's: it is the whole person at once.
 */
export const subjectAccessRoutes = (deps: SubjectAccessRouteDeps): Router => {
  const router = new Router<StaffState>();
  serve(
    router,
    exportContactContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    requireAudit(),
    async (ctx) => {
      const id = (ctx.params.id ?? '').toLowerCase();
      const exportedAt = deps.clock.now();
      const found = orThrow(
        await subjectAccess(deps.store, id, (people) => dialogIdsOfContacts(deps.pool, people)),
      );
      ctx.set(
        'Content-Disposition',
        `attachment; filename="contact-${found.contact.contactId}.json"`,
      );
      const answer: t.TypeOf<typeof contactExportAnswer> = {
        exported_at: exportedAt.toISOString(),
        contact: {
          ...contactJson(found.contact),
          deleted_at: iso(found.contact.deletedAt),
        },
        merged_contact_ids: found.mergedContactIds,
        merges: found.merges.map((m) => ({
          survivor_id: m.survivorId,
          merged_contact_ids: m.mergedContactIds,
          merged_at: m.mergedAt,
        })),
        history: found.history.map(historyItemJson),
        dialogs: found.dialogs.map(({ dialog, messages, history }) => ({
          ...dialogSnapshotJson(dialog),
          messages: messages.map((m) => messageJson({ ...m, html: safeHtml(m.html) })),
          history: history.map(historyItemJson),
        })),
      };
      ctx.body = answer;
    },
  );
  return router;
};
