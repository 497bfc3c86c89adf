import type { Express, NextFunction, Request, Response } from 'express';
import { create as contentDisposition } from 'content-disposition';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type DocumentContent, readDocumentById } from '../../domain/applications/documents.ts';
import { parseId } from '../../domain/shared/ids.ts';
import type { RouteDeps } from '../deps.ts';

/** How long a link to the document origin works: enough to open it, too short to pass around. */
export const DOCUMENT_LINK_SECONDS = 5 * 60;

declare module 'express-serve-static-core' {
  interface Locals {
    /** A signed link to view a document on the document origin; absent when none is configured. */
    documentViewUrl?: (documentId: number) => string;
  }
}

function signature(secret: string, documentId: number, expires: number): string {
  return createHmac('sha256', secret).update(`document-view|${documentId}|${expires}`).digest('base64url');
}

/** A link to one document on the document origin, valid DOCUMENT_LINK_SECONDS from `now`. */
export function signedDocumentUrl(origin: string, secret: string, documentId: number, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + DOCUMENT_LINK_SECONDS;
  return `${origin}/documents/${documentId}?expires=${expires}&signature=${signature(secret, documentId, expires)}`;
}

function validSignature(secret: string, documentId: number, expiresRaw: unknown, given: unknown, now: Date): boolean {
  if (typeof expiresRaw !== 'string' || typeof given !== 'string' || !/^\d{1,12}$/.test(expiresRaw)) return false;
  const expires = Number(expiresRaw);
  if (expires < now.getTime() / 1000 || expires > now.getTime() / 1000 + DOCUMENT_LINK_SECONDS) return false;
  const expected = Buffer.from(signature(secret, documentId, expires));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const COMMON = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, no-store',
};
const IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * Sends a stored document to someone the route has checked may read it, with the type it was checked
 * to be (by its bytes, at upload). On the portal's origin a PDF is always an attachment (saved, never
 * run by a PDF viewer on this origin); an image opens inline in a sandbox, or is saved with
 * `?download=1`. `?view=1` goes to the document origin through a signed link, when one is configured.
 * Nothing is cached: a kiosk or shared office PC keeps no copy.
 */
export function sendDocument(res: Response, doc: DocumentContent, download: boolean): void {
  if (res.req.query.view === '1' && res.locals.documentViewUrl) {
    res.set('Referrer-Policy', 'no-referrer');
    return res.redirect(303, res.locals.documentViewUrl(doc.id));
  }
  const attachment = download || doc.mediaType === 'application/pdf';
  res.set({
    ...COMMON,
    'Content-Type': doc.mediaType,
    'Content-Disposition': contentDisposition(doc.fileName, { type: attachment ? 'attachment' : 'inline' }),
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': IMAGE_CSP,
  });
  res.send(doc.content);
}

/**
 * The document origin (DOCUMENTS_ORIGIN): the same process answers requests whose Host is that
 * origin's, before sessions, so it never reads or sets a cookie, and it answers nothing but a
 * document behind a valid, unexpired signature made for that document's id. A PDF opens inline there
 * (in the browser's viewer, which cannot run sandboxed); whatever it does, it does on an origin that
 * holds nothing. On the portal's own origin this path does not exist. Every portal page gets
 * `res.locals.documentViewUrl` to make such links (see sendDocument).
 */
export function setUpDocumentOrigin(app: Express, d: RouteDeps): void {
  const origin = d.config.documentsOrigin;
  if (!origin) return;
  const host = new URL(origin).host;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.get('host') !== host) {
      res.locals.documentViewUrl = (id) => signedDocumentUrl(origin, d.config.sessionSecret, id, d.clock());
      return next();
    }
    res.set({ ...COMMON, 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
    const m = /^\/documents\/(\d{1,15})$/.exec(req.path);
    const id = m ? parseId(m[1]) : null;
    const valid =
      (req.method === 'GET' || req.method === 'HEAD') &&
      id !== null &&
      validSignature(d.config.sessionSecret, id, req.query.expires, req.query.signature, d.clock());
    if (!valid) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    readDocumentById(d.pool, id).then(
      (doc) => {
        if (!doc) {
          res.status(404).type('text/plain').send('Not found');
          return;
        }
        res.set({
          'Content-Type': doc.mediaType,
          'Content-Disposition': contentDisposition(doc.fileName, { type: 'inline' }),
          'X-Frame-Options': 'DENY',
        });
        if (doc.mediaType !== 'application/pdf') res.set('Content-Security-Policy', IMAGE_CSP);
        res.send(doc.content);
      },
      // Not the portal's error page: this origin has no views, language or session.
      (err: unknown) => {
        req.log?.error({ err }, 'document origin failed');
        res.status(500).type('text/plain').send('Error');
      },
    );
  });
}

/**
 * A stored contact book photo: always a JPEG made by sharp (no metadata), never cached, and sandboxed
 * so that even a crafted file could not act as a page of the portal.
 */
export function sendPhoto(res: Response, photo: Buffer): void {
  res.set({
    'Content-Type': 'image/jpeg',
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': 'inline; filename="photo.jpg"',
    'Cache-Control': 'private, no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  res.send(photo);
}
