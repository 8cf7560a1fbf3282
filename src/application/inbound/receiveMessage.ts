import { isLeft, left, right, type Either } from 'fp-ts/Either';
import {
  validateContactInfo,
  type ContactDataReference,
  type ContactObject,
} from '../../domain/contact/contactInfo';
import { isEmptyBody, type Attachment } from '../../domain/dialog/message';
import { domainError, type DomainError } from '../../domain/errors';
import type { AggregateDeps } from '../aggregates';
import type { LiveChannel } from '../channels/integrationAccess';
import { planContact } from '../contacts/planContact';
import { settleContact } from '../contacts/settleContact';
import type { CommandContext } from '../context';
import { locateDialog, postIncomingMessage } from '../dialogs/postIncomingMessage';
import type { Checkpoint } from '../ports/eventStore';
import { derivedIds, findRecorded, recordResponse } from './idempotency';

/** The inbound endpoint's body, decoded and within limits (src/infrastructure/http/codecs). */
export type InboundMessageRequest = Readonly<{
  dialogId: string | null;
  reference: string | null;
  title: string | null;
  /** ms since the epoch; null: now */
  timestamp: number | null;
  text: string | null;
  html: string | null;
  integrationData: string | null;
  attachments: readonly Attachment[];
  contactObject: ContactObject | null;
  contactsId: readonly ContactDataReference[] | null;
}>;

/** The seed's success body, field names as the seed has them. */
export type InboundResponse = Readonly<{
  dialog_id: string;
  message_id: string;
  contact_id: string;
  reference: string | null;
  dialog_created: boolean;
  contact_created: boolean;
  contacts: readonly Readonly<{
    id: string;
    value: string;
    type: string;
    service: string;
    origin: string | null;
  }>[];
}>;

export type InboundResult = Readonly<{
  response: InboundResponse;
  /** global position of the last event appended, for read-your-writes; null when nothing was */
  checkpoint: Checkpoint | null;
  /** an earlier request with the same Idempotency-Key answered this */
  replayed: boolean;
}>;

export type InboundDeps = AggregateDeps & Readonly<{ defaultPhoneRegion: string }>;

export type InboundOptions = Readonly<{
  idempotencyKey: string | null;
  requestHash: string;
  context: CommandContext;
}>;

/**
 * POST /api/custom-channel/message/{channelId}: every check and lookup first (body, contact,
 * dialog), then the appends (contact, then dialog), so a 4xx appends nothing (SPEC 1.1).
 */
export const receiveMessage = async (
  deps: InboundDeps,
  channel: LiveChannel,
  request: InboundMessageRequest,
  { idempotencyKey, requestHash, context }: InboundOptions,
): Promise<Either<DomainError, InboundResult>> => {
  const scope = channel.channelId;
  if (idempotencyKey !== null) {
    const recorded = await findRecorded(deps.store, scope, idempotencyKey);
    if (recorded !== null) {
      return recorded.requestHash === requestHash
        ? right({
            response: recorded.response as InboundResponse,
            checkpoint: null,
            replayed: true,
          })
        : left(
            domainError(
              'E_IDEMPOTENCY_CONFLICT',
              'this Idempotency-Key was used for a different request',
            ),
          );
    }
  }

  if (isEmptyBody(request)) {
    return left(
      domainError('E_MESSAGE_EMPTY', 'a message needs a non-empty text, html or attachments'),
    );
  }
  const info = validateContactInfo({
    contactObject: request.contactObject,
    contactsId: request.contactsId,
  });
  if (isLeft(info)) return info;
  // two independent sets of reads, at once: a request waits for the slower, not for both
  const [plan, target] = await Promise.all([
    planContact(deps.store, info.right, channel.channelId, deps.defaultPhoneRegion, deps.cache),
    locateDialog(deps.store, channel.channelId, request, deps.cache),
  ]);
  if (isLeft(plan)) return plan;
  if (isLeft(target)) return target;

  const derive = idempotencyKey === null ? null : derivedIds(scope, idempotencyKey);
  const contact = await settleContact(deps, plan.right, {
    context,
    defaultRegion: deps.defaultPhoneRegion,
    derive,
  });
  if (isLeft(contact)) return contact;
  const posted = await postIncomingMessage(
    deps,
    target.right,
    {
      channelId: channel.channelId,
      title: request.title,
      contactId: contact.right.contactId,
      text: request.text,
      html: request.html,
      attachments: request.attachments,
      integrationData: request.integrationData,
      createdAt: new Date(request.timestamp ?? context.now.getTime()).toISOString(),
      requestHash: idempotencyKey === null ? null : requestHash,
    },
    { context, newId: (purpose) => derive?.(purpose) ?? deps.ids.objectId() },
  );
  if (isLeft(posted)) return posted;

  const response: InboundResponse = {
    dialog_id: posted.right.dialogId,
    message_id: posted.right.messageId,
    contact_id: contact.right.contactId,
    reference: posted.right.reference,
    dialog_created: posted.right.dialogCreated,
    contact_created: contact.right.created,
    contacts: contact.right.contact.data.map(({ id, value, type, service, origin }) => ({
      id,
      value,
      type,
      service,
      origin,
    })),
  };
  const checkpoint = posted.right.checkpoint ?? contact.right.checkpoint;
  if (idempotencyKey === null) return right({ response, checkpoint, replayed: false });
  const recorded = await recordResponse(
    deps,
    scope,
    idempotencyKey,
    { requestHash, response },
    context,
  );
  return right({ response: recorded.response as InboundResponse, checkpoint, replayed: false });
};
