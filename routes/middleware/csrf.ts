import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { RouteDeps } from '../deps.ts';
import { BACKOFFICE, inBackoffice } from './area.ts';

declare module 'express-session' {
  interface SessionData {
    /** Set once a form has been shown, so the session (and with it the CSRF binding) is kept. */
    formShown?: boolean;
  }
}

/** The only routes that take multipart bodies; they run the CSRF check right after parsing. */
export const UPLOAD_PATHS: readonly RegExp[] = [
  /^\/applications\/new\/[a-z-]+$/,
  /^\/applications\/[0-9A-Z-]+\/resubmit$/,
  /^\/contact-book\/new$/,
  /^\/contact-book\/\d+\/resend$/,
  /^\/backoffice\/inmates\/upload$/,
  /^\/backoffice\/institution-posts\/new$/,
];

/**
 * Double-submit CSRF tokens bound to the session id (csrf-csrf). Every POST must carry the token,
 * in the `_csrf` field or, for htmx, the `X-CSRF-Token` header. `tokens` gives views their token and
 * goes before the form body is read: a page answering a body refused as too large has a kiosk's
 * end-session form too. `protect` checks every POST once the body is read; `check` is the same check
 * for the upload routes, which read their multipart bodies themselves.
 */
export function csrfProtection(d: RouteDeps): {
  tokens: RequestHandler;
  protect: RequestHandler;
  check: RequestHandler;
} {
  const secure = d.config.secureCookies;
  const make = (cookieName: string, path: string) =>
    doubleCsrf({
      getSecret: () => d.config.sessionSecret,
      getSessionIdentifier: (req) => req.session.id,
      cookieName,
      cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path },
      getCsrfTokenFromRequest: (req) =>
        (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
    });
  // The back office has its own cookie: one shared cookie would be replaced by whichever area showed a
  // form last, and the other area's open form would then be refused.
  const portalCookie = secure ? '__Host-portal.csrf' : 'portal.csrf';
  const backofficeCookie = secure ? '__Secure-portal.staff.csrf' : 'portal.staff.csrf';
  const portal = make(portalCookie, '/');
  const backoffice = make(backofficeCookie, BACKOFFICE);
  const tokens = (req: Request) => (inBackoffice(req) ? backoffice : portal);
  const cookieNameOf = (req: Request) => (inBackoffice(req) ? backofficeCookie : portalCookie);
  const tokensFor: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    let token: string | undefined;
    // Called by a view only when it renders a form, so pages without one create no session.
    res.locals.csrfToken = () => {
      if (!token) {
        req.session.formShown = true;
        // A valid token already in the cookie is reused by csrf-csrf; setting the same session cookie
        // again on every page changes nothing, so only a new token is sent (one Set-Cookie less per page).
        const sent = req.cookies?.[cookieNameOf(req)];
        const only = {
          cookie: (name: string, value: string, options: object) => value !== sent && res.cookie(name, value, options),
        };
        token = tokens(req).generateCsrfToken(req, only as unknown as Response);
      }
      return token;
    };
    next();
  };
  // A multipart body is not parsed yet here: upload routes parse it (after checking who is signed in)
  // and then run `check` themselves, so no multipart POST goes unchecked.
  const protect: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (req.is('multipart/form-data')) {
      if (req.method === 'POST' && UPLOAD_PATHS.some((re) => re.test(req.path))) return next();
      return next(
        Object.assign(new Error('multipart body outside an upload route'), { status: 403, code: 'EBADCSRFTOKEN' }),
      );
    }
    tokens(req).doubleCsrfProtection(req, res, next);
  };
  const check: RequestHandler = (req, res, next) => tokens(req).doubleCsrfProtection(req, res, next);
  return { tokens: tokensFor, protect, check };
}
