import type { Operator, OperatorToken } from './state';

/**
 * Does a bearer token belong to this operator? `matches` compares in constant time, and every
 * live token is compared, matched or not, so timing tells nothing about which one matched.
 */
export const operatorAccess = (
  operator: Operator,
  matches: (token: OperatorToken) => boolean,
): boolean => operator.status !== 'absent' && operator.tokens.map(matches).includes(true);
