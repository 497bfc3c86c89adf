import type { NextFunction, Request, Response } from 'express';
import type { MessageKey, Translate } from '../domain/i18n/i18n.ts';
import type { DecisionOutcome, StaffDecision } from '../domain/shared/decisions.ts';
import { isIsoDate } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';
import { setNotice, type Notice } from './middleware/notices.ts';

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

/** What a review page is shown again with after a decision form: its problems (422) or "decided meanwhile" (409). */
export type DecisionPageExtra = {
  errors?: Record<string, FieldMessage>;
  values?: Record<string, string>;
  status?: number;
  conflict?: boolean;
};

/**
 * POST …/:id/decision on every review page: reads the decision form, decides, and either shows the
 * page again (its problems, or that someone decided first) or leaves a notice and goes back to the queue.
 */
export function decisionRoute<C extends string>(opts: {
  codes: readonly C[];
  reasonMax: number;
  render: (req: Request, res: Response, next: NextFunction, extra: DecisionPageExtra) => Promise<void>;
  decide: (
    req: Request,
    id: number,
    version: number,
    d: StaffDecision<C>,
  ) => Promise<DecisionOutcome | 'reason_required'>;
  /** the notice for the queue and where it is */
  done: (req: Request, id: number, decision: 'approve' | 'reject') => Promise<{ notice: Notice; to: string }>;
}) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const { values: f, reasonText, code, errors, versionOk } = readDecisionForm(req, opts.codes, opts.reasonMax);
    if (!versionOk) return res.status(400).render('errors/generic', { status: 400 });
    if (Object.keys(errors).length) return opts.render(req, res, next, { errors, values: f, status: 422 });
    const id = parseId(req.params.id);
    if (id === null) return next();
    const decision = f.decision === 'approve' ? 'approve' : 'reject';
    const outcome = await opts.decide(
      req,
      id,
      Number(f.version),
      decision === 'approve' ? { decision } : { decision, reason: reasonText, reasonCode: code },
    );
    if (outcome === 'not_found') return next();
    if (outcome === 'already_decided') return opts.render(req, res, next, { conflict: true, status: 409 });
    if (outcome === 'reason_required')
      return opts.render(req, res, next, {
        errors: { reasonText: 'error.decision.reasonRequired' },
        values: f,
        status: 422,
      });
    const { notice, to } = await opts.done(req, id, decision);
    setNotice(req, notice.key, notice.params);
    res.redirect(303, to);
  };
}

/**
 * A staff queue's common filters as typed (institution, call number, status, dates, page) and their
 * problems. No status parameter at all (the menu link) means pending; an empty one (chosen "all") means all.
 */
export function readQueueQuery(query: Request['query']) {
  const q = query as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, 20) : '');
  const raw = {
    institution: str(q.institution),
    callNumber: str(q.callNumber),
    status: q.status === undefined ? 'pending' : str(q.status),
    from: str(q.from),
    to: str(q.to),
  };
  const errors: Record<string, FieldMessage> = {};
  if (raw.callNumber && !/^(\d{4}|\d{6})$/.test(raw.callNumber)) errors.callNumber = 'error.callNumber.format';
  if (raw.from && !isIsoDate(raw.from)) errors.from = 'error.filter.date';
  if (raw.to && !isIsoDate(raw.to)) errors.to = 'error.filter.date';
  return {
    raw,
    errors,
    str,
    institutionCode: /^\d{4}$/.test(raw.institution) ? raw.institution : null,
    callNumber: errors.callNumber ? null : raw.callNumber || null,
    from: errors.from ? null : raw.from || null,
    to: errors.to ? null : raw.to || null,
    page: Math.max(1, Number.parseInt(str(q.page), 10) || 1),
  };
}
