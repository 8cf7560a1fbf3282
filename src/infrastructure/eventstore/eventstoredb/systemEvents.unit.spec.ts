import { EVENT_TYPE, STREAM_NAME, type Position } from '@eventstore/db-client';
import { isSystemEvent, subscriptionFilter } from './systemEvents';

describe('system events and the subscription filter', () => {
  it('knows EventStoreDB events by their $ type', () => {
    for (const type of ['$>', '$metadata', '$statsCollected', '$streamDeleted']) {
      expect(isSystemEvent(type)).toBe(true);
    }
    for (const type of ['DialogOpened', 'MessageReceived', 'a$b']) {
      expect(isSystemEvent(type)).toBe(false);
    }
  });

  it('without prefixes, filters out system event types on the server', () => {
    const filter = subscriptionFilter(undefined, 16, () => undefined);
    expect(filter.filterOn).toBe(EVENT_TYPE);
    const regex = new RegExp('regex' in filter ? filter.regex : '(?!)');
    expect(regex.test('DialogOpened')).toBe(true);
    expect(regex.test('$statsCollected')).toBe(false);
    expect(subscriptionFilter([], 16, () => undefined).filterOn).toBe(EVENT_TYPE);
  });

  it('with prefixes, filters by stream name prefix on the server', () => {
    const prefixes = ['dialog-', 'contact-'];
    const filter = subscriptionFilter(prefixes, 16, () => undefined);
    expect(filter.filterOn).toBe(STREAM_NAME);
    expect('prefixes' in filter && filter.prefixes).toEqual(['dialog-', 'contact-']);
    expect('prefixes' in filter && filter.prefixes).not.toBe(prefixes);
  });

  it('asks for checkpoints at the given interval and hands their positions on', async () => {
    const seen: Position[] = [];
    const filter = subscriptionFilter(['dialog-'], 3, (position) => seen.push(position));
    expect(filter.checkpointInterval).toBe(3);
    const position = { commit: 2n ** 62n, prepare: 2n ** 62n };
    await filter.checkpointReached?.(undefined as never, position);
    expect(seen).toEqual([position]);
  });
});
