import type { Request, Response, NextFunction, RequestHandler } from 'express';

/**
 * The back office lives under its own path with its own session cookie, CSRF cookie and Passport
 * instance, so a family's session never reaches a staff page and a staff session never leaves it.
 */
export const BACKOFFICE = '/backoffice';

export function inBackoffice(req: Request): boolean {
  // baseUrl + path: inside the mounted back-office router, req.path alone is '/signin'.
  const path = req.baseUrl + req.path;
  return path === BACKOFFICE || path.startsWith(`${BACKOFFICE}/`);
}

/** One middleware for the public portal and another for the back office, chosen by path. */
export function byArea(portal: RequestHandler, backoffice: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    inBackoffice(req) ? backoffice(req, res, next) : portal(req, res, next);
}
