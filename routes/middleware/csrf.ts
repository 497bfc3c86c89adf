import type { Express, Request, Response, NextFunction } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { RouteDeps } from '../app.ts';

declare module 'express-session' {
  interface SessionData {
    /** Set once a form has been shown, so the session (and with it the CSRF binding) is kept. */
    formShown?: boolean;
  }
}

/**
 * Double-submit CSRF tokens bound to the session id (csrf-csrf). Every POST must carry the token,
 * in the `_csrf` field or, for htmx, the `X-CSRF-Token` header.
 */
export function setUpCsrf(app: Express, d: RouteDeps): void {
  const secure = d.config.secureCookies;
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => d.config.sessionSecret,
    getSessionIdentifier: (req) => req.session.id,
    cookieName: secure ? '__Host-portal.csrf' : 'portal.csrf',
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    let token: string | undefined;
    // Called by a view only when it renders a form, so pages without one create no session.
    res.locals.csrfToken = () => {
      if (!token) {
        req.session.formShown = true;
        token = generateCsrfToken(req, res);
      }
      return token;
    };
    next();
  });
  app.use(doubleCsrfProtection);
}
