import { translator, type MessageKey } from '../i18n/i18n.ts';
import type { Locale } from '../shared/locale.ts';

/**
 * The reason every item cancelled because its inmate left the register carries. It is stored in
 * zh-TW (the record staff keep); whoever reads it is shown the catalog's text in their own language,
 * known by `cancelled_by_register` on a booking.
 */
export const LEFT_REASON_KEY: MessageKey = 'inmates.leftReason';

/**
 * A stored cancellation reason as `locale` reads it: the register's own reason (stored in zh-TW on
 * applications and posts, which carry no flag) in that language; any other reason as it was written.
 */
export function cancelReasonIn(stored: string | null, locale: Locale): string | null {
  return stored === translator('zh-TW')(LEFT_REASON_KEY) ? translator(locale)(LEFT_REASON_KEY) : stored;
}
