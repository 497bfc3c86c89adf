import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { MessageKey } from '../../domain/i18n/i18n.ts';
import { MB } from '../../domain/shared/uploads.ts';

/**
 * A multipart form, parsed in memory and then CSRF-checked (the token is one of its fields): a body
 * larger than `refuseAboveMb` is refused with 413 before it is read; a part multer refuses (too large,
 * too many) is not an error page but `res.locals.uploadError`, the key the form shows at its file field.
 */
export function multipartForm(opts: {
  parser: RequestHandler;
  csrfCheck: RequestHandler;
  refuseAboveMb: number;
  /** the limit the 413 page names */
  limitMb: number;
  problemOf: (code: multer.ErrorCode) => MessageKey;
}): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (Number(req.headers['content-length'] ?? 0) > opts.refuseAboveMb * MB) {
      res.status(413).render('errors/too-large', { limit: opts.limitMb, back: req.originalUrl });
      req.resume();
      return;
    }
    opts.parser(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = opts.problemOf(err.code);
        return opts.csrfCheck(req, res, next);
      }
      if (err) return next(err);
      opts.csrfCheck(req, res, next);
    });
  };
}

/** Whether a file part carries a file: an empty file input sends a nameless, empty part. */
export function isSentFile(f: Express.Multer.File): boolean {
  return !(f.size === 0 && f.originalname === '');
}

/** A part's file name as the person wrote it (multer reads the header as latin1). */
export function sentFileName(f: Express.Multer.File): string {
  return Buffer.from(f.originalname, 'latin1').toString('utf8');
}
