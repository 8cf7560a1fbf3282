import { summarize } from './summary';

const names = (id: string) => ({ b1: 'Masha', b2: 'Petya' })[id] ?? id;

describe('summaries of events', () => {
  it('names operators, the actor and the assignee, by their names', () =>
    expect(
      summarize(
        {
          type: 'DialogAssigned',
          data: { dialogId: 'd', assigneeId: 'b2', previousAssigneeId: null },
        },
        { type: 'operator', operatorId: 'b1' },
        names,
      ),
    ).toBe('Operator Masha assigned the dialog to Petya.'));

  it('falls back to the id of an operator it cannot name', () =>
    expect(
      summarize(
        {
          type: 'DialogStatusChanged',
          data: { dialogId: 'd', status: 'closed', previousStatus: 'open' },
        },
        { type: 'operator', operatorId: 'b9' },
        names,
      ),
    ).toBe('Operator b9 closed the dialog.'));

  it('says who the other actors are', () => {
    const removed = { type: 'WebhookRemoved', data: { webhookId: 'w', removedAt: 'now' } };
    expect(summarize(removed, { type: 'admin' }, names)).toBe(
      'The admin removed the subscription.',
    );
    expect(summarize(removed, { type: 'system' }, names)).toBe('Parley removed the subscription.');
    expect(summarize(removed, { type: 'integration', channelId: 'c1' }, names)).toBe(
      'The integration of channel c1 removed the subscription.',
    );
  });

  it('still says something of an event type it does not know', () =>
    expect(summarize({ type: 'SomethingNew', data: {} }, { type: 'admin' }, names)).toBe(
      'The admin recorded SomethingNew.',
    ));
});
