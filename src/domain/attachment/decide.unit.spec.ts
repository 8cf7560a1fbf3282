import { specFor } from '../testing/gwt';
import {
  attachmentFetchFailed,
  attachmentStored,
  recordFailure,
  recordStored,
} from '../testing/builders/attachment';
import { attachmentDecider } from './decide';

const given = specFor(attachmentDecider);

describe('attachments', () => {
  it('records a kept file as stored', () => given().when(recordStored()).then(attachmentStored()));
  it('records a file given up on as failed, with the reason', () =>
    given()
      .when(recordFailure({ reason: 'the server answered 404' }))
      .then(attachmentFetchFailed({ reason: 'the server answered 404' })));
  it('records the outcome once: storing again changes nothing', () =>
    given(attachmentStored()).when(recordStored()).thenNothingHappens());
  it('never turns a stored file into a failed one (a late worker loses)', () =>
    given(attachmentStored()).when(recordFailure()).thenNothingHappens());
  it('never turns a failed file into a stored one', () =>
    given(attachmentFetchFailed()).when(recordStored()).thenNothingHappens());
});
