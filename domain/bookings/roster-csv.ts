import { formatDate } from '../shared/dates.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import type { RosterRow } from './rosters.ts';
import { MAX_COMPANIONS } from './vocabulary.ts';

/**
 * One CSV cell: always quoted (commas, quotes and line breaks in names stay inside it), and a text
 * that a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) is prefixed
 * with ' (OWASP's CSV injection advice). A few lines of our own rather than a library: the rules are
 * these two, and they are tested.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** RFC 4180 lines (CRLF) after a UTF-8 byte order mark, so Excel reads the Chinese as UTF-8. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A roster row's time: a lawyer's arrival, or the batch (第N梯) with its times. */
export function rosterSlot(t: Translate, r: RosterRow): string {
  if (r.arrivalTime) return t('backoffice.bookings.arrival', { time: r.arrivalTime });
  return r.ordinal
    ? t('backoffice.bookings.roster.batch', { n: r.ordinal, start: r.startsAt, end: r.endsAt })
    : t('backoffice.bookings.batchTime', { start: r.startsAt, end: r.endsAt });
}

/** The roster of one date as CSV, in the staff member's language: a line per visit, three visitors wide. */
export function rosterCsv(t: Translate, date: string, rows: RosterRow[]): string {
  const header = [
    t('backoffice.bookings.csv.number'),
    t('backoffice.bookings.csv.date'),
    t('backoffice.bookings.csv.slot'),
    t('backoffice.bookings.csv.callNumber'),
    t('backoffice.bookings.csv.inmate'),
    t('backoffice.bookings.csv.kind'),
    t('backoffice.bookings.csv.channel'),
  ];
  for (let n = 1; n <= MAX_COMPANIONS + 1; n++) {
    header.push(
      t('backoffice.bookings.csv.visitorName', { n }),
      t('backoffice.bookings.csv.visitorId', { n }),
      t('backoffice.bookings.csv.visitorRelationship', { n }),
    );
  }
  const lines = rows.map((r) => {
    const line = [
      r.number,
      formatDate(date),
      rosterSlot(t, r),
      r.callNumber,
      r.inmateName,
      t(`visitKind.${r.kind}` as MessageKey),
      t(r.byPhone ? 'backoffice.bookings.byPhone' : 'backoffice.bookings.online'),
    ];
    for (let n = 1; n <= MAX_COMPANIONS + 1; n++) {
      const v = r.visitors.find((x) => x.position === n);
      line.push(v?.name ?? '', v?.maskedNationalId ?? '', v ? t(`relationship.${v.relationship}` as MessageKey) : '');
    }
    return line;
  });
  return toCsv([header, ...lines]);
}
