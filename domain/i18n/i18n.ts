import type { Locale } from '../shared/locale.ts';
import { zhTW } from './catalogs/zh-TW.ts';
import { en } from './catalogs/en.ts';

export type MessageKey = keyof typeof zhTW;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-TW': zhTW, en };

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
