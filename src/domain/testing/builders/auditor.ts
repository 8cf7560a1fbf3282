import type { AuditorCommand } from '../../auditor/commands';
import type { AuditorEvent } from '../../auditor/events';
import { builderOf } from './builder';
import { T0, T1 } from './ids';

const event = builderOf<AuditorEvent>();
const command = builderOf<AuditorCommand>();

export const AUDITOR = '70000000000000000000000a';
export const OTHER_AUDITOR = '70000000000000000000000b';
export const AUDITOR_TOKEN = {
  tokenId: '71000000000000000000000a',
  tokenHash: 'a'.repeat(64),
  prefix: 'paud_abcd',
};

export const auditorCreated = event('AuditorCreated', () => ({
  auditorId: AUDITOR,
  name: 'Vera',
  createdAt: T0,
}));
export const auditorTokenIssued = event('AuditorTokenIssued', () => ({
  auditorId: AUDITOR,
  ...AUDITOR_TOKEN,
  issuedAt: T0,
}));
export const auditorRemoved = event('AuditorRemoved', () => ({
  auditorId: AUDITOR,
  removedAt: T1,
}));

export const createAuditor = command('CreateAuditor', () => ({
  auditorId: AUDITOR,
  name: 'Vera',
  token: AUDITOR_TOKEN,
  now: T0,
}));
export const removeAuditor = command('RemoveAuditor', () => ({ auditorId: AUDITOR, now: T1 }));
