/**
 * Days since 1970-01-01 and back, in the proleptic Gregorian calendar (H. Hinnant's
 * algorithms): what Date.UTC and the getUTC… methods compute, without their cost. The timestamp
 * parser and the ISO formatter of the read paths build on them: postgres-date's parsing and
 * toISOString were a sixth of a dialog list page's CPU profile (docs/performance.md).
 */

/** a UTC day: no leap seconds in Date's time */
export const DAY_MS = 86_400_000;

/** The day number of a date (month 1–12). */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
};

/** The year, month (1–12) and day of a day number. */
export const civilFromDays = (days: number): readonly [number, number, number] => {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
};

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number): string => (n < 1000 ? `0${three(n)}` : `${n}`);

/** the instants of years 0000–9999, which toISOString writes with four digits */
const FIRST = daysFromCivil(0, 1, 1) * DAY_MS;
const END = daysFromCivil(10_000, 1, 1) * DAY_MS;

/**
 * `date.toISOString()`, the same string for every date (a year outside 0000–9999 and an
 * invalid date are left to it: a six-digit year, a RangeError), in a fifth of its time.
 */
export const isoString = (date: Date): string => {
  const t = date.getTime();
  if (!(t >= FIRST && t < END)) return date.toISOString();
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  const [year, month, day] = civilFromDays(days);
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  return `${four(year)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(ms)}Z`;
};
