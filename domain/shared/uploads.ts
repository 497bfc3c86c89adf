import type { MessageKey } from '../i18n/i18n.ts';
import type { Db } from '../platform/db.ts';
import { withoutInvisible } from './plain-text.ts';

/** A file as sent in a form, and what every upload check shares. */

export type Upload = { fileName: string; bytes: Buffer };

export type UploadProblem = { key: MessageKey; params: Record<string, string | number> };

export const MB = 1024 * 1024;

/** A file name fit to show and store: no path, no control characters, at most 255 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = withoutInvisible(base).trim();
  return [...(cleaned || 'file')].slice(0, 120).join('');
}

export function isUploadProblem<T extends object>(v: T | UploadProblem): v is UploadProblem {
  return 'key' in v;
}

// ---- the contact book photo (愛在雲端): one photo, downsized for printing and the tablet ----

/** Removes a form's kept files older than `lifetimeHours` (forms left unfinished); returns how many. */
export async function purgeDrafts(
  db: Db,
  table: 'application_upload' | 'contact_book_photo_draft',
  now: Date,
  lifetimeHours: number,
): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM ${table} WHERE created_at < $1`, [
    new Date(now.getTime() - lifetimeHours * 3600_000),
  ]);
  return rowCount ?? 0;
}
