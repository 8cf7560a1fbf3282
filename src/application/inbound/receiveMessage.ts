import { isLeft, left, right, type Either } from 'fp-ts/Either';
import {
  validateContactInfo,
  type ContactDataReference,
  type ContactObject,
} from '../../domain/contact/contactInfo';
import { isEmptyBody, type Attachment } from '../../domain/dialog/message';
import { domainError, type DomainError } from '../../domain/errors';
import type { CommandDeps } from '../commandHandler';
import type { LiveChannel } from '../channels/integrationAccess';
import { planContact } from '../contacts/planContact';
import { settleContact, type ContactSettlement } from '../contacts/settleContact';
import type { CommandContext } from '../context';
import {
  locateDialog,
  postIncomingMessage,
  type PostedMessage,
} from '../dialogs/postIncomingMessage';
import type { Checkpoint, EventStore } from '../ports/eventStore';
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

export type InboundDeps = CommandDeps &
  Readonly<{
    store: EventStore;
    defaultPhoneRegion: string;
    /** the server's keyed hash (HMAC), for ids derived from an Idempotency-Key */
    keyedHash?: (text: string) => string;
  }>;

export type InboundOptions = Readonly<{
  idempotencyKey: string | null;
  requestHash: string;
  context: CommandContext;
}>;

/** The answer an earlier request with this key got; a different body with it is a conflict. */
const earlierAnswer = async (
  store: EventStore,
  scope: string,
  { idempotencyKey, requestHash }: InboundOptions,
): Promise<Either<DomainError, InboundResult> | null> => {
  const recorded =
    idempotencyKey === null ? null : await findRecorded(store, scope, idempotencyKey);
  if (recorded === null) return null;
  return recorded.requestHash === requestHash
    ? right({ response: recorded.response as InboundResponse, checkpoint: null, replayed: true })
    : left(
        domainError(
          'E_IDEMPOTENCY_CONFLICT',
          'this Idempotency-Key was used for a different request',
        ),
      );
};

const responseOf = (posted: PostedMessage, contact: ContactSettlement): InboundResponse => ({
  dialog_id: posted.dialogId,
  message_id: posted.messageId,
  contact_id: contact.contactId,
  reference: posted.reference,
  dialog_created: posted.dialogCreated,
  contact_created: contact.created,
  contacts: contact.contact.data.map(({ id, value, type, service, origin }) => ({
    id,
    value,
    type,
    service,
    origin,
  })),
});

/**
 * POST /api/custom-channel/message/{channelId}: every check and lookup first (body, contact,
 * dialog), then the appends (contact, then dialog), so a 4xx appends nothing (SPEC 1.1).
 */
export const receiveMessage = async (
  deps: InboundDeps,
  channel: LiveChannel,
  request: InboundMessageRequest,
  options: InboundOptions,
): Promise<Either<DomainError, InboundResult>> => {
  const { idempotencyKey, requestHash, context } = options;
  const scope = channel.channelId;
  const earlier = await earlierAnswer(deps.store, scope, options);
  if (earlier !== null) return earlier;

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
  const derive = idempotencyKey === null ? null : derivedIds(scope, idempotencyKey, deps.keyedHash);
  const newId = (purpose: string): string => derive?.(purpose) ?? deps.ids.objectId();
  const plan = () =>
    planContact(deps.commands, info.right, {
      channelId: channel.channelId,
      defaultRegion: deps.defaultPhoneRegion,
      now: context.now.toISOString(),
      newId,
    });
  // two independent sets of reads, at once: a request waits for the slower, not for both
  const [planned, target] = await Promise.all([
    plan(),
    locateDialog(deps.commands, channel.channelId, request),
  ]);
  if (isLeft(planned)) return planned;
  if (isLeft(target)) return target;

  const contact = await settleContact(deps.commands, planned.right, plan, context);
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
    { context, newId },
  );
  if (isLeft(posted)) return posted;

  const response = responseOf(posted.right, contact.right);
  const checkpoint = posted.right.checkpoint ?? contact.right.checkpoint;
  if (idempotencyKey === null) return right({ response, checkpoint, replayed: false });
  const recorded = await recordResponse(
    deps,
    scope,
    idempotencyKey,
    { requestHash, response },
    context,
    response.contact_id,
  );
  return right({ response: recorded.response as InboundResponse, checkpoint, replayed: false });
};
