import { EventStoreUnavailableError } from '../../../application/ports/eventStore';

/**
 * The work, or EventStoreUnavailableError once `ms` have passed. The client sends some calls
 * (the server-features probe before the first append, the append stream itself) with no
 * deadline, so a server that accepts connections and never answers would hang a request.
 * The work is not cancelled: a late append may still land, which the caller's expected
 * revision makes safe to retry.
 */
export const withDeadline = <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EventStoreUnavailableError(`EventStoreDB did not answer ${what} within ${ms} ms`, 2),
        ),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
};
