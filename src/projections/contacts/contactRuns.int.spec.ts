import fc from 'fast-check';
import {
  awkwardText,
  itAppliesRunsAsHandlers,
  recorded,
  recordingTimes,
} from '../../../test/support/projectionSpec';
import type { ParleyEvent } from '../../domain';
import { contactsProjection } from './contactsProjection';

const text = awkwardText([...'()+-7 9.@'.split(''), 'ё']);
const at = recordingTimes;
const contactId = fc.constantFrom('c1', 'c2', 'c3', 'c4');
const dataId = fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5');

type Draft = Readonly<{ type: string; data: unknown; recordedAt: string }>;

const history = (list: readonly Draft[]) =>
  recorded(
    list.map((d) => ({
      stream: `contact-${(d.data as { contactId: string }).contactId}`,
      event: { type: d.type, data: d.data } as ParleyEvent,
      recordedAt: d.recordedAt,
    })),
  );

const created = fc.record({ name: text, description: fc.option(text), createdAt: at });
const dataAdded = fc.record({
  contactId,
  id: dataId,
  type: fc.constantFrom('phone', 'email', 'id'),
  value: text,
  service: fc.constantFrom('custom', 'phone'),
  origin: fc.option(text),
});
const updated = fc.record({ contactId, name: text, description: fc.option(text) });

/** A contact log's drafts: creations (each contact once), data items, now and then a rename. */
const drafts = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 2, arbitrary: created.map((d) => ({ kind: 'created' as const, d })) },
        { weight: 4, arbitrary: dataAdded.map((d) => ({ kind: 'data' as const, d })) },
        { weight: 1, arbitrary: updated.map((d) => ({ kind: 'updated' as const, d })) },
      ),
      at,
    ),
    { maxLength: 40, size: 'medium' },
  )
  .map((steps) => {
    const made = new Set<string>();
    const out: Draft[] = [];
    for (const [step, recordedAt] of steps) {
      if (step.kind === 'created') {
        const id = ['c1', 'c2', 'c3', 'c4'].find((c) => !made.has(c));
        if (id === undefined) continue;
        made.add(id);
        out.push({
          type: 'ContactCreated',
          data: { contactId: id, channelId: 'ch', ...step.d },
          recordedAt,
        });
      } else if (step.kind === 'data') {
        const { contactId: owner, ...item } = step.d;
        out.push({
          type: 'ContactDataAdded',
          data: { contactId: owner, data: { ...item, key: `${item.type}:${item.value}` } },
          recordedAt,
        });
      } else out.push({ type: 'ContactUpdated', data: step.d, recordedAt });
    }
    return out;
  });

describe('a run of contact events applied together', () => {
  itAppliesRunsAsHandlers(contactsProjection, drafts.map(history));
});
