import { EventStoreUnavailableError } from '../../../application/ports/eventStore';
import { withDeadline } from './deadline';

describe('a deadline on a call', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, 'a test')).resolves.toBe(7);
  });

  it('passes the failure through when it comes in time', async () => {
    const failure = new Error('refused');
    await expect(withDeadline(Promise.reject(failure), 1_000, 'a test')).rejects.toBe(failure);
  });

  it('fails as unavailable when no answer comes', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withDeadline(never, 20, 'an append to s')).rejects.toThrow(
      new EventStoreUnavailableError('EventStoreDB did not answer an append to s within 20 ms'),
    );
  });
});
