/** The portal's languages: Traditional Chinese first, English as a full second language. */
export type Locale = 'zh-TW' | 'en';
export const LOCALES: readonly Locale[] = ['zh-TW', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-TW';

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-TW' || v === 'en';
}
