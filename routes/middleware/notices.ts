import type { Request } from 'express';
import type { MessageKey } from '../../domain/i18n/i18n.ts';

/** A one-off notice for the next page ("saved", "approved 20260101-ABCDEF"), shown once. */
export type Notice = { key: MessageKey; params?: Record<string, string> };

declare module 'express-session' {
  interface SessionData {
    /** The one-off notice for the next page, in either area (each has its own session). */
    notice?: Notice;
  }
}

/** Leaves a notice for the page the browser is sent to next. */
export function setNotice(req: Request, key: MessageKey, params?: Record<string, string>): void {
  req.session.notice = params ? { key, params } : { key };
}

/** The notice left for this page, taken (shown once). */
export function takeNotice(req: Request): Notice | null {
  const notice = req.session.notice ?? null;
  delete req.session.notice;
  return notice;
}
