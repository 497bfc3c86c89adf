/** Identifiers as they arrive in URLs and forms. */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}

/** A row id: a positive whole number PostgreSQL's bigint can hold. */
export function isId(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

/** A row id from a URL or form value (`"12"`), or null for anything else (`"1e3"`, `"-1"`, `"x"`). */
export function parseId(v: unknown): number | null {
  if (typeof v !== 'string' || !/^[1-9]\d{0,15}$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}
