import fc from 'fast-check';
import { civilFromDays, DAY_MS, daysFromCivil, isoString } from './utcCalendar';

describe('the UTC calendar', () => {
  it('gives the day numbers Date.UTC gives, and reads them back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300_000, max: 300_000 }), (days) => {
        const [year, month, day] = civilFromDays(days);
        const date = new Date(days * DAY_MS);
        expect([year, month, day]).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
        ]);
        expect(daysFromCivil(year, month, day)).toBe(days);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes what toISOString writes, for every date it can hold', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(isoString(date)).toBe(date.toISOString());
      }),
      { numRuns: 5000 },
    );
    // the edges of the four-digit years, leap days and the last millisecond of a day
    for (const text of [
      '0000-01-01T00:00:00.000Z',
      '0000-02-29T23:59:59.999Z',
      '1900-02-28T12:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T00:00:00.001Z',
      '2026-12-03T13:05:07.045Z',
      '9999-12-31T23:59:59.999Z',
    ])
      expect(isoString(new Date(text))).toBe(text);
  });

  it('leaves six-digit years and invalid dates to toISOString', () => {
    expect(isoString(new Date('+010000-01-01T00:00:00.000Z'))).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoString(new Date(-62_167_219_200_001))).toBe('-000001-12-31T23:59:59.999Z');
    expect(() => isoString(new Date(NaN))).toThrow(RangeError);
  });
});
