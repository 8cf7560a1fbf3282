import { fold } from '../shared/decider';
import { specFor } from '../testing/gwt';
import {
  createOperator,
  issueOperatorToken,
  operatorCreated,
  operatorTokenIssued,
  operatorTokenRevoked,
  OPERATOR_TOKEN,
  OTHER_OPERATOR_TOKEN,
  revokeOperatorToken,
} from '../testing/builders/operator';
import { T1 } from '../testing/builders/ids';
import { operatorAccess } from './access';
import { operatorDecider } from './decide';

const given = specFor(operatorDecider);

describe('operator', () => {
  describe('CreateOperator', () => {
    it('creates an operator with a first token', () =>
      given().when(createOperator()).then(operatorCreated(), operatorTokenIssued()));
    it('refuses to create it twice', () =>
      given(operatorCreated(), operatorTokenIssued())
        .when(createOperator())
        .thenFails('E_ALREADY_EXISTS'));
  });

  describe('tokens', () => {
    it('issues another token', () =>
      given(operatorCreated(), operatorTokenIssued())
        .when(issueOperatorToken())
        .then(operatorTokenIssued({ ...OTHER_OPERATOR_TOKEN, issuedAt: T1 })));
    it('issuing the same token id again changes nothing', () =>
      given(operatorCreated(), operatorTokenIssued())
        .when(issueOperatorToken({ token: OPERATOR_TOKEN }))
        .thenNothingHappens());
    it('refuses a token for an operator that does not exist', () =>
      given().when(issueOperatorToken()).thenFails('E_OPERATOR_NOT_FOUND'));
    it('revokes a live token', () =>
      given(operatorCreated(), operatorTokenIssued())
        .when(revokeOperatorToken())
        .then(operatorTokenRevoked()));
    it('refuses to revoke a token twice', () =>
      given(operatorCreated(), operatorTokenIssued(), operatorTokenRevoked())
        .when(revokeOperatorToken())
        .thenFails('E_TOKEN_NOT_FOUND'));
    it('refuses to revoke on an operator that does not exist', () =>
      given().when(revokeOperatorToken()).thenFails('E_OPERATOR_NOT_FOUND'));
  });

  describe('access', () => {
    const byHash = (hash: string) => (token: { tokenHash: string }) => token.tokenHash === hash;
    it('lets a live token in', () =>
      expect(
        operatorAccess(
          fold(operatorDecider, [operatorCreated(), operatorTokenIssued()]),
          byHash(OPERATOR_TOKEN.tokenHash),
        ),
      ).toBe(true));
    it('keeps a revoked token out', () =>
      expect(
        operatorAccess(
          fold(operatorDecider, [operatorCreated(), operatorTokenIssued(), operatorTokenRevoked()]),
          byHash(OPERATOR_TOKEN.tokenHash),
        ),
      ).toBe(false));
    it('keeps everyone out of an operator that does not exist', () =>
      expect(operatorAccess(fold(operatorDecider, []), () => true)).toBe(false));
    it('compares every token, not only up to the first match', () => {
      const compared: string[] = [];
      operatorAccess(
        fold(operatorDecider, [
          operatorCreated(),
          operatorTokenIssued(),
          operatorTokenIssued({ ...OTHER_OPERATOR_TOKEN }),
        ]),
        (token) => (compared.push(token.tokenId), token.tokenHash === OPERATOR_TOKEN.tokenHash),
      );
      expect(compared).toHaveLength(2);
    });
  });
});
