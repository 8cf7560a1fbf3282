import * as t from 'io-ts';
import { isoString } from '../time/utcCalendar';
import { isStorableTime } from './codecs/storable';

/** A Date carried as an ISO 8601 string (inside cursors). */
export const isoDate = new t.Type<Date, string, unknown>(
  'an ISO 8601 date-time',
  (u): u is Date => u instanceof Date,
  (u, c) => {
    const parsed = typeof u === 'string' ? new Date(u) : null;
    return parsed !== null && isStorableTime(parsed.getTime())
      ? t.success(parsed)
      : t.failure(u, c);
  },
  (d) => d.toISOString(),
);

/** A 64-bit integer carried as a decimal string (inside cursors). */
export const bigintString = new t.Type<bigint, string, unknown>(
  'a decimal integer',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) =>
    typeof u === 'string' && /^\d{1,20}$/.test(u) ? t.success(BigInt(u)) : t.failure(u, c),
  (n) => n.toString(),
);

/** ISO 8601 in JSON answers (toISOString's string, faster); null stays null. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date === null ? null : isoString(date);
}
