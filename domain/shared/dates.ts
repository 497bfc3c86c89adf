/**
 * Dates as the portal uses them: every date and deadline is in Asia/Taipei. Calendar dates travel as
 * ISO `YYYY-MM-DD` strings (forms, SQL, CSV); people read them as `YYYY/MM/DD` (formatDate).
 */
export const TAIPEI = 'Asia/Taipei';

export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A time of day as `HH:MM`, 00:00 to 23:59. */
export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The years the portal has any business with (a birthday after 1900, a filter, a closed day). Outside
 * them a date is not a date here: PostgreSQL refuses year 0, and a day either side of 9999-12-31 no
 * longer has four digits.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

/** A real calendar date in `YYYY-MM-DD` between FIRST_YEAR and LAST_YEAR (2026-02-30 and 0000-01-01 are not). */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE_RE.test(s)) return false;
  const year = Number(s.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isTime(s: string): boolean {
  return TIME_RE.test(s);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday, 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** Minutes since midnight of an `HH:MM` time, and back. */
export const minutesOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
export const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// Formatters are made once: a new Intl.DateTimeFormat per call costs tens of microseconds.
const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TAIPEI,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TAIPEI,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** YYYY/MM/DD in Asia/Taipei, as the seeds show dates. */
export function formatDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d}T00:00:00+08:00`) : d;
  return dayFormat.format(date).replace(/-/g, '/');
}

/** YYYY/MM/DD HH:mm in Asia/Taipei. */
export function formatDateTime(d: Date): string {
  const f = dateTimeFormat.formatToParts(d);
  const get = (t: string) => f.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Today's date in Asia/Taipei as YYYY-MM-DD. */
export function taipeiToday(now: Date): string {
  return dayFormat.format(now);
}
