import {
  contactDataRecordDecider,
  type ContactDataRecord,
  type ContactDataRecordEvent,
  type RegisterContactData,
} from '../../domain/claims/contactDataRecord';
import {
  contactKeyDecider,
  type ContactKey,
  type ContactKeyCommand,
  type ContactKeyEvent,
} from '../../domain/claims/contactKey';
import type { ContactCommand, UpdateContact } from '../../domain/contact/commands';
import type { ContactData } from '../../domain/contact/contactData';
import { contactDecider } from '../../domain/contact/decide';
import type { ContactEvent } from '../../domain/contact/events';
import type { Contact } from '../../domain/contact/state';
import type { Command, Decider, Event } from '../../domain/shared/decider';
import type { Checkpoint } from '../ports/eventStore';
import { streams } from '../streams';
import type { LiveContact } from './contactDirectory';
import type { ContactPlan, EditPlan, Holder, Keyed, Known, MatchPlan } from './planContact';
import { toContactData } from './normalize';

/**
 * Contact settlement, decided without I/O: from a plan (planContact.ts: what the request means,
 * read from the store before the first append) and what the store answered to the steps run so far, `settle`
 * says what to append next, or that the contact is settled. settleContact.ts runs the steps.
 */

/** Which revision a step's command is decided on, and appended against. */
export type Expected<S> =
  /** the stream must not exist: a key found free, an id just made up */
  | 'no_stream'
  /** whatever the stream holds when the step runs */
  | 'current'
  /** the state and revision this request read, and has not appended to since */
  | Readonly<{ state: S; revision: bigint }>;

export type StepOn<C extends Command, E extends Event, S> = Readonly<{
  stream: string;
  decider: Decider<C, E, S>;
  command: C;
  expected: Expected<S>;
}>;

/** One command on one stream. A step the decider refuses means the plan is out of date. */
export type Step =
  | StepOn<ContactKeyCommand, ContactKeyEvent, ContactKey>
  | StepOn<RegisterContactData, ContactDataRecordEvent, ContactDataRecord>
  | StepOn<ContactCommand, ContactEvent, Contact>;

/** What the store answered to a step it accepted: the stream's state after it. */
export type Answer = Readonly<{
  step: Step;
  state: unknown;
  revision: bigint | null;
  /** where its events landed in the global log; null when it appended nothing */
  checkpoint: Checkpoint | null;
}>;

/** The answers to the steps run since the plan was made, in order. */
export type Observed = readonly Answer[];

export type Next =
  | Readonly<{ kind: 'run'; steps: readonly Step[] }>
  | Readonly<{ kind: 'settled'; contact: LiveContact }>;

const run = (steps: readonly Step[]): Next => ({ kind: 'run', steps });

const onContact = (
  contactId: string,
  command: ContactCommand,
  expected: Expected<Contact>,
): Step => ({ stream: streams.contact(contactId), decider: contactDecider, command, expected });

const claimKey = (item: Keyed, contactId: string, dataId: string): Step => ({
  stream: streams.contactKey(item.key),
  decider: contactKeyDecider,
  command: {
    type: 'ClaimContactKey',
    data: {
      key: item.key,
      contactId,
      dataId,
      replacing: item.holder?.resolved.kind === 'deleted' ? item.holder.contactId : null,
    },
  },
  expected: item.holder === null ? 'no_stream' : 'current',
});

const registerData = (
  plan: ContactPlan,
  contactId: string,
  data: ContactData,
  expected: 'no_stream' | 'current',
): Step => ({
  stream: streams.contactData(data.id),
  decider: contactDataRecordDecider,
  command: {
    type: 'RegisterContactData',
    data: { dataId: data.id, contactId, channelId: plan.channelId, service: data.service },
  },
  expected,
});

const createContact = (
  plan: ContactPlan,
  contactId: string,
  data: readonly ContactData[],
  expected: 'no_stream' | 'current',
): Step =>
  onContact(
    contactId,
    {
      type: 'CreateContact',
      data: {
        contactId,
        channelId: plan.channelId,
        name: plan.job === 'match' ? plan.name : '',
        description: plan.job === 'match' ? (plan.description ?? null) : null,
        data,
        now: plan.now,
      },
    },
    expected,
  );

const updateContact = (survivor: Known, data: UpdateContact['data']): Step =>
  onContact(
    survivor.contact.contactId,
    { type: 'UpdateContact', data },
    { state: survivor.contact, revision: survivor.revision },
  );

/** The contact as the step `command` on it left it, when that step was answered. */
const answered = (
  observed: Observed,
  contactId: string,
  command: ContactCommand['type'],
): Known | null => {
  const stream = streams.contact(contactId);
  const answer = observed.find((a) => a.step.stream === stream && a.step.command.type === command);
  return answer === undefined
    ? null
    : { contact: answer.state as LiveContact, revision: answer.revision as bigint };
};

const isOwned = (holder: Holder | null): holder is Holder =>
  holder !== null && holder.resolved.kind !== 'deleted';

/**
 * A claim is a promise of a contact: a request that makes a contact claims each of its keys
 * and registers each of its data ids first, and appends ContactCreated last, so that
 * concurrent requests with the same data agree on one contact. A request that stops in
 * between leaves a promise nobody kept. Whoever finds an unfulfilled claim fulfils it: it
 * registers the data the claims name and creates that very contact, then goes on with its own
 * request. A key held by a deleted contact is no promise: it is claimed over (`replacing`).
 */
export const fulfil = (plan: ContactPlan, contactId: string): Step[] => {
  const data = plan.items.flatMap((item) =>
    item.holder?.contactId === contactId
      ? [toContactData(item.holder.dataId, item.input, item.key)]
      : [],
  );
  return [
    ...data.map((d) => registerData(plan, contactId, d, 'current')),
    createContact(plan, contactId, data, 'current'),
  ];
};

const olderFirst = (a: Known, b: Known): number =>
  a.contact.createdAt === b.contact.createdAt
    ? a.contact.contactId.localeCompare(b.contact.contactId)
    : a.contact.createdAt.localeCompare(b.contact.createdAt);

type Joined = Next | Readonly<{ kind: 'joined'; survivor: Known }>;

/**
 * The step both jobs share. The owners are one customer: unfulfilled ones are fulfilled, then
 * all are merged into the oldest, which absorbs their data; each merged contact then names it.
 */
const joinOwners = (plan: ContactPlan, observed: Observed): Joined => {
  const owners = [...plan.owners];
  const unfulfilled = owners.filter(
    ([id, owner]) => owner.kind === 'pending' && answered(observed, id, 'CreateContact') === null,
  );
  if (unfulfilled.length > 0) return run(unfulfilled.flatMap(([id]) => fulfil(plan, id)));
  const live = owners.map(([id, owner]) =>
    owner.kind === 'active' ? owner : (answered(observed, id, 'CreateContact') as Known),
  );
  const [oldest, ...others] = [
    ...new Map(live.map((known) => [known.contact.contactId, known])).values(),
  ].sort(olderFirst) as [Known, ...Known[]];
  if (others.length === 0) return { kind: 'joined', survivor: oldest };
  const survivorId = oldest.contact.contactId;
  const absorbed = answered(observed, survivorId, 'AbsorbContacts');
  if (absorbed !== null) return { kind: 'joined', survivor: absorbed };
  return run([
    onContact(
      survivorId,
      {
        type: 'AbsorbContacts',
        data: {
          contacts: others.map((o) => ({ contactId: o.contact.contactId, data: o.contact.data })),
          now: plan.now,
        },
      },
      'current',
    ),
    ...others.map((o) =>
      onContact(
        o.contact.contactId,
        { type: 'MergeInto', data: { survivorId, now: plan.now } },
        'current',
      ),
    ),
  ]);
};

/** Nobody owns the data: claim every key for a new contact, register its data, create it. */
const newContact = (plan: MatchPlan, observed: Observed): Next => {
  const contactId = plan.newContactId;
  const created = answered(observed, contactId, 'CreateContact');
  if (created !== null) return { kind: 'settled', contact: created.contact };
  const data = plan.items.map((item) => toContactData(item.dataId, item.input, item.key));
  return run([
    ...plan.items.map((item) => claimKey(item, contactId, item.dataId)),
    ...data.map((d) => registerData(plan, contactId, d, 'no_stream')),
    createContact(plan, contactId, data, 'no_stream'),
  ]);
};

/** The plan's items whose key the survivor does not have yet (items have one key each). */
const lacking = <T extends Keyed>(items: readonly T[], survivor: Known): T[] => {
  const keys = new Set(survivor.contact.data.map((d) => d.key));
  return items.filter((item) => !keys.has(item.key));
};

/** The survivor takes the name, the description and the data it lacks; free keys are claimed. */
const addData = (plan: MatchPlan, survivor: Known): Step[] => {
  const contactId = survivor.contact.contactId;
  const missing = lacking(plan.items, survivor);
  // a key an owner holds keeps its id: the owner is the survivor now
  const data = missing.map((item) =>
    toContactData(isOwned(item.holder) ? item.holder.dataId : item.dataId, item.input, item.key),
  );
  const claims = missing.flatMap((item, i): Step[] =>
    isOwned(item.holder)
      ? []
      : [
          claimKey(item, contactId, item.dataId),
          registerData(plan, contactId, data[i] as ContactData, 'no_stream'),
        ],
  );
  return [
    ...claims,
    updateContact(survivor, { name: plan.name, description: plan.description, data }),
  ];
};

/** The survivor's items change in place: a new key is claimed first, the old one released last. */
const editData = (plan: EditPlan, survivor: Known): Step[] => {
  const contactId = survivor.contact.contactId;
  const missing = lacking(plan.items, survivor);
  const claims = missing
    .filter((item) => !isOwned(item.holder))
    .map((item) => claimKey(item, contactId, item.dataId));
  // a change that keeps its key (an origin, say) is matched by id
  const data = [...missing, ...plan.items.filter((item) => item.previous === null)].map((item) =>
    toContactData(item.dataId, item.input, item.key),
  );
  // release the old key only once the item really holds the new one
  const releases = plan.items.flatMap(({ previous, dataId, key }): Step[] =>
    previous !== null && data.some((d) => d.id === dataId && d.key === key)
      ? [
          {
            stream: streams.contactKey(previous.key),
            decider: contactKeyDecider,
            command: {
              type: 'ReleaseContactKey',
              data: { key: previous.key, contactId: previous.holderId },
            },
            expected: 'current',
          },
        ]
      : [],
  );
  return [...claims, updateContact(survivor, { name: null, data }), ...releases];
};

/**
 * What to append next. Two jobs, which share only the merge step (joinOwners):
 * - match (`contact_object`): no owner → a new contact; owners → merged into the oldest,
 *   which gains the data it lacks (addData);
 * - edit (`contacts_id`): the contacts of the named data → merged into the oldest, whose
 *   items then change in place (editData).
 * The contact is settled once the survivor's last command (its creation or update) is answered.
 */
export const settle = (plan: ContactPlan, observed: Observed): Next => {
  if (plan.job === 'match' && plan.owners.size === 0) return newContact(plan, observed);
  const joined = joinOwners(plan, observed);
  if (joined.kind !== 'joined') return joined;
  const { survivor } = joined;
  const updated = answered(observed, survivor.contact.contactId, 'UpdateContact');
  if (updated !== null) return { kind: 'settled', contact: updated.contact };
  return run(plan.job === 'match' ? addData(plan, survivor) : editData(plan, survivor));
};
