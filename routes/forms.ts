import type { Request } from 'express';
import type { MessageKey, Translate } from '../domain/infra/i18n.ts';

/** The named fields of a posted form as trimmed-at-the-edges strings; anything else is ignored. */
export function formFields<K extends string>(req: Request, names: readonly K[]): Record<K, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const n of names) {
    const v = body[n];
    out[n] = typeof v === 'string' ? v.slice(0, 1000) : '';
  }
  return out;
}

export type ErrorItem = { field: string; href: string; text: string };

/**
 * Turns field errors into what the views need: the summary list (in form order, linked to the
 * field) and the message per field.
 */
export function errorView(t: Translate, errors: Partial<Record<string, MessageKey>>, order: readonly string[], anchors: Record<string, string> = {}) {
  const list: ErrorItem[] = [];
  const byField: Record<string, string> = {};
  for (const field of order) {
    const key = errors[field];
    if (!key) continue;
    const text = t(key);
    byField[field] = text;
    list.push({ field, href: `#${anchors[field] ?? field}`, text });
  }
  return { errorList: list, fieldErrors: byField };
}

/** A local path to come back to after signing in; anything else becomes the account page. */
export function safeReturn(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}
