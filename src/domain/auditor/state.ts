import type { AuditorEvent } from './events';

export type AuditorToken = Readonly<{
  tokenId: string;
  tokenHash: string;
  prefix: string;
  issuedAt: string;
}>;

export type Auditor = Readonly<{
  auditorId: string;
  name: string;
  createdAt: string;
  tokens: readonly AuditorToken[];
}>;

/** The roster of current auditors, in the order they were created; removed ones are gone. */
export type Auditors = Readonly<{ auditors: readonly Auditor[] }>;

export const initialState = (): Auditors => ({ auditors: [] });

export const findAuditor = (state: Auditors, auditorId: string): Auditor | undefined =>
  state.auditors.find((a) => a.auditorId === auditorId);

export const evolve = (state: Auditors, event: AuditorEvent): Auditors => {
  switch (event.type) {
    case 'AuditorCreated': {
      const { auditorId, name, createdAt } = event.data;
      return { auditors: [...state.auditors, { auditorId, name, createdAt, tokens: [] }] };
    }
    case 'AuditorTokenIssued': {
      const { auditorId, tokenId, tokenHash, prefix, issuedAt } = event.data;
      return {
        auditors: state.auditors.map((a) =>
          a.auditorId === auditorId
            ? { ...a, tokens: [...a.tokens, { tokenId, tokenHash, prefix, issuedAt }] }
            : a,
        ),
      };
    }
    case 'AuditorRemoved':
      return { auditors: state.auditors.filter((a) => a.auditorId !== event.data.auditorId) };
  }
};
