import { catalogs, translator, type MessageKey } from '../i18n/i18n.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from './locale.ts';

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
 * The common reasons a reviewer picks (an application's, a post's), by their text in either language: a
 * rejection is stored in the family's language at the time, as its first line (the reviewer's own words follow).
 */
const COMMON_REASONS = new Map<string, MessageKey>(
  (Object.keys(catalogs[DEFAULT_LOCALE]) as MessageKey[])
    .filter((key) => key.startsWith('rejectReason.') || key.startsWith('postRejectReason.'))
    .flatMap((key) => LOCALES.map((l) => [translator(l)(key), key] as const)),
);

/**
 * A stored reason as `locale` reads it. The system's own cancellation reasons (the register's, and the
 * withdrawal when an account is closed) are stored in zh-TW on applications, posts, bookings and
 * histories, and known by that text; a rejection's common reason (its first line) is known by its text
 * in either language, so a family who changed language since reads it in the new one. The catalog's
 * entries must keep these texts, or the records already written would no longer be translated. Anything
 * else (a staff member's own words) is shown as it was written.
 */
export function reasonIn(stored: string | null, locale: Locale): string | null {
  if (stored === null) return null;
  const t = translator(locale);
  const system = SYSTEM_REASONS.get(stored);
  if (system) return t(system);
  const cut = stored.indexOf('\n');
  const first = cut === -1 ? stored : stored.slice(0, cut);
  const common = COMMON_REASONS.get(first);
  return common ? t(common) + (cut === -1 ? '' : stored.slice(cut)) : stored;
}
