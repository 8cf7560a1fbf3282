import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';
import { named } from '../openapi/fromContracts';
import { dateTime, nullable } from './answers';
import { staffMemberAnswer } from './operatorAnswers';

const anObject = describedAs(
  t.refinement(
    t.unknown,
    (u) => typeof u === 'object' && u !== null && !Array.isArray(u),
    'JSON object',
  ),
  { type: 'object' },
);

/** One event of a history (routes/history.ts historyItemJson). */
export const historyItemAnswer = named(
  'HistoryItem',
  t.exact(
    t.type({
      position: t.string,
      stream: t.string,
      revision: t.string,
      type: t.string,
      recorded_at: dateTime,
      actor: anObject,
      correlation_id: t.string,
      causation_id: nullable(t.string),
      data: anObject,
      summary: t.string,
    }),
  ),
  {
    position: {
      description: 'global log position (as X-Parley-Position); usable as at_position',
    },
    revision: { description: '0-based revision in the stream, a decimal 64-bit integer' },
    type: { description: 'the event type (docs/events.md)' },
    actor: { description: 'integration + channelId, operator + operatorId, admin or system' },
    correlation_id: { description: 'the X-Request-Id of the request that caused it' },
    data: { description: 'the event data, without token hashes' },
    summary: { description: 'one line in plain words' },
  },
);

export const historyPageAnswer = named(
  'HistoryPage',
  t.exact(t.type({ items: t.readonlyArray(historyItemAnswer), next_cursor: nullable(t.string) })),
);

const AUDITOR_TOKEN = /^paud_[A-Za-z0-9_-]+$/;

/** An auditor on the roster (routes/auditors.ts auditorView). */
export const auditorAnswer = staffMemberAnswer('Auditor');

export const createdAuditorAnswer = t.intersection([
  auditorAnswer,
  t.exact(
    t.type({
      token: t.exact(
        t.type({
          id: t.string,
          token: describedAs(
            t.refinement(t.string, (s) => AUDITOR_TOKEN.test(s), 'auditor token'),
            { pattern: AUDITOR_TOKEN.source },
          ),
        }),
      ),
    }),
  ),
]);

export const auditorListAnswer = t.exact(t.type({ items: t.readonlyArray(auditorAnswer) }));
