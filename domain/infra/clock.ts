/** The current time, injectable so rules about expiry can be tested at their edges. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export const TAIPEI = 'Asia/Taipei';

/** YYYY/MM/DD in Asia/Taipei, as the seeds show dates. */
export function formatDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d}T00:00:00+08:00`) : d;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TAIPEI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  return parts.replace(/-/g, '/');
}

/** YYYY/MM/DD HH:mm in Asia/Taipei. */
export function formatDateTime(d: Date): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: TAIPEI, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d);
  const get = (t: string) => f.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Today's date in Asia/Taipei as YYYY-MM-DD. */
export function taipeiToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TAIPEI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
