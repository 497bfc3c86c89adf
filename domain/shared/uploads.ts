import type { MessageKey } from '../i18n/i18n.ts';

/** A file as sent in a form, and what every upload check shares. */

export type Upload = { fileName: string; bytes: Buffer };

export type UploadProblem = { key: MessageKey; params: Record<string, string | number> };

export const MB = 1024 * 1024;

/** A file name fit to show and store: no path, no control characters, at most 255 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return [...(cleaned || 'file')].slice(0, 120).join('');
}

export function isUploadProblem<T extends object>(v: T | UploadProblem): v is UploadProblem {
  return 'key' in v;
}

// ---- the contact book photo (愛在雲端): one photo, downsized for printing and the tablet ----
