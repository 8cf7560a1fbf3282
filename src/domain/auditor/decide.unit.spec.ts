import { fold } from '../shared/decider';
import { specFor } from '../testing/gwt';
import {
  AUDITOR,
  AUDITOR_TOKEN,
  auditorCreated,
  auditorRemoved,
  auditorTokenIssued,
  createAuditor,
  OTHER_AUDITOR,
  removeAuditor,
} from '../testing/builders/auditor';
import { auditorDecider, auditorWithToken } from './decide';

const given = specFor(auditorDecider);

describe('auditors', () => {
  describe('CreateAuditor', () => {
    it('creates an auditor with a first token', () =>
      given().when(createAuditor()).then(auditorCreated(), auditorTokenIssued()));
    it('creates a second auditor beside the first', () =>
      given(auditorCreated(), auditorTokenIssued())
        .when(createAuditor({ auditorId: OTHER_AUDITOR }))
        .then(
          auditorCreated({ auditorId: OTHER_AUDITOR }),
          auditorTokenIssued({ auditorId: OTHER_AUDITOR }),
        ));
    it('refuses to create the same auditor twice', () =>
      given(auditorCreated(), auditorTokenIssued())
        .when(createAuditor())
        .thenFails('E_ALREADY_EXISTS'));
  });

  describe('RemoveAuditor', () => {
    it('removes a current auditor', () =>
      given(auditorCreated(), auditorTokenIssued()).when(removeAuditor()).then(auditorRemoved()));
    it('refuses to remove one that is not there', () =>
      given().when(removeAuditor()).thenFails('E_NOT_FOUND'));
    it('refuses to remove one twice', () =>
      given(auditorCreated(), auditorTokenIssued(), auditorRemoved())
        .when(removeAuditor())
        .thenFails('E_NOT_FOUND'));
  });

  describe('access', () => {
    const byHash = (hash: string) => (tokenHash: string) => tokenHash === hash;
    it('lets a current auditor’s token in', () =>
      expect(
        auditorWithToken(
          fold(auditorDecider, [auditorCreated(), auditorTokenIssued()]),
          byHash(AUDITOR_TOKEN.tokenHash),
        ),
      ).toBe(AUDITOR));
    it('keeps a removed auditor out', () =>
      expect(
        auditorWithToken(
          fold(auditorDecider, [auditorCreated(), auditorTokenIssued(), auditorRemoved()]),
          byHash(AUDITOR_TOKEN.tokenHash),
        ),
      ).toBeNull());
    it('keeps an unknown token out', () =>
      expect(
        auditorWithToken(
          fold(auditorDecider, [auditorCreated(), auditorTokenIssued()]),
          byHash('b'.repeat(64)),
        ),
      ).toBeNull());
    it('compares every token, not only up to the first match', () => {
      let compared = 0;
      auditorWithToken(
        fold(auditorDecider, [
          auditorCreated(),
          auditorTokenIssued(),
          auditorCreated({ auditorId: OTHER_AUDITOR }),
          auditorTokenIssued({ auditorId: OTHER_AUDITOR, tokenHash: 'c'.repeat(64) }),
        ]),
        (hash) => (compared++, hash === AUDITOR_TOKEN.tokenHash),
      );
      expect(compared).toBe(2);
    });
  });
});
