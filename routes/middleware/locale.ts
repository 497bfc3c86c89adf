import type { Express, Request, Response, NextFunction, RequestHandler } from 'express';
import type { RouteDeps } from '../deps.ts';
import { htmlLang, translator } from '../../domain/i18n/i18n.ts';
import { setLocale } from '../../domain/applicants/accounts.ts';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../domain/shared/locale.ts';

export const LOCALE_COOKIE = 'portal.lang';

declare global {
  namespace Express {
    interface Request {
      locale: Locale;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    /** A language chosen before signing in: the person's latest choice, stored on their account at sign-in. */
    chosenLocale?: Locale;
    /** On a kiosk: this session's language. A kiosk keeps no language cookie: the next person starts in Chinese. */
    kioskLocale?: Locale;
  }
}

/**
 * The pages a kiosk shows the person who has just pressed 結束使用, in the language they used (carried by
 * `?lang=`, as their session has ended): the thanks with its rating, and the rating's answer.
 */
const KIOSK_HANDOVER = new Set(['/kiosk/ended', '/ratings/kiosk']);

/** The language a kiosk's pages are in: the session's choice; just after a session ended, the one it used. */
function kioskLocale(req: Request): unknown {
  return req.session?.kioskLocale ?? (KIOSK_HANDOVER.has(req.path) ? req.query.lang : undefined);
}

/** One translator per language, built once: a page view only picks it. */
const translators = { 'zh-TW': translator('zh-TW'), en: translator('en') } satisfies Record<Locale, unknown>;

/**
 * The language comes from the visitor's choice (a cookie; on a kiosk, the session), Traditional Chinese
 * otherwise. Set up after the kiosk middleware.
 */
export function setUpLocale(app: Express): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    localize(req, res);
    next();
  });
}

/**
 * Sets the request's language and the views' translator. Also what the error page does for a request
 * that failed before the language was set (its session could not be read: the database out of reach).
 */
export function localize(req: Request, res: Response): void {
  const chosen = req.kiosk ? kioskLocale(req) : req.cookies?.[LOCALE_COOKIE];
  req.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  res.locals.locale = req.locale;
  res.locals.htmlLang = htmlLang(req.locale);
  res.locals.t = translators[req.locale];
}

/** Keeps the language chosen: in a year-long cookie, or on a kiosk in the session only. */
export function keepLanguage(res: Response, d: RouteDeps, locale: Locale): void {
  if (res.req.kiosk) {
    res.req.session.kioskLocale = locale;
    return;
  }
  res.cookie(LOCALE_COOKIE, locale, {
    maxAge: 365 * 24 * 3600 * 1000,
    httpOnly: true,
    sameSite: 'lax',
    secure: d.config.secureCookies,
  });
}

/** How to store a language on the signed-in person's account; null when nobody is signed in here. */
export type StoreLocale = ((locale: Locale) => Promise<void>) | null;

/**
 * The language switch. A person's language is the one they chose last: signed in, it is stored on their
 * account at once (so the next mail is in it); before signing in, it is kept in the session and stored
 * at sign-in. A link, not a form: it works everywhere and needs no CSRF token, so a link followed from
 * another site (Sec-Fetch-Site) changes the browser's language but not the account's. `return` must be a local
 * path under `home` (the portal's `/`, or the back office, whose session only its own paths see).
 */
export function languageSwitch(d: RouteDeps, home: string, storeFor: (req: Request) => StoreLocale): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const locale = req.params.locale;
    const asked = req.query.return;
    const back =
      typeof asked === 'string' &&
      /^\/(?![/\\])/.test(asked) &&
      (home === '/' || asked === home || asked.startsWith(`${home}/`))
        ? asked
        : home;
    if (!isLocale(locale)) return res.redirect(303, back);
    keepLanguage(res, d, locale);
    // A link followed from another site (or a sibling one) changes this browser's pages only: neither the
    // account's language (its mails) nor the choice stored on it at the next sign-in. Browsers too old to
    // say where a request comes from are taken at their word.
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return res.redirect(303, back);
    const store = storeFor(req);
    if (store) {
      store(locale).then(() => res.redirect(303, back), next);
      return;
    }
    if (req.session) req.session.chosenLocale = locale;
    res.redirect(303, back);
  };
}

/** The portal's switch; set up after authentication, so it knows who is signed in. */
export function setUpLanguageSwitch(app: Express, d: RouteDeps): void {
  app.get(
    '/language/:locale',
    languageSwitch(d, '/', (req) =>
      req.user?.kind === 'applicant' ? (locale) => setLocale(d.pool, req.user!.applicant.id, locale) : null,
    ),
  );
}

/**
 * At sign-in: a language chosen before signing in is the latest choice and is stored; otherwise the
 * pages follow the language stored on the account (never the browser's).
 */
export async function settleLocaleAtSignIn(
  res: Response,
  d: RouteDeps,
  stored: Locale,
  chosenBefore: Locale | undefined,
  store: (locale: Locale) => Promise<void>,
): Promise<void> {
  const locale = chosenBefore ?? stored;
  if (locale !== stored) await store(locale);
  keepLanguage(res, d, locale);
}
