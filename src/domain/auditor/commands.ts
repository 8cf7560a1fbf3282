import type { Command } from '../shared/decider';

/** A token as the application made it: the token itself never reaches the domain. */
export type AuditorTokenSpec = Readonly<{ tokenId: string; tokenHash: string; prefix: string }>;

/** An auditor is created with a first token, so that creating one is enough to let them in. */
export type CreateAuditor = Command<
  'CreateAuditor',
  { auditorId: string; name: string; token: AuditorTokenSpec; now: string }
>;
export type RemoveAuditor = Command<'RemoveAuditor', { auditorId: string; now: string }>;

export type AuditorCommand = CreateAuditor | RemoveAuditor;
