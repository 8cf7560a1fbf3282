import {
  bearer,
  errors,
  idParam,
  json,
  positionHeader,
  unauthorized,
  type Schema,
  idempotencyKeyHeader,
} from './schema';

const contactId = idParam('id', 'contact id; a merged id names its survivor');
const gone = errors(404, ['E_CONTACT_NOT_FOUND'], 'no such contact');
const object = (properties: Schema): Schema => ({ type: 'object', properties });
const items = (of: Schema): Schema => ({ type: 'array', items: of });

/** Erasure and subject access (SPEC §8, docs/privacy.md). */
export const privacyPaths = {
  '/api/contacts/{id}/erase': {
    parameters: [contactId],
    post: {
      tags: ['contacts'],
      summary:
        'Erase a person (admin only): destroys the data keys of the contact and of every contact merged into it, records ContactErased',
      description:
        'Cannot be undone. Afterwards the contact answers `410 E_CONTACT_ERASED`, inbound with its `_id` answers `404 E_CONTACT_DELETED`, its dialogs keep times and counts while their messages read `[erased]`, and the same data makes a new contact. Erasing an erased contact answers the same and records nothing. With an `Idempotency-Key` a retry answers the recorded answer; the key used for another contact is 409.',
      security: bearer,
      parameters: [idempotencyKeyHeader()],
      responses: {
        '200': json(
          object({
            id: { type: 'string', description: 'the contact the erasure was recorded on' },
            erased: { const: true },
            erased_contact_ids: items({ type: 'string' }),
          }),
          'erased (or erased before)',
          positionHeader,
        ),
        ...errors(400, ['E_VALIDATION'], 'a malformed Idempotency-Key'),
        ...unauthorized,
        ...errors(403, ['E_FORBIDDEN'], 'not the admin token (operators and auditors may not)'),
        ...gone,
        ...errors(409, ['E_IDEMPOTENCY_CONFLICT'], 'the key erased another contact'),
      },
    },
  },
  '/api/contacts/{id}/export': {
    parameters: [contactId],
    get: {
      tags: ['contacts'],
      summary:
        'Everything Parley holds about a person (admin or auditor): contact, merges, history, dialogs with messages both ways',
      description:
        'Read from the event log. A deleted contact is exported too; an erased one shows what is left: ids, times and `[erased]`.',
      security: bearer,
      responses: {
        '200': json(
          object({
            exported_at: { type: 'string', format: 'date-time' },
            contact: { type: 'object', description: 'as GET /api/contacts/{id}, plus deleted_at' },
            merged_contact_ids: items({ type: 'string' }),
            merges: items(
              object({
                survivor_id: { type: 'string' },
                merged_contact_ids: items({ type: 'string' }),
                merged_at: { type: 'string', format: 'date-time' },
              }),
            ),
            history: items({ type: 'object', description: 'history items, as /history' }),
            dialogs: items({
              type: 'object',
              description: 'the dialog, its `messages` both ways and its `history`',
            }),
          }),
          'the export (Content-Disposition: attachment)',
        ),
        ...unauthorized,
        ...errors(403, ['E_FORBIDDEN'], 'an operator token'),
        ...gone,
      },
    },
  },
};
