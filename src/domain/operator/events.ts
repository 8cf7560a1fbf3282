import type { Event } from '../shared/decider';
import type { OperatorId } from '../shared/ids';

export type OperatorCreated = Event<
  'OperatorCreated',
  { operatorId: OperatorId; name: string; createdAt: string }
>;
/** Only the SHA-256 of a token is ever recorded; `prefix` lets an admin tell tokens apart. */
export type OperatorTokenIssued = Event<
  'OperatorTokenIssued',
  { operatorId: OperatorId; tokenId: string; tokenHash: string; prefix: string; issuedAt: string }
>;
export type OperatorTokenRevoked = Event<
  'OperatorTokenRevoked',
  { operatorId: OperatorId; tokenId: string; revokedAt: string }
>;

export type OperatorEvent = OperatorCreated | OperatorTokenIssued | OperatorTokenRevoked;

export const operatorEventTypes: readonly OperatorEvent['type'][] = [
  'OperatorCreated',
  'OperatorTokenIssued',
  'OperatorTokenRevoked',
];
