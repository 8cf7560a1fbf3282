import { ERASED } from '../../domain/shared/erased';
import { erasedColumn } from '../dialogs/erasedColumns';
import { erasedPayload } from './erasedPayload';
import type { Tx } from './outboxState';

/**
 * ContactErased in the outbox (SPEC §8): the erased contacts and their dialogs lose their
 * personal fields, every stored webhook body about them is rewritten without them (pending
 * deliveries then send that), and what their receivers answered is blanked in the delivery
 * log, which may echo what was sent. Ids, times, statuses and counts stay.
 */
export const eraseFromOutbox = async (tx: Tx, contactIds: readonly string[]): Promise<void> => {
  await tx.query(
    `UPDATE webhooks.outbox_contacts
     SET ${['name', 'description'].map(erasedColumn).join(', ')}, data = '[]'
     WHERE contact_id = ANY($1)`,
    [contactIds, ERASED],
  );
  await tx.query(
    `UPDATE webhooks.outbox_dialogs SET ${['reference', 'title', 'integration_data'].map(erasedColumn).join(', ')}
     WHERE contact_id = ANY($1)`,
    [contactIds, ERASED],
  );
  const { rows } = await tx.query<{ message_id: string; body: string }>(
    `SELECT message_id, body FROM webhooks.messages
     WHERE dialog_id IN (SELECT dialog_id FROM webhooks.outbox_dialogs WHERE contact_id = ANY($1))
        OR body::jsonb #>> '{data,contact,id}' = ANY($1)
        OR body::jsonb #>> '{data,message,contact_id}' = ANY($1)`,
    [contactIds],
  );
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.message_id);
  await tx.query(
    `UPDATE webhooks.messages m SET body = e.body
     FROM unnest($1::text[], $2::text[]) AS e(message_id, body) WHERE m.message_id = e.message_id`,
    [ids, rows.map((r) => erasedPayload(r.body))],
  );
  await tx.query(
    `UPDATE webhooks.deliveries SET ${erasedColumn('last_response')}
     WHERE message_id = ANY($1)`,
    [ids, ERASED],
  );
  await tx.query(
    `UPDATE webhooks.attempts SET ${erasedColumn('response_snippet')}
     WHERE delivery_id IN (SELECT delivery_id FROM webhooks.deliveries WHERE message_id = ANY($1))`,
    [ids, ERASED],
  );
};
