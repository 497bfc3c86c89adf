import type { Response } from 'express';
import { formatDate, isoWeekday } from '../domain/shared/dates.ts';
import type { MessageKey, Translate } from '../domain/i18n/i18n.ts';

/** 2026/11/30（一）, or Mon 2026/11/30: a visit date as the back office's booking pages show it. */
export function dayLabel(t: Translate, date: string): string {
  return t('backoffice.bookings.dateWithWeekday', {
    date: formatDate(date),
    weekday: t(`backoffice.bookings.weekday.${isoWeekday(date)}` as MessageKey),
  });
}

/** The views' `day(date)`, in the page's language. */
export const dayLabeller =
  (res: Response) =>
  (date: string): string =>
    dayLabel(res.locals.t as Translate, date);
