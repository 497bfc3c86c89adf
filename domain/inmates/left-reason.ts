import type { MessageKey } from '../i18n/i18n.ts';

/**
 * The reason every item cancelled because its inmate left the register carries. It is stored in
 * zh-TW (the record staff keep); whoever reads it is shown the catalog's text in their own language,
 * known by `cancelled_by_register` on a booking.
 */
export const LEFT_REASON_KEY: MessageKey = 'inmates.leftReason';
