import type { Response } from 'express';
import { create as contentDisposition } from 'content-disposition';
import type { DocumentContent } from '../../domain/applications/documents.ts';

/**
 * Sends a stored document with the type it was checked to be (by its bytes, at upload) and headers
 * that stop a browser from treating it as anything else. Images and PDFs open in the browser;
 * `?download=1` saves them. Nothing is cached: a kiosk or shared office PC keeps no copy.
 */
export function sendDocument(res: Response, doc: DocumentContent, download: boolean): void {
  res.set({
    'Content-Type': doc.mediaType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': contentDisposition(doc.fileName, { type: download ? 'attachment' : 'inline' }),
    'Cache-Control': 'private, no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  if (doc.mediaType === 'application/pdf') {
    // Chrome's PDF viewer refuses to run in a sandboxed document and needs its own inline styles, so a
    // PDF gets no page CSP; it cannot become HTML: its type is fixed and nosniff is set.
    res.removeHeader('Content-Security-Policy');
  } else {
    res.set('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  }
  res.send(doc.content);
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
