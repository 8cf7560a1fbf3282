import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { AuditorCommand } from './commands';
import type { AuditorEvent } from './events';
import { evolve, findAuditor, initialState, type Auditors } from './state';

type Decision = Either<DomainError, readonly AuditorEvent[]>;

export const decide = (command: AuditorCommand, state: Auditors): Decision => {
  switch (command.type) {
    case 'CreateAuditor': {
      const { auditorId, name, token, now } = command.data;
      if (findAuditor(state, auditorId) !== undefined)
        return left(domainError('E_ALREADY_EXISTS', 'auditor already exists'));
      return right([
        { type: 'AuditorCreated', data: { auditorId, name, createdAt: now } },
        { type: 'AuditorTokenIssued', data: { auditorId, ...token, issuedAt: now } },
      ]);
    }
    case 'RemoveAuditor': {
      const { auditorId, now } = command.data;
      return findAuditor(state, auditorId) === undefined
        ? left(domainError('E_NOT_FOUND', 'auditor not found'))
        : right([{ type: 'AuditorRemoved', data: { auditorId, removedAt: now } }]);
    }
    default:
      return absurd(command);
  }
};

export const auditorDecider: Decider<AuditorCommand, AuditorEvent, Auditors> = {
  initialState,
  evolve,
  decide,
};

/**
 * The auditor a token hash belongs to, if any. `matches` compares in constant time, and every
 * live token is compared, matched or not, so timing tells nothing about which one matched.
 */
export const auditorWithToken = (
  state: Auditors,
  matches: (tokenHash: string) => boolean,
): string | null => {
  let found: string | null = null;
  for (const auditor of state.auditors)
    for (const token of auditor.tokens) if (matches(token.tokenHash)) found = auditor.auditorId;
  return found;
};
