import { translator, type MessageKey } from '../i18n/i18n.ts';
import type { Locale } from './locale.ts';

/**
 * The reason every item cancelled because its inmate left the register carries. It is stored in
 * zh-TW (the record staff keep); whoever reads it is shown the catalog's text in their own language,
 * known by `cancelled_by_register` on a booking.
 */
export const LEFT_REASON_KEY: MessageKey = 'inmates.leftReason';

/** The reason a family's pending items carry when they asked for their account to be deleted. */
export const WITHDRAWN_REASON_KEY: MessageKey = 'privacy.withdrawnReason';

/**
 * A stored cancellation reason as `locale` reads it. The system's own reasons (the register's, and the
 * withdrawal when an account is closed) are stored in zh-TW on applications, posts and histories,
 * which carry no flag, so they are known by that text: the catalog's zh-TW entries must keep it, or
 * the records already written would no longer be translated. Any other reason (a staff member's) is
 * shown as it was written.
 */
export function cancelReasonIn(stored: string | null, locale: Locale): string | null {
  for (const key of [LEFT_REASON_KEY, WITHDRAWN_REASON_KEY])
    if (stored === translator('zh-TW')(key)) return translator(locale)(key);
  return stored;
}
