import { isIsoDate } from '../domain/shared/dates.ts';
import type { FieldMessage } from './forms.ts';

/** What back-office list pages read from their query strings. */

/** A query value as text: NFKC, trimmed, at most `max` characters; anything but a string is ''. */
export const queryText = (v: unknown, max = 40): string =>
  typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, max) : '';

/** A from/to date filter: each, when given, must be a real date (2026-02-30 is not). */
export function dateRangeErrors(raw: { from: string; to: string }): Partial<Record<'from' | 'to', FieldMessage>> {
  const errors: Partial<Record<'from' | 'to', FieldMessage>> = {};
  if (raw.from && !isIsoDate(raw.from)) errors.from = 'error.filter.date';
  if (raw.to && !isIsoDate(raw.to)) errors.to = 'error.filter.date';
  return errors;
}
