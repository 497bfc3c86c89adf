import { zhTW } from './messages/zh-TW.ts';
import { en } from './messages/en.ts';

export type Locale = 'zh-TW' | 'en';
export const LOCALES: readonly Locale[] = ['zh-TW', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-TW';

export type MessageKey = keyof typeof zhTW;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-TW': zhTW, en };

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-TW' || v === 'en';
}

/** `{name}` placeholders are filled from params; a missing param is left visible rather than blank. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`Missing message "${String(key)}" in ${locale}`);
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The language tag for <html lang>. */
export function htmlLang(locale: Locale): string {
  return locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
}
