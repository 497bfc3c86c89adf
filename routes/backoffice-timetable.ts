import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, queryString, type FieldMessage, isRealDate } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { staffActor, staffOf } from './middleware/staff-context.ts';
import { scopeOf } from '../domain/staff.ts';
import { VISIT_KINDS, type VisitKind } from '../domain/applications/vocabulary.ts';
import {
  addBatch,
  blockDate,
  listBlockedDates,
  listTimetable,
  retireBatch,
  setBatchCapacity,
  unblockDate,
} from '../domain/visit-bookings.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { taipeiToday } from '../domain/shared/dates.ts';

// Inside the back office (after requireStaff), 公告時段管理: the weekly batches and the closed dates.
// GET  /timetable?institution=             the timetable per kind (capacity per weekday) and the closed dates
// POST /timetable/capacity                 new capacities for the batches shown (0 takes a batch off)
// POST /timetable/batches                  a new batch on the chosen weekdays
// POST /timetable/closed                   close a date                 POST /timetable/closed/:date/open: open it again
const BASE = `${BACKOFFICE}/timetable`;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

declare module 'express-session' {
  interface SessionData {
    timetableNotice?: {
      key: 'timetable.saved' | 'timetable.added' | 'timetable.closed' | 'timetable.opened';
      params?: Record<string, string>;
    };
  }
}

export function timetableRoutes(d: RouteDeps): Router {
  const r = Router();
  const who = staffActor;

  /**
   * The institution shown: the staff member's own, or the one an agency administrator chose. A change
   * (strict) names its institution exactly: one outside the staff member's scope is not found.
   */
  const institutionOf = async (req: Request, wanted: unknown, strict = false) => {
    const all = await listInstitutions(d.pool, req.locale);
    const scope = scopeOf(staffOf(req));
    const allowed = scope ? all.filter((i) => i.code === scope) : all;
    const chosen = allowed.find((i) => i.code === wanted) ?? null;
    return { allowed, institution: strict ? chosen : (chosen ?? (allowed.length === 1 ? allowed[0]! : null)) };
  };

  const render = async (
    req: Request,
    res: Response,
    code: unknown,
    extra: { errors?: Record<string, FieldMessage>; values?: Record<string, unknown> } = {},
  ) => {
    const { allowed, institution } = await institutionOf(req, code);
    const notice = req.session.timetableNotice ?? null;
    delete req.session.timetableNotice;
    const batches = institution ? await listTimetable(d.pool, institution.code) : [];
    const kinds = VISIT_KINDS.map((kind) => {
      const mine = batches.filter((b) => b.kind === kind);
      const starts = [...new Set(mine.map((b) => b.startsAt))].sort();
      return {
        kind,
        rows: starts.map((startsAt) => ({
          startsAt,
          byDay: Array.from(
            { length: 7 },
            (_, i) => mine.find((b) => b.startsAt === startsAt && b.weekday === i + 1) ?? null,
          ),
        })),
      };
    });
    const errors = extra.errors ?? {};
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/timetable', {
      allowed,
      institution,
      kinds,
      notice,
      closed: institution ? await listBlockedDates(d.pool, institution.code, taipeiToday(d.clock())) : [],
      values: extra.values ?? {},
      ...errorView(
        res.locals.t,
        errors,
        ['kind', 'weekdays', 'startsAt', 'lengthMinutes', 'capacity', 'date', 'reason'],
        { kind: 'kind', weekdays: 'weekday-1' },
      ),
    });
  };

  // Closing dates and changing places affects every family booking: institution and agency administrators only.
  r.use('/timetable', (req, res, next) => {
    if (staffOf(req).role === 'reviewer') return res.status(403).render('errors/generic', { status: 403 });
    next();
  });

  r.get('/timetable', (req, res, next) => render(req, res, req.query.institution).catch(next));

  r.post('/timetable/capacity', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const mine = new Map((await listTimetable(d.pool, institution.code)).map((b) => [b.id, b]));
    let changed = 0;
    for (const [name, raw] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      const id = Number(/^cap-(\d+)$/.exec(name)?.[1]);
      const batch = mine.get(id);
      const capacity = Number(raw);
      if (!batch || typeof raw !== 'string' || !/^\d{1,3}$/.test(raw.trim()) || capacity === batch.capacity) continue;
      const ok =
        capacity === 0
          ? await retireBatch(d.pool, id, who(req), d.clock())
          : await setBatchCapacity(d.pool, id, capacity, who(req), d.clock());
      if (ok) changed += 1;
    }
    req.session.timetableNotice = { key: 'timetable.saved', params: { count: String(changed) } };
    res.redirect(303, `${BASE}?${queryString({ institution: institution.code })}`);
  });

  r.post('/timetable/batches', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const f = formFields(req, ['kind', 'startsAt', 'lengthMinutes', 'capacity']);
    const weekdays = [...new Set(([] as unknown[]).concat(req.body?.weekday ?? []).map(Number))].filter(
      (w) => w >= 1 && w <= 7,
    );
    const kind = f.kind as VisitKind;
    const errors: Record<string, FieldMessage> = {};
    if (!VISIT_KINDS.includes(kind)) errors.kind = 'timetable.error.kind';
    if (!weekdays.length) errors.weekdays = 'timetable.error.weekdays';
    if (!TIME_RE.test(f.startsAt)) errors.startsAt = 'timetable.error.startsAt';
    const length = Number(f.lengthMinutes);
    if (kind !== 'mobile' && !(Number.isInteger(length) && length >= 5 && length <= 240))
      errors.lengthMinutes = 'timetable.error.length';
    const capacity = Number(f.capacity);
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 500)) errors.capacity = 'timetable.error.capacity';
    if (Object.keys(errors).length) return render(req, res, institution.code, { errors, values: { ...f, weekdays } });
    let added = 0;
    for (const weekday of weekdays) {
      const outcome = await addBatch(
        d.pool,
        {
          institutionCode: institution.code,
          kind,
          weekday,
          startsAt: f.startsAt,
          lengthMinutes: kind === 'mobile' ? null : length,
          capacity,
        },
        who(req),
        d.clock(),
      );
      if (outcome.kind === 'added') added += 1;
    }
    req.session.timetableNotice = {
      key: 'timetable.added',
      params: { count: String(added), skipped: String(weekdays.length - added) },
    };
    res.redirect(303, `${BASE}?${queryString({ institution: institution.code })}`);
  });

  r.post('/timetable/closed', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const f = formFields(req, ['date', 'reason']);
    const errors: Record<string, FieldMessage> = {};
    if (!isRealDate(f.date) || f.date < taipeiToday(d.clock())) errors.date = 'timetable.error.date';
    if ([...f.reason.trim()].length > 200) errors.reason = 'timetable.error.reason';
    if (Object.keys(errors).length) return render(req, res, institution.code, { errors, values: f });
    const outcome = await blockDate(
      d.pool,
      { institutionCode: institution.code, date: f.date, reason: f.reason },
      who(req),
      d.clock(),
    );
    if (outcome.kind === 'duplicate')
      return render(req, res, institution.code, { errors: { date: 'timetable.error.duplicate' }, values: f });
    if (outcome.kind !== 'blocked')
      return render(req, res, institution.code, { errors: { date: 'timetable.error.date' }, values: f });
    req.session.timetableNotice = {
      key: 'timetable.closed',
      params: { date: f.date, count: String(outcome.activeBookings) },
    };
    res.redirect(303, `${BASE}?${queryString({ institution: institution.code })}`);
  });

  r.post('/timetable/closed/:date/open', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution || !(await unblockDate(d.pool, institution.code, String(req.params.date), who(req), d.clock())))
      return next();
    req.session.timetableNotice = { key: 'timetable.opened', params: { date: String(req.params.date) } };
    res.redirect(303, `${BASE}?${queryString({ institution: institution.code })}`);
  });

  return r;
}
