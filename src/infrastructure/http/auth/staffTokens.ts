import type { AuditorTokenResolver } from '../../../application/audit/auditorTokenResolver';
import { isAuditorToken } from '../../../application/audit/auditorToken';
import type { OperatorTokenResolver } from '../../../application/operators/operatorTokenResolver';
import type { OperatorTokens } from './staffAuth';

/** Bearer tokens other than the admin's: the token's prefix says whose roster to look in. */
export const staffTokens =
  (operators: OperatorTokenResolver, auditors: AuditorTokenResolver): OperatorTokens =>
  (token) =>
    isAuditorToken(token) ? auditors(token) : operators(token);
