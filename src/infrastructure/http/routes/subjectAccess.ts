import Router from '@koa/router';
import type { DialogSnapshot } from '../../../application/audit/dialogAsOf';
import { subjectAccess } from '../../../application/contacts/subjectAccess';
import { dialogIdsOfContacts } from '../../../projections/dialogs/contactDialogs';
import { safeHtml } from '../../../projections/dialogs/safeHtml';
import type { ParleyDeps } from '../../parley';
import { requireAudit, staffAuth, type StaffState } from '../auth/staffAuth';
import { iso } from '../codecs';
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

/**
 * GET /api/contacts/{id}/export (SPEC §8): everything Parley holds about the person, as one JSON
 * document for a subject access request. The admin's and auditors' (the audit surface), never
 * an operator's: it is the whole person at once.
 */
export const subjectAccessRoutes = (deps: ParleyDeps): Router => {
  const router = new Router<StaffState>();
  router.get(
    '/api/contacts/:id/export',
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
      ctx.body = {
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
    },
  );
  return router;
};
