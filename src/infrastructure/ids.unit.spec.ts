import { objectIdGenerator } from './ids';

describe('object ids', () => {
  it('are 24 lower-case hex digits, unique, and start with the current time', () => {
    const ids = objectIdGenerator();
    const made = Array.from({ length: 10_000 }, () => ids.objectId());
    expect(made.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
    expect(new Set(made).size).toBe(made.length);
    const seconds = parseInt((made[0] as string).slice(0, 8), 16);
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5);
  });

  it('makes UUIDs for events', () => expect(objectIdGenerator().uuid()).toMatch(/^[0-9a-f-]{36}$/));
});
