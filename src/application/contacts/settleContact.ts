import { isLeft, right, type Either } from 'fp-ts/Either';
import { contactDataRecordDecider } from '../../domain/claims/contactDataRecord';
import { contactKeyDecider } from '../../domain/claims/contactKey';
import type { ContactData } from '../../domain/contact/contactData';
import type { ContactCommand } from '../../domain/contact/commands';
import { contactDecider } from '../../domain/contact/decide';
import type { DomainError } from '../../domain/errors';
import type { Command, Decider, Event } from '../../domain/shared/decider';
import { handleCommand, type AggregateDeps, type HandleOptions } from '../aggregates';
import type { CommandContext } from '../context';
import { ContentionError } from '../contentionError';
import type { Checkpoint, EventStore } from '../ports/eventStore';
import { streams } from '../streams';
import type { Contact } from '../../domain/contact/state';
import { resolveContact, type LiveContact, type Resolved } from './contactDirectory';
import { toContactData } from './normalize';
import { planContact, type ContactPlan, type PlannedItem } from './planContact';

export type ContactSettlement = Readonly<{
  contactId: string;
  created: boolean;
  contact: LiveContact;
}>;

export type SettleOptions = Readonly<{
  context: CommandContext;
  defaultRegion: string;
  /** ids derived from the Idempotency-Key, so a retried request converges on the same ones */
  derive: ((purpose: string) => string) | null;
}>;

type Outcome =
  | Readonly<{ kind: 'done'; settlement: ContactSettlement }>
  /** another request changed what this one planned on: plan again */
  | Readonly<{ kind: 'contended' }>;

const CONTENDED: Outcome = { kind: 'contended' };
const MAX_ROUNDS = 12;

/** Runs one command; a refusal means the world moved since the plan was made. */
class Session {
  checkpoint: Checkpoint | null = null;
  /** contacts whose ContactCreated this request appended, also when finishing another's claim */
  readonly created = new Set<string>();
  readonly store: EventStore;
  constructor(
    private readonly deps: AggregateDeps,
    private readonly options: SettleOptions,
  ) {
    this.store = deps.store;
  }

  async run<C extends Command, E extends Event, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    options: HandleOptions<S> = {},
  ) {
    const result = await handleCommand(
      this.deps,
      streamId,
      decider,
      command,
      this.options.context,
      options,
    );
    if (!isLeft(result) && result.right.checkpoint !== null)
      this.checkpoint = result.right.checkpoint;
    return result;
  }

  newId(purpose: string): string {
    return this.options.derive?.(purpose) ?? this.deps.ids.objectId();
  }

  get now(): string {
    return this.options.context.now.toISOString();
  }

  /** the plan found the key free or held by a deleted contact */
  claim(item: PlannedItem, contactId: string, dataId: string) {
    const replacing = item.holder?.resolved.kind === 'deleted' ? item.holder.contactId : null;
    return this.run(
      streams.contactKey(item.key),
      contactKeyDecider,
      { type: 'ClaimContactKey', data: { key: item.key, contactId, dataId, replacing } },
      { expectNew: item.holder === null },
    );
  }

  /** `expectNew`: a data id this request just made up */
  register(
    dataId: string,
    contactId: string,
    channelId: string,
    service: string,
    expectNew: boolean,
  ) {
    return this.run(
      streams.contactData(dataId),
      contactDataRecordDecider,
      { type: 'RegisterContactData', data: { dataId, contactId, channelId, service } },
      { expectNew },
    );
  }

  contact(contactId: string, command: ContactCommand, options: HandleOptions<Contact> = {}) {
    return this.run(streams.contact(contactId), contactDecider, command, options);
  }

  /** Creates the contact the plan describes; the request reports contact_created if this succeeds. */
  async create(
    contactId: string,
    plan: ContactPlan,
    data: ContactData[],
    options: HandleOptions<Contact> = {},
  ) {
    const created = await this.contact(
      contactId,
      {
        type: 'CreateContact',
        data: {
          contactId,
          channelId: plan.channelId,
          name: plan.info.kind === 'object' ? plan.info.name : '',
          description: plan.info.kind === 'object' ? (plan.info.description ?? null) : null,
          data,
          now: this.now,
        },
      },
      options,
    );
    if (!isLeft(created)) this.created.add(contactId);
    return created;
  }

  resolve(contactId: string): Promise<Resolved> {
    return resolveContact(this.store, contactId, this.deps.cache);
  }
}

/** No contact owns any incoming data: claim every key for a new contact, then create it. */
const createContact = async (session: Session, plan: ContactPlan): Promise<Outcome> => {
  const contactId = session.newId('contact');
  const data: ContactData[] = [];
  for (const item of plan.items) {
    const dataId = session.newId(`data:${item.key}`);
    if (isLeft(await session.claim(item, contactId, dataId))) return CONTENDED;
    data.push(toContactData(dataId, item.input, item.key));
  }
  for (const item of data) {
    if (isLeft(await session.register(item.id, contactId, plan.channelId, item.service, true)))
      return CONTENDED;
  }
  const created = await session.create(contactId, plan, data, { expectNew: true });
  if (isLeft(created)) return CONTENDED;
  return {
    kind: 'done',
    settlement: { contactId, created: true, contact: created.right.state as LiveContact },
  };
};

/** A contact whose keys were claimed by a request that stopped before creating it. */
const completePending = async (
  session: Session,
  plan: ContactPlan,
  contactId: string,
): Promise<boolean> => {
  const data = plan.items
    .filter((item) => item.holder?.contactId === contactId)
    .map((item) => toContactData(item.holder?.dataId as string, item.input, item.key));
  for (const item of data)
    await session.register(item.id, contactId, plan.channelId, item.service, false);
  const created = await session.create(contactId, plan, data);
  return !isLeft(created) || created.left.code === 'E_ALREADY_EXISTS';
};

type ActiveOwner = Extract<Resolved, { kind: 'active' }>;

const olderFirst = (a: LiveContact, b: LiveContact): number =>
  a.createdAt === b.createdAt
    ? a.contactId.localeCompare(b.contactId)
    : a.createdAt.localeCompare(b.createdAt);

/** Several contacts are one customer: the oldest absorbs the others, which then point to it. */
const merge = async (
  session: Session,
  survivor: LiveContact,
  others: readonly LiveContact[],
): Promise<boolean> => {
  if (others.length === 0) return true;
  const absorbed = await session.contact(survivor.contactId, {
    type: 'AbsorbContacts',
    data: {
      contacts: others.map((o) => ({ contactId: o.contactId, data: o.data })),
      now: session.now,
    },
  });
  if (isLeft(absorbed)) return false;
  for (const other of others) {
    const marked = await session.contact(other.contactId, {
      type: 'MergeInto',
      data: { survivorId: survivor.contactId, now: session.now },
    });
    if (isLeft(marked)) return false;
  }
  return true;
};

/** The data the survivor lacks: keys its owners already hold keep their ids; free keys are claimed. */
const claimMissingData = async (
  session: Session,
  plan: ContactPlan,
  survivor: LiveContact,
): Promise<ContactData[] | null> => {
  const keys = new Set(survivor.data.map((d) => d.key));
  const wanted: ContactData[] = [];
  for (const item of plan.items) {
    if (keys.has(item.key)) continue;
    const holderIsOwner = item.holder !== null && item.holder.resolved.kind !== 'deleted';
    let dataId = item.fixedId ?? item.holder?.dataId ?? '';
    if (!holderIsOwner) {
      dataId = item.fixedId ?? session.newId(`data:${item.key}`);
      if (isLeft(await session.claim(item, survivor.contactId, dataId))) return null;
      if (item.fixedId === null) {
        if (
          isLeft(
            await session.register(
              dataId,
              survivor.contactId,
              plan.channelId,
              item.input.service,
              true,
            ),
          )
        )
          return null;
      }
    }
    wanted.push(toContactData(dataId, item.input, item.key));
    keys.add(item.key);
  }
  // a change that keeps its key (an origin, say) is matched by id
  for (const item of plan.items) {
    if (item.fixedId !== null && item.previous === null)
      wanted.push(toContactData(item.fixedId, item.input, item.key));
  }
  return wanted;
};

const updateExisting = async (session: Session, plan: ContactPlan): Promise<Outcome> => {
  for (const [contactId, owner] of plan.owners) {
    if (owner.kind === 'pending' && !(await completePending(session, plan, contactId)))
      return CONTENDED;
  }
  // The plan was made just before (each round plans again), so its active owners are used as
  // read; only the ones completed above are read again. Reading them again would not close
  // any window: a concurrent change can land after any read, and every append below checks
  // the revision it was decided on.
  const resolved = await Promise.all(
    [...plan.owners].map(([id, owner]) =>
      owner.kind === 'active' ? Promise.resolve<Resolved>(owner) : session.resolve(id),
    ),
  );
  const live = resolved.flatMap((r) => (r.kind === 'active' ? [r] : []));
  if (live.length !== resolved.length) return CONTENDED;
  const distinct = [...new Map(live.map((r) => [r.contact.contactId, r])).values()].sort((a, b) =>
    olderFirst(a.contact, b.contact),
  );
  const [oldest, ...others] = distinct as [ActiveOwner, ...ActiveOwner[]];
  const merged = others.map((o) => o.contact);
  if (!(await merge(session, oldest.contact, merged))) return CONTENDED;

  const survivor = merged.length === 0 ? oldest : await session.resolve(oldest.contact.contactId);
  if (survivor.kind !== 'active') return CONTENDED;
  const data = await claimMissingData(session, plan, survivor.contact);
  if (data === null) return CONTENDED;
  const updated = await session.contact(
    survivor.contact.contactId,
    {
      type: 'UpdateContact',
      data:
        plan.info.kind === 'object'
          ? { name: plan.info.name, description: plan.info.description, data }
          : { name: null, data },
    },
    // read by this request, and appended to since only by the merge, which it was read after
    { known: { state: survivor.contact, revision: survivor.revision } },
  );
  if (isLeft(updated)) return CONTENDED;
  for (const item of plan.items) {
    // release the old key only once the item really holds the new one
    if (item.previous === null || !data.some((d) => d.id === item.fixedId && d.key === item.key))
      continue;
    await session.run(streams.contactKey(item.previous.key), contactKeyDecider, {
      type: 'ReleaseContactKey',
      data: { key: item.previous.key, contactId: item.previous.holderId },
    });
  }
  return {
    kind: 'done',
    settlement: {
      contactId: survivor.contact.contactId,
      // whoever appended ContactCreated reports it, so concurrent requests report it once
      created: session.created.has(survivor.contact.contactId),
      contact: updated.right.state as LiveContact,
    },
  };
};

/**
 * Creates, updates or merges the contact a request is from, appending claims before the
 * contact so that concurrent and retried requests converge on one contact (SPEC 1.1).
 * `plan` comes from planContact, made before the request's first append.
 */
export const settleContact = async (
  deps: AggregateDeps,
  plan: ContactPlan,
  options: SettleOptions,
): Promise<Either<DomainError, ContactSettlement & { checkpoint: Checkpoint | null }>> => {
  const session = new Session(deps, options);
  let current = plan;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const outcome =
      current.owners.size === 0
        ? await createContact(session, current)
        : await updateExisting(session, current);
    if (outcome.kind === 'done')
      return right({ ...outcome.settlement, checkpoint: session.checkpoint });
    const again = await planContact(
      deps.store,
      current.info,
      current.channelId,
      options.defaultRegion,
      deps.cache,
    );
    if (isLeft(again)) return again;
    current = again.right;
  }
  throw new ContentionError('contact', MAX_ROUNDS);
};
