import * as t from 'io-ts';
import { named } from '../openapi/fromContracts';
import { absoluteUrl, dateTime } from './answers';

/** A live token's id and prefix, never the token (channels, operators, auditors). */
export const tokenSummaryAnswer = named(
  'TokenSummary',
  t.exact(t.type({ id: t.string, prefix: t.string, issued_at: dateTime })),
  { '': { description: "a live token's id and prefix, never the token" } },
);

/** A token as issued: shown this once. */
export const issuedTokenAnswer = named(
  'IssuedToken',
  t.exact(t.type({ id: t.string, token: t.string, prefix: t.string })),
  { token: { description: 'shown this once; only its SHA-256 is kept' } },
);

/** A channel, from its stream or the channels read model (routes/channels.ts channelView). */
export const channelAnswer = named(
  'Channel',
  t.exact(
    t.type({
      id: t.string,
      name: t.string,
      enabled: t.boolean,
      deleted: t.boolean,
      created_at: dateTime,
      endpoint_url: absoluteUrl,
      tokens: t.readonlyArray(tokenSummaryAnswer),
    }),
  ),
);

/** A channel just created, with its first token. */
export const createdChannelAnswer = t.intersection([
  channelAnswer,
  t.exact(t.type({ token: issuedTokenAnswer })),
]);

export const channelListAnswer = t.exact(t.type({ items: t.readonlyArray(channelAnswer) }));
