import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';
import { dateTime, nullable, parleyId } from './answers';
import { contactAnswer } from './contactAnswers';
import { messageAnswer } from './dialogAnswers';
import { historyItemAnswer } from './historyAnswers';

/** POST /api/contacts/{id}/erase */
export const erasedAnswer = t.exact(
  t.type({
    // the contact the erasure was recorded on: a merged id names its survivor
    id: parleyId,
    erased: t.literal(true),
    erased_contact_ids: t.readonlyArray(parleyId),
  }),
);

/** A dialog as the log holds it (the export reads the log, not the read models). */
const exportedDialog = t.intersection([
  t.exact(
    t.type({
      dialog_id: parleyId,
      channel_id: parleyId,
      reference: nullable(t.string),
      title: nullable(t.string),
      status: t.keyof({ open: null, closed: null }),
      assignee_id: nullable(parleyId),
      contact_id: parleyId,
      integration_data: nullable(t.string),
      messages_in: t.number,
      messages_out: t.number,
      opened_at: dateTime,
      updated_at: dateTime,
      closed_at: nullable(dateTime),
    }),
  ),
  t.exact(
    t.type({
      messages: t.readonlyArray(messageAnswer),
      history: t.readonlyArray(historyItemAnswer),
    }),
  ),
]);

/** GET /api/contacts/{id}/export: everything Parley holds about a person. */
export const contactExportAnswer = t.exact(
  t.type({
    exported_at: dateTime,
    contact: describedAs(
      t.intersection([contactAnswer, t.exact(t.type({ deleted_at: nullable(dateTime) }))]),
      { description: 'as GET /api/contacts/{id}, plus deleted_at' },
    ),
    merged_contact_ids: t.readonlyArray(parleyId),
    merges: t.readonlyArray(
      t.exact(
        t.type({
          survivor_id: parleyId,
          merged_contact_ids: t.readonlyArray(parleyId),
          merged_at: dateTime,
        }),
      ),
    ),
    history: describedAs(t.readonlyArray(historyItemAnswer), {
      description: 'history items, as /history',
    }),
    dialogs: describedAs(t.readonlyArray(exportedDialog), {
      description: 'the dialog, its `messages` both ways and its `history`',
    }),
  }),
);
