import { contactDecider } from '../../domain/contact/decide';
import { fold } from '../../domain/shared/decider';
import { streams } from '../streams';
import { contactCreated, contactDataAdded, customId } from '../../domain/testing/builders/contact';
import { CHANNEL, CONTACT, OTHER_CONTACT, T0 } from '../../domain/testing/builders/ids';
import type { LiveContact, Resolved } from './contactDirectory';
import type { Holder, MatchPlan } from './planContact';
import { settle, type Observed, type Step } from './settlement';

const NOW = '2026-01-05T08:00:00.000Z';
const NEW_CONTACT = 'f0000000000000000000000a';
const NEW_DATA = 'f0000000000000000000000b';
const ABC = customId('abc', 'da000000000000000000000a');

const live = (contactId: string): Resolved => ({
  kind: 'active',
  contact: fold(contactDecider, [
    contactCreated({ contactId, createdAt: T0 }),
    contactDataAdded({ contactId, data: ABC }),
  ]) as LiveContact,
  revision: 1n,
});

/** A contact_object request with one item, `abc`, whose key has `holder`. */
const planWith = (holder: Holder | null): MatchPlan => ({
  job: 'match',
  channelId: CHANNEL,
  now: NOW,
  name: 'Vasya Pupkin',
  description: undefined,
  newContactId: NEW_CONTACT,
  owners:
    holder === null || holder.resolved.kind === 'deleted'
      ? new Map()
      : new Map([
          [
            holder.resolved.kind === 'active'
              ? holder.resolved.contact.contactId
              : holder.resolved.contactId,
            holder.resolved,
          ],
        ]),
  items: [
    {
      input: { type: 'id', value: 'abc', service: 'custom', origin: 'custom' },
      key: ABC.key,
      holder,
      dataId: NEW_DATA,
    },
  ],
});

/** A step in a line: its command, its stream, and the revision it expects. */
const line = (step: Step): string => {
  const expected =
    typeof step.expected === 'string' ? step.expected : `revision ${step.expected.revision}`;
  const data = step.command.data as { contactId?: string; replacing?: string | null };
  const who = data.replacing ? ` replacing ${data.replacing}` : '';
  return `${step.command.type} ${step.stream} (${expected})${who}`;
};

const firstSteps = (plan: MatchPlan, observed: Observed = []): string[] => {
  const next = settle(plan, observed);
  return next.kind === 'run' ? next.steps.map(line) : [`settled ${next.contact.contactId}`];
};

const key = streams.contactKey(ABC.key);

/**
 * A claim is a promise of a contact; whoever finds an unfulfilled one fulfils it
 * (see `fulfil` in settlement.ts). What a request does with what it finds at its key:
 */
describe('what a request does with the claim it finds on its key', () => {
  it.each<[string, Holder | null, string[]]>([
    [
      'no claim: claims the key for a new contact, registers the data id, creates the contact',
      null,
      [
        `ClaimContactKey ${key} (no_stream)`,
        `RegisterContactData ${streams.contactData(NEW_DATA)} (no_stream)`,
        `CreateContact ${streams.contact(NEW_CONTACT)} (no_stream)`,
      ],
    ],
    [
      'an unfulfilled claim: fulfils it, creating the promised contact with the claimed data id',
      { contactId: CONTACT, dataId: ABC.id, resolved: { kind: 'pending', contactId: CONTACT } },
      [
        `RegisterContactData ${streams.contactData(ABC.id)} (current)`,
        `CreateContact ${streams.contact(CONTACT)} (current)`,
      ],
    ],
    [
      'a kept claim: joins that contact, on the revision it read',
      { contactId: CONTACT, dataId: ABC.id, resolved: live(CONTACT) },
      [`UpdateContact ${streams.contact(CONTACT)} (revision 1)`],
    ],
    [
      'a claim of a merged contact: joins the survivor',
      { contactId: CONTACT, dataId: ABC.id, resolved: live(OTHER_CONTACT) },
      [`UpdateContact ${streams.contact(OTHER_CONTACT)} (revision 1)`],
    ],
    [
      'a claim of a deleted contact: no promise any more, claimed over for a new contact',
      {
        contactId: CONTACT,
        dataId: ABC.id,
        resolved: { kind: 'deleted', contactId: CONTACT, erased: false },
      },
      [
        `ClaimContactKey ${key} (current) replacing ${CONTACT}`,
        `RegisterContactData ${streams.contactData(NEW_DATA)} (no_stream)`,
        `CreateContact ${streams.contact(NEW_CONTACT)} (no_stream)`,
      ],
    ],
  ])('%s', (_, holder, steps) => expect(firstSteps(planWith(holder))).toEqual(steps));

  it('once it fulfilled the claim, it goes on with the contact it created', () => {
    const plan = planWith({
      contactId: CONTACT,
      dataId: ABC.id,
      resolved: { kind: 'pending', contactId: CONTACT },
    });
    const first = settle(plan, []);
    if (first.kind !== 'run') throw new Error('expected steps first');
    const [register, create] = first.steps as [Step, Step];
    const created = live(CONTACT) as Extract<Resolved, { kind: 'active' }>;
    const observed: Observed = [
      { step: register, state: null, revision: 0n, checkpoint: null },
      { step: create, state: created.contact, revision: 1n, checkpoint: null },
    ];
    expect(firstSteps(plan, observed)).toEqual([
      `UpdateContact ${streams.contact(CONTACT)} (revision 1)`,
    ]);
  });
});
