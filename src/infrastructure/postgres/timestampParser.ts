import { types } from 'pg';
import { DAY_MS, daysFromCivil } from '../time/utcCalendar';

/** pg's own parser of timestamptz (postgres-date): what anything unusual is left to */
const general = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (
  text: string,
) => unknown;

/** the digit at `i`, or -1 */
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** the number of the `n` digits at `i`, or -1 when one is not a digit */
const digits = (s: string, i: number, n: number): number => {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = digit(s, k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
};

/**
 * The instant of PostgreSQL's text of a timestamptz as DateStyle ISO writes it,
 * `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`, or null for any other text (a year of more
 * digits, BC, infinity, another DateStyle). Digits below the millisecond are cut, as
 * postgres-date cuts them.
 */
const parseIso = (s: string): number | null => {
  if (s.length < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  if (s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hours = digits(s, 11, 2);
  const minutes = digits(s, 14, 2);
  const seconds = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hours < 0 || minutes < 0 || seconds < 0)
    return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    for (let scale = 100; digit(s, i) >= 0; i++, scale /= 10)
      if (scale >= 1) ms += digit(s, i) * scale;
  }
  const sign = s.charCodeAt(i) === 43 ? 1 : s.charCodeAt(i) === 45 ? -1 : 0;
  const offsetHours = digits(s, i + 1, 2);
  if (sign === 0 || offsetHours < 0) return null;
  let offset = offsetHours * 3600;
  i += 3;
  // minutes, then seconds, of the offset, each after a colon
  for (const unit of [60, 1]) {
    if (i === s.length) break;
    const part = s.charCodeAt(i) === 58 ? digits(s, i + 1, 2) : -1;
    if (part < 0) return null;
    offset += part * unit;
    i += 3;
  }
  if (i !== s.length) return null;
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    ((hours * 60 + minutes) * 60 + seconds - sign * offset) * 1000 +
    ms
  );
};

/**
 * pg's parser of a timestamptz column, the same Date for every text, in a third of its time:
 * postgres-date's regular expressions and Date.UTC were most of what a dialog list page spent
 * reading its rows (docs/performance.md). What it does not recognise goes to postgres-date.
 */
export const parseTimestamptz = (text: string): unknown => {
  const t = parseIso(text);
  return t === null ? general(text) : new Date(t);
};

/** The pool's type parsers: pg's, with timestamptz read by parseTimestamptz. */
export const parleyTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};
