import { Router, type Request } from 'express';
import type { RouteDeps } from './deps.ts';
import { dateRangeErrors, queryText } from './filters.ts';
import { errorView, queryString, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_MAX_LISTED,
  actionLabel,
  auditStaffChoices,
  detailLines,
  exportAuditLog,
  objectLabel,
  searchAuditLog,
  type AuditEntry,
  type AuditFilter,
} from '../domain/audit-log.ts';
import { parseId } from '../domain/shared/ids.ts';
import type { Translate } from '../domain/i18n/i18n.ts';

// Inside the back office (after requireStaff), 稽核紀錄 (issue 12), for institution and agency administrators:
// GET  /audit             ?staff=&action=&institution=&from=&to=&page=   the entries of the actor's scope, newest first
// GET  /audit/export.csv  the same filters, every page, as CSV (UTF-8 with BOM)
const BASE = `${BACKOFFICE}/audit`;

/** The filters as typed (kept for the form) and as the domain takes them, with their problems. */
function readAuditQuery(query: Request['query']) {
  const q = query as Record<string, unknown>;
  const raw = {
    staff: queryText(q.staff, 12),
    action: queryText(q.action, 60),
    institution: queryText(q.institution, 4),
    from: queryText(q.from, 10),
    to: queryText(q.to, 10),
  };
  const errors: Record<string, FieldMessage> = { ...dateRangeErrors(raw) };
  if (!errors.from && !errors.to && raw.from && raw.to && raw.to < raw.from) errors.to = 'audit.error.to';
  const filter: AuditFilter = {
    staffId: parseId(raw.staff),
    action: /^[a-z_]+(\.[a-z_]+)*$/.test(raw.action) ? raw.action : null,
    institutionCode: /^\d{4}$/.test(raw.institution) ? raw.institution : null,
    from: errors.from || errors.to ? null : raw.from || null,
    to: errors.to ? null : raw.to || null,
    page: Math.max(1, Number.parseInt(queryText(q.page, 6), 10) || 1),
  };
  return { raw, errors, filter };
}

export function auditRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/audit', allowTask('audit_log'), async (req, res, next) => {
    const actor = staffActor(req);
    const { raw, errors, filter } = readAuditQuery(req.query);
    const log = await searchAuditLog(d.pool, actor, filter, req.locale, d.clock());
    if (!log) return next();
    const t = res.locals.t as Translate;
    const query = queryString({ ...raw }, false);
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/audit', {
      log,
      values: raw,
      max: AUDIT_MAX_LISTED,
      staffChoices: await auditStaffChoices(d.pool, actor),
      actions: AUDIT_ACTIONS.map((code) => ({ code, label: actionLabel(t, req.locale, code) })),
      institutions: await institutionsFor(d.pool, req),
      entry: (e: AuditEntry) => ({
        action: actionLabel(t, req.locale, e.action),
        object: objectLabel(t, req.locale, e),
        details: detailLines(e.details),
      }),
      exportUrl: `${BASE}/export.csv${query ? `?${query}` : ''}`,
      pageUrl: (page: number) => `${BASE}?${queryString({ ...raw, page: String(page) }, false)}`,
      ...errorView(t, errors, ['staff', 'action', 'institution', 'from', 'to']),
    });
  });

  r.get('/audit/export.csv', allowTask('audit_log'), async (req, res, next) => {
    const { filter } = readAuditQuery(req.query);
    const csv = await exportAuditLog(d.pool, staffActor(req), filter, res.locals.t as Translate, req.locale, d.clock());
    if (csv === null) return next();
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-log.csv"`,
      'Cache-Control': 'no-store',
    });
    res.send(csv);
  });

  return r;
}
