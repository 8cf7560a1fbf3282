import type { AuditorTokenSpec } from '../../domain/auditor/commands';
import { hashToken, newToken } from '../secrets';

/** `paud_<secret>`: the prefix tells staff authentication which roster to look in. */
export const AUDITOR_TOKEN_PREFIX = 'paud_';

export const isAuditorToken = (token: string): boolean => token.startsWith(AUDITOR_TOKEN_PREFIX);

export const newAuditorToken = (
  tokenId: string,
): Readonly<{ token: string; spec: AuditorTokenSpec }> => {
  const token = newToken(AUDITOR_TOKEN_PREFIX);
  // enough of the token to tell tokens apart in a list, far too little to guess the rest
  const prefix = token.slice(0, AUDITOR_TOKEN_PREFIX.length + 4);
  return { token, spec: { tokenId, tokenHash: hashToken(token), prefix } };
};
