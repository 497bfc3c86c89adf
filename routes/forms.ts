import type { Request } from 'express';
import type { MessageKey, Translate } from '../domain/i18n/i18n.ts';

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

/** A field's problem: a message key, or one with parameters such as a file name or a limit. */
export type FieldMessage = MessageKey | { key: MessageKey; params?: Record<string, string | number> };

/**
 * Turns field errors into what the views need: the summary list (in form order, linked to the
 * field, or to `anchors[field]` when the field itself cannot take focus) and the message per field.
 */
export function errorView(
  t: Translate,
  errors: Partial<Record<string, FieldMessage>>,
  order: readonly string[],
  anchors: Record<string, string> = {},
) {
  const list: ErrorItem[] = [];
  const byField: Record<string, string> = {};
  for (const field of order) {
    const problem = errors[field];
    if (!problem) continue;
    const text = typeof problem === 'string' ? t(problem) : t(problem.key, problem.params);
    byField[field] = text;
    list.push({ field, href: `#${anchors[field] ?? field}`, text });
  }
  return { errorList: list, fieldErrors: byField };
}

/** A local path to come back to after signing in; anything else becomes the account page. */
export function safeReturn(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}

/**
 * A query string of the string values, for links that keep a page's filters. Empty values are left
 * out, except with keepEmpty: a page link must keep "status=" (all), which differs from no status.
 */
export function queryString(q: Record<string, unknown>, keepEmpty = false): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && (keepEmpty || v !== '')) params.set(k, v);
  return params.toString();
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isRealDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * A staff decision form (approve, or reject with a common reason and/or words of one's own) as every
 * review page posts it: the answers, the chosen reason code (one of `codes`, else null), the problems
 * to show, and whether the version field is well-formed.
 */
export function readDecisionForm<C extends string>(req: Request, codes: readonly C[], reasonMax: number) {
  const values = formFields(req, ['decision', 'reasonCode', 'reasonText', 'version']);
  const reasonText = values.reasonText.trim();
  const errors: Record<string, FieldMessage> = {};
  if (values.decision !== 'approve' && values.decision !== 'reject') errors.decision = 'error.decision.required';
  const code = (codes as readonly string[]).includes(values.reasonCode) ? (values.reasonCode as C) : null;
  if (values.decision === 'reject') {
    if (!code && !reasonText) errors.reasonCode = 'error.decision.reasonRequired';
    if (values.reasonCode === 'other' && !reasonText) errors.reasonText = 'error.decision.reasonTextRequired';
    if ([...reasonText].length > reasonMax)
      errors.reasonText = { key: 'error.decision.reasonTooLong', params: { max: reasonMax } };
  }
  return { values, reasonText, code, errors, versionOk: /^\d{1,9}$/.test(values.version) };
}
