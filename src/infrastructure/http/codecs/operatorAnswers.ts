import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';
import { named } from '../openapi/fromContracts';
import type { Schema } from '../openapi/schema';
import { dateTime, parleyId } from './answers';
import { tokenSummaryAnswer } from './channelAnswers';

/** Someone on staff with tokens (operators, auditors): the same shape under another name. */
export const staffMemberAnswer = (name: string, notes: Record<string, Schema> = {}) =>
  named(
    name,
    t.exact(
      t.type({
        id: parleyId,
        name: t.string,
        created_at: dateTime,
        tokens: t.readonlyArray(tokenSummaryAnswer),
      }),
    ),
    notes,
  );

/** An operator, read from its stream (routes/operators.ts operatorView). */
export const operatorAnswer = staffMemberAnswer('Operator', {
  tokens: { description: 'live tokens: their ids and prefixes, never the tokens' },
});

const OPERATOR_TOKEN = /^pop_[0-9a-f]{24}_[A-Za-z0-9_-]+$/;

/** An operator's token as issued: shown once. */
export const operatorTokenAnswer = named(
  'OperatorToken',
  t.exact(
    t.type({
      id: t.string,
      token: describedAs(
        t.refinement(t.string, (s) => OPERATOR_TOKEN.test(s), 'operator token'),
        { pattern: OPERATOR_TOKEN.source },
      ),
    }),
  ),
  { token: { description: 'shown once; send as Authorization: Bearer <token>' } },
);

export const createdOperatorAnswer = t.intersection([
  operatorAnswer,
  t.exact(t.type({ token: operatorTokenAnswer })),
]);

export const operatorListAnswer = t.exact(
  t.type({
    items: t.readonlyArray(t.exact(t.type({ id: t.string, name: t.string, created_at: dateTime }))),
  }),
);
