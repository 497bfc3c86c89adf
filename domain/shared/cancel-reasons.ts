import { translator, type MessageKey } from '../i18n/i18n.ts';
import { LOCALES, type Locale } from './locale.ts';

/**
 * The reason every item cancelled because its inmate left the register carries. It is stored in
 * zh-TW (the record staff keep); whoever reads it is shown the catalog's text in their own language.
 */
export const LEFT_REASON_KEY: MessageKey = 'inmates.leftReason';

/** The reason a family's pending items carry when they asked for their account to be deleted. */
export const WITHDRAWN_REASON_KEY: MessageKey = 'privacy.withdrawnReason';

/** The system's reasons by their text in either language (zh-TW is what is stored). */
const SYSTEM_REASONS = new Map<string, MessageKey>(
  [LEFT_REASON_KEY, WITHDRAWN_REASON_KEY].flatMap((key) => LOCALES.map((l) => [translator(l)(key), key] as const)),
);

/**
 * A stored cancellation reason as `locale` reads it. The system's own reasons (the register's, and the
 * withdrawal when an account is closed) are stored in zh-TW on applications, posts, bookings and
 * histories, and known by that text: the catalog's zh-TW entries must keep it, or the records already
 * written would no longer be translated. Any other reason (a staff member's) is shown as it was written.
 */
export function cancelReasonIn(stored: string | null, locale: Locale): string | null {
  const key = stored === null ? undefined : SYSTEM_REASONS.get(stored);
  return key ? translator(locale)(key) : stored;
}
