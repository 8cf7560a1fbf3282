import type { ContactEvent } from '../../domain/contact/events';
import {
  contactCreated,
  contactDeleted,
  contactErased,
  contactMergedInto,
  contactsMerged,
} from '../../domain/testing/builders/contact';
import { CONTACT, OTHER_CONTACT, T0, T1, THIRD_CONTACT } from '../../domain/testing/builders/ids';
import { memorySubjectKeys } from '../../../test/support/subjectKeys';
import { given, inStream, NOW, type World } from '../../../test/support/useCase';
import { streams } from '../streams';
import { eraseContact } from './eraseContact';

/** THIRD was merged into OTHER, then OTHER into CONTACT: a chain of two merges. */
const chain: Record<string, readonly ContactEvent[]> = {
  [streams.contact(CONTACT)]: [
    contactCreated({ createdAt: T0 }),
    contactsMerged({ mergedContactIds: [OTHER_CONTACT] }),
  ],
  [streams.contact(OTHER_CONTACT)]: [
    contactCreated({ contactId: OTHER_CONTACT, createdAt: T0 }),
    contactsMerged({ contactId: OTHER_CONTACT, mergedContactIds: [THIRD_CONTACT] }),
    contactMergedInto({ contactId: OTHER_CONTACT, survivorId: CONTACT }),
  ],
  [streams.contact(THIRD_CONTACT)]: [
    contactCreated({ contactId: THIRD_CONTACT, createdAt: T1 }),
    contactMergedInto({ contactId: THIRD_CONTACT, survivorId: OTHER_CONTACT }),
  ],
};

const erasing = (contactId: string, keys = memorySubjectKeys()) => ({
  keys,
  act: (world: World) => eraseContact({ ...world, subjectKeys: keys }, contactId, world.context),
});

const everyone = [CONTACT, OTHER_CONTACT, THIRD_CONTACT];

describe('eraseContact, on the in-memory store', () => {
  it('destroys the keys of the contact and of every contact merged into it, then records it', async () => {
    const { keys, act } = erasing(CONTACT);
    await given(chain)
      .when(act)
      .then(() => ({
        result: { contactId: CONTACT, erasedContactIds: everyone },
        events: inStream(
          streams.contact(CONTACT),
          contactErased({ erasedContactIds: everyone, erasedAt: NOW }),
        ),
      }));
    expect(keys.destroyed).toEqual(everyone);
  });

  it('a merged id erases its survivor, the contact it stands for', async () => {
    const { keys, act } = erasing(THIRD_CONTACT);
    await given(chain)
      .when(act)
      .then(() => ({
        result: { contactId: CONTACT, erasedContactIds: everyone },
        events: inStream(
          streams.contact(CONTACT),
          contactErased({ erasedContactIds: everyone, erasedAt: NOW }),
        ),
      }));
    expect(keys.destroyed).toEqual(everyone);
  });

  it('erases a deleted contact: deleting kept its data in the log', () =>
    given({ [streams.contact(CONTACT)]: [contactCreated(), contactDeleted()] })
      .when(erasing(CONTACT).act)
      .then(() => ({
        result: { contactId: CONTACT, erasedContactIds: [CONTACT] },
        events: inStream(streams.contact(CONTACT), contactErased({ erasedAt: NOW })),
      })));

  it('a retry appends nothing, answers the same and destroys the keys again', async () => {
    const { keys, act } = erasing(OTHER_CONTACT);
    await given({
      ...chain,
      [streams.contact(CONTACT)]: [
        ...(chain[streams.contact(CONTACT)] ?? []),
        contactErased({ erasedContactIds: everyone }),
      ],
    })
      .when(act)
      .then(() => ({
        result: { contactId: CONTACT, erasedContactIds: everyone, checkpoint: null },
        events: [],
      }));
    expect(keys.destroyed).toEqual(everyone);
  });

  it('refuses an id that names no contact, destroying nothing', async () => {
    const { keys, act } = erasing(OTHER_CONTACT);
    await given().when(act).thenFails('E_CONTACT_NOT_FOUND');
    expect(keys.destroyed).toEqual([]);
  });

  it('refuses a malformed id', () =>
    given().when(erasing('nope').act).thenFails('E_CONTACT_NOT_FOUND'));

  describe('with an Idempotency-Key', () => {
    const response = { contactId: CONTACT, erasedContactIds: everyone };
    const recorded = {
      type: 'EraseRequestRecorded',
      data: { scope: 'contact-erase', requestHash: CONTACT, response },
    } as const;
    const withKey = (contactId: string) => (world: World) =>
      eraseContact({ ...world, subjectKeys: memorySubjectKeys() }, contactId, world.context, 'k-1');

    it('records the answer, ids only', () =>
      given(chain)
        .when(withKey(CONTACT))
        .then(() => ({
          result: response,
          events: [
            ...inStream(
              streams.contact(CONTACT),
              contactErased({ erasedContactIds: everyone, erasedAt: NOW }),
            ),
            ...inStream(streams.idempotency('contact-erase', 'k-1'), recorded),
          ],
        })));

    it('answers a retry with the recorded answer', () =>
      given({ ...chain, [streams.idempotency('contact-erase', 'k-1')]: [recorded] })
        .when(withKey(CONTACT))
        .then(() => ({ result: { ...response, checkpoint: null }, events: [] })));

    it('refuses the key for another contact', () =>
      given({ ...chain, [streams.idempotency('contact-erase', 'k-1')]: [recorded] })
        .when(withKey(THIRD_CONTACT))
        .thenFails('E_IDEMPOTENCY_CONFLICT'));
  });
});
