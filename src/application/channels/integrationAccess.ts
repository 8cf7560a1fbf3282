import type { Either } from 'fp-ts/Either';
import { integrationAccess } from '../../domain/channel/access';
import { channelDecider } from '../../domain/channel/decide';
import type { Channel } from '../../domain/channel/state';
import type { DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import type { AggregateCache } from '../aggregateCache';
import { loadAggregate } from '../aggregates';
import type { EventStore } from '../ports/eventStore';
import { hashToken, sameHash } from '../secrets';
import { streams } from '../streams';

export type LiveChannel = Exclude<Channel, { status: 'absent' }>;

/** `?token=` on the inbound endpoint: the first check of every post (SPEC §2 check order). */
export const authorizeIntegration = async (
  store: EventStore,
  channelId: string,
  token: string | null,
  cache?: AggregateCache,
): Promise<Either<DomainError, LiveChannel>> => {
  const state: Channel = isObjectId(channelId)
    ? (await loadAggregate(store, streams.channel(channelId), channelDecider, cache)).state
    : { status: 'absent' };
  const presented = hashToken(token ?? '');
  return integrationAccess(
    state,
    (t) => token !== null && token !== '' && sameHash(t.tokenHash, presented),
  );
};
