import express, { type Express } from 'express';
import { parse as parseQueryString } from 'node:querystring';

/**
 * Every form value and query value is cleaned once, here at the edge, before any route or query sees
 * it: C0 control characters other than tab, line feed and carriage return (NUL among them, which
 * PostgreSQL refuses in text) and DEL are removed. No person types them; a script that sends them
 * gets the same answer as if it had not.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function withoutControlCharacters<T>(value: T): T {
  if (typeof value === 'string') return value.replace(CONTROL, '') as T;
  if (Array.isArray(value)) return value.map(withoutControlCharacters) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(CONTROL, '')] = withoutControlCharacters(v);
    return out as T;
  }
  return value;
}

/**
 * People write dates as the portal shows them (2026/11/23); a date field reaches the routes as ISO
 * (2026-11-23), the value a date input sends. A browser without a date picker lets a person type the
 * form the hint shows, so `date`, `from` and `to` written with / (or full-width digits) become ISO here.
 */
const DATE_FIELDS = new Set(['date', 'from', 'to']);
const TYPED_DATE = /^\s*(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$/;

export function withIsoDates<T>(fields: T): T {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return fields;
  const out: Record<string, unknown> = { ...(fields as Record<string, unknown>) };
  for (const key of DATE_FIELDS) {
    const v = out[key];
    const m = typeof v === 'string' ? TYPED_DATE.exec(v.normalize('NFKC')) : null;
    if (m) out[key] = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }
  return out as T;
}

/**
 * Sized to the largest real forms: a large institution's timetable (a capacity field per batch: seven
 * days, three kinds, several batches each) and a bulk decision or delivery sheet of several hundred rows.
 */
export const FORM_LIMITS = { bytes: '200kb', fields: 1000 } as const;

/** A path whose decoded form holds a control character (or does not decode) names no page of ours. */
function oddPath(path: string): boolean {
  try {
    return decodeURIComponent(path) !== withoutControlCharacters(decodeURIComponent(path));
  } catch {
    return true;
  }
}

/** Answers such a path with the ordinary 404 page (set up after the views and the language). */
export function refuseOddPaths(app: Express): void {
  app.use((req, res, next) => (oddPath(req.path) ? res.status(404).render('errors/not-found') : next()));
}

export function setUpFormInput(app: Express): void {
  // Express 5 parses the query string afresh on every read of req.query, so the parser itself cleans.
  app.set('query parser', (qs: string) => withIsoDates(withoutControlCharacters({ ...parseQueryString(qs) })));
  app.use(express.urlencoded({ extended: false, limit: FORM_LIMITS.bytes, parameterLimit: FORM_LIMITS.fields }));
  app.use((req, _res, next) => {
    if (req.body && typeof req.body === 'object') req.body = withIsoDates(withoutControlCharacters(req.body));
    next();
  });
}
