import type { Event } from '../shared/decider';

/** Every auditor lives in one stream (`auditors`): they are few, and listing them needs no read model. */
export type AuditorCreated = Event<
  'AuditorCreated',
  { auditorId: string; name: string; createdAt: string }
>;
/** Only the SHA-256 of a token is ever recorded; `prefix` lets an admin tell tokens apart. */
export type AuditorTokenIssued = Event<
  'AuditorTokenIssued',
  { auditorId: string; tokenId: string; tokenHash: string; prefix: string; issuedAt: string }
>;
/** The auditor's tokens stop working; the auditor's earlier events stay for audit. */
export type AuditorRemoved = Event<'AuditorRemoved', { auditorId: string; removedAt: string }>;

export type AuditorEvent = AuditorCreated | AuditorTokenIssued | AuditorRemoved;

export const auditorEventTypes: readonly AuditorEvent['type'][] = [
  'AuditorCreated',
  'AuditorTokenIssued',
  'AuditorRemoved',
];
