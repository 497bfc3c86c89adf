import type { Express, Request, Response, NextFunction } from 'express';
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
  }
}

/** One translator per language, built once: a page view only picks it. */
const translators = { 'zh-TW': translator('zh-TW'), en: translator('en') } satisfies Record<Locale, unknown>;

/** The language comes from the visitor's choice (a cookie), Traditional Chinese otherwise. */
export function setUpLocale(app: Express): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const chosen = req.cookies?.[LOCALE_COOKIE];
    req.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    res.locals.locale = req.locale;
    res.locals.htmlLang = htmlLang(req.locale);
    res.locals.t = translators[req.locale];
    next();
  });
}

export function setLanguageCookie(res: Response, d: RouteDeps, locale: Locale): void {
  res.cookie(LOCALE_COOKIE, locale, {
    maxAge: 365 * 24 * 3600 * 1000,
    httpOnly: true,
    sameSite: 'lax',
    secure: d.config.secureCookies,
  });
}

/**
 * The language switch. A person's language is the one they chose last: signed in, it is stored on their
 * account at once (so the next mail is in it); before signing in, it is kept in the session and stored
 * at sign-in. Set up after authentication, so it knows who is signed in.
 */
export function setUpLanguageSwitch(app: Express, d: RouteDeps): void {
  // A link, not a form: it works everywhere and needs no CSRF token. `return` must be a local path.
  app.get('/language/:locale', (req: Request, res: Response, next: NextFunction) => {
    const locale = req.params.locale;
    const back = typeof req.query.return === 'string' && /^\/(?![/\\])/.test(req.query.return) ? req.query.return : '/';
    if (!isLocale(locale)) {
      res.redirect(303, back);
      return;
    }
    setLanguageCookie(res, d, locale);
    if (req.user?.kind === 'applicant') {
      setLocale(d.pool, req.user.applicant.id, locale).then(() => res.redirect(303, back), next);
      return;
    }
    if (req.session) req.session.chosenLocale = locale;
    res.redirect(303, back);
  });
}

/**
 * At sign-in: a language chosen before signing in is the latest choice and is stored; otherwise the
 * pages follow the language stored on the account (never the browser's).
 */
export async function settleLocaleAtSignIn(
  res: Response,
  d: RouteDeps,
  applicant: { id: number; locale: Locale },
  chosenBefore: Locale | undefined,
): Promise<void> {
  const locale = chosenBefore ?? applicant.locale;
  if (locale !== applicant.locale) await setLocale(d.pool, applicant.id, locale);
  setLanguageCookie(res, d, locale);
}
