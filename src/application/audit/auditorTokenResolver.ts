import { auditorDecider, auditorWithToken } from '../../domain/auditor/decide';
import type { AuditorEvent } from '../../domain/auditor/events';
import type { Auditors } from '../../domain/auditor/state';
import { toDomainEvent } from '../commandHandler';
import type { EventStore } from '../ports/eventStore';
import { hashToken, sameHash } from '../secrets';
import { streams } from '../streams';
import { isAuditorToken } from './auditorToken';

export type AuditorTokenResolver = (
  token: string,
) => Promise<Readonly<{ auditorId: string }> | null>;

/**
 * Finds the auditor a bearer token belongs to. The roster is cached with its stream revision
 * and brought up to date by reading only the events after it, so a removed auditor is shut out
 * at the next request while a request costs one short read.
 */
export const auditorTokenResolver = (store: EventStore): AuditorTokenResolver => {
  let cached: { state: Auditors; revision: bigint | null } = {
    state: auditorDecider.initialState(),
    revision: null,
  };
  const current = async (): Promise<Auditors> => {
    const from = cached.revision === null ? {} : { fromRevision: cached.revision + 1n };
    const newer = await store.readStream(streams.auditors(), from);
    const last = newer[newer.length - 1];
    if (last === undefined) return cached.state;
    const state = newer.reduce(
      (s, r) => auditorDecider.evolve(s, toDomainEvent<AuditorEvent>(r)),
      cached.state,
    );
    // another request may have caught up further meanwhile: keep the newest
    if (cached.revision === null || last.revision > cached.revision)
      cached = { state, revision: last.revision };
    return state;
  };
  return async (token) => {
    if (!isAuditorToken(token)) return null;
    const hash = hashToken(token);
    const auditorId = auditorWithToken(await current(), (h) => sameHash(h, hash));
    return auditorId === null ? null : { auditorId };
  };
};
