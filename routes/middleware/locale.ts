import type { Express, Request, Response, NextFunction } from 'express';
import type { RouteDeps } from '../deps.ts';
import { htmlLang, translator } from '../../domain/i18n/i18n.ts';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../domain/shared/locale.ts';

export const LOCALE_COOKIE = 'portal.lang';

declare global {
  namespace Express {
    interface Request {
      locale: Locale;
    }
  }
}

/** The language comes from the visitor's choice (a cookie), Traditional Chinese otherwise. */
export function setUpLocale(app: Express, d: RouteDeps): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const chosen = req.cookies?.[LOCALE_COOKIE];
    req.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    res.locals.locale = req.locale;
    res.locals.htmlLang = htmlLang(req.locale);
    res.locals.t = translator(req.locale);
    next();
  });

  // A link, not a form: it works everywhere and needs no CSRF token. `return` must be a local path.
  app.get('/language/:locale', (req: Request, res: Response) => {
    const locale = req.params.locale;
    const back = typeof req.query.return === 'string' && /^\/(?![/\\])/.test(req.query.return) ? req.query.return : '/';
    if (!isLocale(locale)) {
      res.redirect(303, back);
      return;
    }
    res.cookie(LOCALE_COOKIE, locale, {
      maxAge: 365 * 24 * 3600 * 1000,
      httpOnly: true,
      sameSite: 'lax',
      secure: d.config.secureCookies,
    });
    res.redirect(303, back);
  });
}
