import fc from 'fast-check';
import {
  awkwardText,
  itAppliesRunsAsHandlers,
  recorded,
  recordingTimes,
  type Given,
} from '../../../test/support/projectionSpec';
import type { ParleyEvent } from '../../domain';
import { dialogsProjection } from './dialogsProjection';

const text = awkwardText([...'<>/&'.split(''), '<b>']);
const at = recordingTimes;
// d5 is never opened: its messages find no dialog
const dialogId = fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5');
const attachment = fc.record(
  {
    url: fc.constant('https://files.example/a'),
    size: fc.nat(1000),
    name: text,
    mimeType: fc.constant('image/png'),
    // a repeated id across messages and dialogs: the first row stays
    id: fc.constantFrom('a1', 'a2'),
  },
  { requiredKeys: ['url', 'size', 'name', 'mimeType'] },
);
const body = {
  text: fc.option(text),
  html: fc.option(text),
  attachments: fc.array(attachment, { maxLength: 2 }),
};

type Step =
  | { kind: 'opened'; reference: string | null; title: string | null; contact: string }
  | { kind: 'received'; dialog: string; body: object; integration: string | null; created: string }
  | { kind: 'sent'; dialog: string; body: object; operator: string | null }
  | { kind: 'assigned'; dialog: string; operator: string | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('opened' as const),
      reference: fc.option(text),
      title: fc.option(text),
      contact: fc.constantFrom('c1', 'c2'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('received' as const),
      dialog: dialogId,
      body: fc.record(body),
      integration: fc.option(text),
      created: at,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sent' as const),
      dialog: dialogId,
      body: fc.record(body),
      operator: fc.option(fc.constantFrom('o1', 'o2')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('assigned' as const),
      dialog: dialogId,
      operator: fc.option(fc.constant('o1')),
    }),
  },
);

/** A dialogs log: openings (each dialog once), messages (ids unique), now and then an assignment. */
const logs = fc.array(fc.tuple(step, at), { maxLength: 40, size: 'medium' }).map((steps) => {
  const opened = new Set<string>();
  const out: Given[] = [];
  const push = (dialog: string, type: string, data: object, recordedAt: string) =>
    out.push({
      stream: `dialog-${dialog}`,
      event: { type, data: { dialogId: dialog, ...data } } as ParleyEvent,
      recordedAt,
    });
  for (const [s, recordedAt] of steps) {
    const messageId = `m${out.length}`;
    if (s.kind === 'opened') {
      const dialog = ['d1', 'd2', 'd3', 'd4'].find((d) => !opened.has(d));
      if (dialog === undefined) continue;
      opened.add(dialog);
      push(
        dialog,
        'DialogOpened',
        {
          channelId: 'ch',
          reference: s.reference,
          title: s.title,
          contactId: s.contact,
          openedAt: recordedAt,
        },
        recordedAt,
      );
    } else if (s.kind === 'received')
      push(
        s.dialog,
        'MessageReceived',
        {
          ...s.body,
          messageId,
          contactId: 'c1',
          integrationData: s.integration,
          createdAt: s.created,
          receivedAt: recordedAt,
          requestHash: null,
        },
        recordedAt,
      );
    else if (s.kind === 'sent')
      push(
        s.dialog,
        'MessageSent',
        { ...s.body, messageId, operatorId: s.operator, sentAt: recordedAt, requestHash: null },
        recordedAt,
      );
    else
      push(
        s.dialog,
        'DialogAssigned',
        { assigneeId: s.operator, previousAssigneeId: null },
        recordedAt,
      );
  }
  return recorded(out);
});

describe('a run of dialog events applied together', () => {
  itAppliesRunsAsHandlers(dialogsProjection, logs);
});
