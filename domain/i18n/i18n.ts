import type { Locale } from '../shared/locale.ts';
import layout from './catalogs/layout.json' with { type: 'json' };
import publicPages from './catalogs/public-pages.json' with { type: 'json' };
import account from './catalogs/account.json' with { type: 'json' };
import vocabulary from './catalogs/vocabulary.json' with { type: 'json' };
import applications from './catalogs/applications.json' with { type: 'json' };
import contactBook from './catalogs/contact-book.json' with { type: 'json' };
import bookings from './catalogs/bookings.json' with { type: 'json' };
import mails from './catalogs/mails.json' with { type: 'json' };
import backoffice from './catalogs/backoffice.json' with { type: 'json' };
import backofficeApplications from './catalogs/backoffice-applications.json' with { type: 'json' };
import backofficeContactBook from './catalogs/backoffice-contact-book.json' with { type: 'json' };
import backofficeBookings from './catalogs/backoffice-bookings.json' with { type: 'json' };
import backofficeRosters from './catalogs/backoffice-rosters.json' with { type: 'json' };
import backofficePhoneBookings from './catalogs/backoffice-phone-bookings.json' with { type: 'json' };
import backofficeTimetable from './catalogs/backoffice-timetable.json' with { type: 'json' };
import backofficeStaff from './catalogs/backoffice-staff.json' with { type: 'json' };
import backofficeInstitutions from './catalogs/backoffice-institutions.json' with { type: 'json' };
import backofficeInmates from './catalogs/backoffice-inmates.json' with { type: 'json' };
import backofficeAnnouncements from './catalogs/backoffice-announcements.json' with { type: 'json' };
import backofficeFamilies from './catalogs/backoffice-families.json' with { type: 'json' };
import backofficeAudit from './catalogs/backoffice-audit.json' with { type: 'json' };
import backofficeStatistics from './catalogs/backoffice-statistics.json' with { type: 'json' };
import kiosk from './catalogs/kiosk.json' with { type: 'json' };
import institutionPosts from './catalogs/institution-posts.json' with { type: 'json' };
import help from './catalogs/help.json' with { type: 'json' };
import ratings from './catalogs/ratings.json' with { type: 'json' };
import privacyRights from './catalogs/privacy-rights.json' with { type: 'json' };

/**
 * Every visible string of the portal, one JSON file per area with both languages beside each other
 * (`"key": { "zh-TW": "…", "en": "…" }`): data, kept apart from code. Each area is checked against
 * `Area` below, so a message missing either language is a type error, and MessageKey stays the union
 * of the literal keys, so a mistyped `t('…')` is one too.
 */
type Area = Record<string, Record<Locale, string>>;
const areas = [
  /** Every page's frame: the site's name, the menu, shared buttons and the error pages. */
  layout,
  /** The pages anyone can read without an account: home, announcements, how to apply, visiting times, privacy. */
  publicPages,
  /** Registration, signing in, confirming the e-mail address, resetting the password and the account pages. */
  account,
  /** Words every area shares: services, visit kinds, relationships, restrictions, weekdays, review statuses and history. */
  vocabulary,
  /** Applying for a service (家庭聯絡簿, 預約接見, 律師接見), the family's list, progress look-up and resubmitting. */
  applications,
  /** The family contact book (家庭聯絡簿), the family's side: writing, listing and resending posts. */
  contactBook,
  /** Visit booking, the family's and the lawyer's side (issue 5): the wizard and the list (its mails are in mails.json). */
  bookings,
  /** Every mail and text message the portal sends (domain/mails.ts): the greeting and signature, then per area. */
  mails,
  /** The back office's frame: sign-in with captcha, the menu, list columns and paging, the notification log. */
  backoffice,
  /** 服務項目審核: the staff's queue and case page; the contact book's review pages use its filters and decision form. */
  backofficeApplications,
  /** 聯絡簿管理, the staff's side: reviewing posts, the delivery sheet and suspended writers. */
  backofficeContactBook,
  /** Visit booking, the staff's side (issue 5): review and cancelling; rosters and phone bookings have their own files. */
  backofficeBookings,
  /** Visit booking, the staff's side (issue 5): the on-site visit roster (預約現場接見清冊). */
  backofficeRosters,
  /** Visit booking, the staff's side (issue 5): booking for a caller on the phone (電話預約). */
  backofficePhoneBookings,
  /** 公告時段管理 (issue 5): the weekly batches and the dates an institution is closed for visits. */
  backofficeTimetable,
  /** 帳號管理 and 基本資料修改 (issue 12): staff accounts, roles, password-set links, the admin command. */
  backofficeStaff,
  /** 機關資料管理 and 系統參數設定(機關) (issue 12): institutions, their parameters and 自動審核通過. */
  backofficeInstitutions,
  /** 收容人名冊 (issue 12): the inmate register upload, its preview, the push endpoint and removals. */
  backofficeInmates,
  /** 公告管理 (issue 12): writing announcements; the public list is in public-pages.json. */
  backofficeAnnouncements,
  /** 家屬資料查詢修改 (issue 12): finding and correcting a family record, and correction requests. */
  backofficeFamilies,
  /** 稽核紀錄 (issue 12): the audit log page and its export. */
  backofficeAudit,
  /** The back-office home's statistics (issue 12): charts, their tables and CSV downloads. */
  backofficeStatistics,
  /** Kiosk mode (issue 13): enrolling a waiting-room terminal, its home page, 結束使用 and the idle warning. */
  kiosk,
  /** 查看機關聯絡簿 (issue 13): the institution's posts to a family, both sides. */
  institutionPosts,
  /** 常見問題集, 操作教學 and 意見信箱 (issue 13): the public pages and their back office. */
  help,
  /** 即時評價 (issue 13): the one-question rating, its mail link and the staff chart. */
  ratings,
  /** Privacy rights as actions (issue 13): the data download, deletion and objection, and retention. */
  privacyRights,
] as const satisfies readonly Area[];

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
    // Most messages have no placeholder: the page's hundreds of look-ups then skip both replaces.
    if (!params || !text.includes('{')) return text;
    const filled = text.includes(', plural,')
      ? text.replace(PLURAL, (m, name: string, forms: string) =>
          name in params && Number.isFinite(Number(params[name]))
            ? choosePlural(locale, forms, Number(params[name]))
            : m,
        )
      : text;
    return filled.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The language tag for <html lang>. */
export function htmlLang(locale: Locale): string {
  return locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
}
