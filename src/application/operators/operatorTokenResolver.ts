import { operatorAccess } from '../../domain/operator/access';
import { operatorDecider } from '../../domain/operator/decide';
import type { OperatorEvent } from '../../domain/operator/events';
import type { Operator } from '../../domain/operator/state';
import { toDomainEvent } from '../commandHandler';
import type { EventStore } from '../ports/eventStore';
import { hashToken, sameHash } from '../secrets';
import { streams } from '../streams';
import { operatorIdOfToken } from './operatorToken';

type Cached = { state: Operator; revision: bigint };

export type OperatorTokenResolver = (
  token: string,
) => Promise<Readonly<{ operatorId: string }> | null>;

/**
 * Finds the operator a bearer token belongs to. Each operator's state is cached with its stream
 * revision and brought up to date by reading only the events after it, so a revoked token stops
 * working at the next request while a request costs one short read.
 */
export const operatorTokenResolver = (
  store: EventStore,
  maxCached = 10_000,
): OperatorTokenResolver => {
  const cache = new Map<string, Cached>();

  const current = async (operatorId: string): Promise<Operator> => {
    const streamId = streams.operator(operatorId);
    const cached = cache.get(operatorId);
    const newer = await store.readStream(
      streamId,
      cached === undefined ? {} : { fromRevision: cached.revision + 1n },
    );
    const last = newer[newer.length - 1];
    if (last === undefined) return cached?.state ?? operatorDecider.initialState();
    const state = newer.reduce(
      (s, r) => operatorDecider.evolve(s, toDomainEvent<OperatorEvent>(r)),
      cached?.state ?? operatorDecider.initialState(),
    );
    if (cache.size >= maxCached && !cache.has(operatorId)) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(operatorId, { state, revision: last.revision });
    return state;
  };

  return async (token) => {
    const operatorId = operatorIdOfToken(token);
    if (operatorId === null) return null;
    const hash = hashToken(token);
    const operator = await current(operatorId);
    return operatorAccess(operator, (t) => sameHash(t.tokenHash, hash)) ? { operatorId } : null;
  };
};
