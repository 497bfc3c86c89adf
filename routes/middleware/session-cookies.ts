import type { Response } from 'express';
import { BACKOFFICE } from './area.ts';

/**
 * The session cookies' names and scopes, in one place for the session middleware and both sign-outs.
 * Behind TLS the names carry the browser-enforced prefixes: __Host- (Secure, Path=/, no Domain: no
 * sibling subdomain can plant or widen it) and, for the staff cookie bound to /backoffice, __Secure-.
 */
export function sessionCookies(secure: boolean) {
  return {
    portal: { name: secure ? '__Host-portal.sid' : 'portal.sid', path: '/' },
    staff: { name: secure ? '__Secure-portal.staff.sid' : 'portal.staff.sid', path: BACKOFFICE },
  };
}

/**
 * Clears a session cookie on sign-out. A browser accepts the clearing only with the cookie's own name,
 * path and (for a prefixed name) the Secure attribute.
 */
export function clearSessionCookie(res: Response, secure: boolean, which: 'portal' | 'staff'): void {
  const { name, path } = sessionCookies(secure)[which];
  res.clearCookie(name, { path, secure, httpOnly: true, sameSite: which === 'staff' ? 'strict' : 'lax' });
}
