import type { Locale } from '../shared/locale.ts';
import { layoutMessages } from './catalogs/layout.ts';
import { publicPagesMessages } from './catalogs/public-pages.ts';
import { accountMessages } from './catalogs/account.ts';
import { vocabularyMessages } from './catalogs/vocabulary.ts';
import { applicationsMessages } from './catalogs/applications.ts';
import { contactBookMessages } from './catalogs/contact-book.ts';
import { bookingsMessages } from './catalogs/bookings.ts';
import { mailsMessages } from './catalogs/mails.ts';
import { backofficeMessages } from './catalogs/backoffice.ts';
import { backofficeApplicationsMessages } from './catalogs/backoffice-applications.ts';
import { backofficeContactBookMessages } from './catalogs/backoffice-contact-book.ts';
import { backofficeBookingsMessages } from './catalogs/backoffice-bookings.ts';
import { backofficeRostersMessages } from './catalogs/backoffice-rosters.ts';
import { backofficePhoneBookingsMessages } from './catalogs/backoffice-phone-bookings.ts';
import { backofficeTimetableMessages } from './catalogs/backoffice-timetable.ts';

/**
 * Every visible string of the portal, one file per area with both languages beside each other: each area
 * `satisfies Record<string, Record<Locale, string>>`, so a message missing either language is a type error.
 */
const areas = [
  layoutMessages,
  publicPagesMessages,
  accountMessages,
  vocabularyMessages,
  applicationsMessages,
  contactBookMessages,
  bookingsMessages,
  mailsMessages,
  backofficeMessages,
  backofficeApplicationsMessages,
  backofficeContactBookMessages,
  backofficeBookingsMessages,
  backofficeRostersMessages,
  backofficePhoneBookingsMessages,
  backofficeTimetableMessages,
] as const;

type KeysOf<T> = T extends unknown ? keyof T : never;
export type MessageKey = KeysOf<(typeof areas)[number]>;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One language's lookup table, built once at load; a key in two areas is a mistake and fails loudly. */
function lookupTable(locale: Locale): Record<MessageKey, string> {
  const table: Record<string, string> = {};
  for (const area of areas) {
    for (const [key, texts] of Object.entries(area)) {
      if (key in table) throw new Error(`Message "${key}" is in two catalog areas`);
      table[key] = texts[locale];
    }
  }
  return table as Record<MessageKey, string>;
}

export const catalogs: Record<Locale, Record<MessageKey, string>> = {
  'zh-TW': lookupTable('zh-TW'),
  en: lookupTable('en'),
};

/**
 * Where a number meets a noun, a message chooses its words by the language's plural rules, in ICU's
 * notation: `{n, plural, one {# character} other {# characters}}` (# is the number). The same notation
 * is read by public/app.js for counts that change while typing.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const pluralRules: Record<Locale, Intl.PluralRules> = {
  'zh-TW': new Intl.PluralRules('zh-TW'),
  en: new Intl.PluralRules('en'),
};

function choosePlural(locale: Locale, forms: string, n: number): string {
  const options = new Map([...forms.matchAll(/(=\d+|\w+)\s*\{([^{}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
  const text = options.get(`=${n}`) ?? options.get(pluralRules[locale].select(n)) ?? options.get('other') ?? '';
  return text.replace(/#/g, String(n));
}

/** `{name}` placeholders are filled from params; a missing param is left visible rather than blank. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`Missing message "${String(key)}" in ${locale}`);
    if (!params) return text;
    return text
      .replace(PLURAL, (m, name: string, forms: string) =>
        name in params && Number.isFinite(Number(params[name])) ? choosePlural(locale, forms, Number(params[name])) : m,
      )
      .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The language tag for <html lang>. */
export function htmlLang(locale: Locale): string {
  return locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
}
