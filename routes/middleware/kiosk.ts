import type { Express, NextFunction, Request, Response } from 'express';
import type { RouteDeps } from '../deps.ts';
import type { Config } from '../../domain/platform/config.ts';
import { inBackoffice } from './area.ts';
import { clearSessionCookie } from './session-cookies.ts';
import { LOCALE_COOKIE } from './locale.ts';
import { kioskByCookie, type Kiosk } from '../../domain/kiosks.ts';

declare module 'express-session' {
  interface SessionData {
    /** On a kiosk: the time (ms) of this session's last request, for the idle end without JavaScript. */
    kioskSeenAt?: number;
  }
}
declare module 'express-serve-static-core' {
  interface Request {
    /** The kiosk this browser is (a valid, unrevoked kiosk cookie), if any. */
    kiosk?: Kiosk;
  }
}

/** Where a session ended by idleness is sent: the kiosk home, saying so. */
export const KIOSK_IDLE_ENDED = '/kiosk?ended=idle';
/** Long-lived: a kiosk stays one until revoked (browsers cap a cookie's life at 400 days). */
const KIOSK_COOKIE_DAYS = 400;

export function kioskCookieName(secure: boolean): string {
  return secure ? '__Host-portal.kiosk' : 'portal.kiosk';
}

/** Turns this browser into a kiosk: httpOnly, SameSite=Strict, Path=/, the random token only. */
export function setKioskCookie(res: Response, secure: boolean, token: string): void {
  res.cookie(kioskCookieName(secure), token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: KIOSK_COOKIE_DAYS * 24 * 60 * 60 * 1000,
  });
}

/** The idle limit and when the JavaScript warning shows (a minute before, or at two thirds). */
export function kioskIdle(config: Pick<Config, 'kioskIdleSeconds'>): { idleSeconds: number; warnSeconds: number } {
  const idleSeconds = config.kioskIdleSeconds;
  return { idleSeconds, warnSeconds: idleSeconds >= 120 ? idleSeconds - 60 : Math.round((idleSeconds * 2) / 3) };
}

/**
 * On a kiosk nothing is for the browser's memory: every field has autocomplete off (password fields
 * new-password, so the browser offers no saved password and saves none), and every form says so too.
 * Done once, on the page as sent, so every form of the portal is covered without each template knowing.
 */
export function withoutAutocomplete(html: string): string {
  const strip = (attrs: string) => attrs.replace(/\s+autocomplete="[^"]*"/g, '').replace(/\s*\/$/, '');
  return html
    .replace(/<form\b([^>]*)>/g, (_m, attrs: string) => `<form${strip(attrs)} autocomplete="off">`)
    .replace(
      /<(textarea|select)\b([^>]*)>/g,
      (_m, tag: string, attrs: string) => `<${tag}${strip(attrs)} autocomplete="off">`,
    )
    .replace(/<input\b([^>]*)>/g, (m, attrs: string) => {
      if (/\btype="hidden"/.test(attrs)) return m;
      const value = /\btype="password"/.test(attrs) ? 'new-password' : 'off';
      return `<input${strip(attrs)} autocomplete="${value}">`;
    });
}

/**
 * Recognises a kiosk by its cookie (after sessions, before CSRF and sign-in). On a kiosk: no page is
 * stored by the browser (no-store), forms lose autocomplete, and a session idle longer than the limit
 * ends at its next request: a signed-in person (or a form sent) is signed out and sent to the kiosk
 * home that says so; an idle visit that showed nothing personal simply starts afresh.
 */
export function setUpKiosk(app: Express, d: RouteDeps): void {
  const cookieName = kioskCookieName(d.config.secureCookies);
  const { idleSeconds, warnSeconds } = kioskIdle(d.config);
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (inBackoffice(req)) return next();
    const token = (req.cookies as Record<string, string> | undefined)?.[cookieName];
    if (typeof token !== 'string' || !token) return next();
    try {
      const now = d.clock();
      const kiosk = await kioskByCookie(d.pool, token, now);
      if (!kiosk) return next();
      req.kiosk = kiosk;
      res.locals.kiosk = { name: kiosk.name, idleSeconds, warnSeconds };
      // A kiosk's language lives in its session (locale.ts); a cookie left from before would pass to everyone.
      if (req.cookies?.[LOCALE_COOKIE] !== undefined) res.clearCookie(LOCALE_COOKIE, { path: '/' });
      res.setHeader('Cache-Control', 'no-store');
      const send = res.send.bind(res);
      res.send = ((body?: unknown) => {
        res.setHeader('Cache-Control', 'no-store');
        const type = String(res.getHeader('Content-Type') ?? '');
        return send(
          typeof body === 'string' && (type === '' || type.startsWith('text/html')) ? withoutAutocomplete(body) : body,
        );
      }) as Response['send'];
      const seen = req.session.kioskSeenAt;
      if (seen !== undefined && now.getTime() - seen > idleSeconds * 1000) {
        const signedIn = Boolean((req.session as { passport?: { user?: unknown } }).passport?.user);
        if (signedIn || req.method !== 'GET') {
          req.session.destroy((err) => {
            if (err) return next(err);
            clearSessionCookie(res, d.config.secureCookies, 'portal');
            res.redirect(303, KIOSK_IDLE_ENDED);
          });
          return;
        }
        await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
      }
      req.session.kioskSeenAt = now.getTime();
      next();
    } catch (err) {
      next(err);
    }
  });
}
