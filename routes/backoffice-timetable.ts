import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, queryString, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { VISIT_KINDS, type VisitKind } from '../domain/applications/vocabulary.ts';
import { addBatches, blockDate, setCapacities, timetableSheet, unblockDate } from '../domain/bookings/timetable.ts';
import { CLOSED_REASON_MAX, isBatchCapacity, isBatchLength } from '../domain/bookings/vocabulary.ts';
import { formatDate, isIsoDate, isTime, taipeiToday } from '../domain/shared/dates.ts';

// Inside the back office (after requireStaff), 公告時段管理: the weekly batches and the closed dates.
// GET  /timetable?institution=             the timetable per kind (capacity per weekday) and the closed dates
// POST /timetable/capacity                 new capacities for the batches shown (0 takes a batch off)
// POST /timetable/batches                  a new batch on the chosen weekdays
// POST /timetable/closed                   close a date                 POST /timetable/closed/:date/open: open it again
const BASE = `${BACKOFFICE}/timetable`;

export function timetableRoutes(d: RouteDeps): Router {
  const r = Router();
  const who = staffActor;

  /**
   * The institution shown: the staff member's own, or the one an agency administrator chose. A change
   * (strict) names its institution exactly: one outside the staff member's scope is not found.
   */
  const institutionOf = async (req: Request, wanted: unknown, strict = false) => {
    const allowed = await institutionsFor(d.pool, req);
    const chosen = allowed.find((i) => i.code === wanted) ?? null;
    return { allowed, institution: strict ? chosen : (chosen ?? (allowed.length === 1 ? allowed[0]! : null)) };
  };

  const render = async (
    req: Request,
    res: Response,
    code: unknown,
    extra: {
      errors?: Record<string, FieldMessage>;
      values?: Record<string, unknown>;
      /** the capacity cells refused, marked in the table; the summary leads to the first */
      badCells?: number[];
    } = {},
  ) => {
    const { allowed, institution } = await institutionOf(req, code);
    const notice = takeNotice(req);
    const sheet = (institution &&
      (await timetableSheet(d.pool, who(req), institution.code, taipeiToday(d.clock())))) ?? {
      kinds: VISIT_KINDS.map((kind) => ({ kind, rows: [] })),
      closed: [],
    };
    const errors = extra.errors ?? {};
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/timetable', {
      allowed,
      institution,
      ...sheet,
      notice,
      values: extra.values ?? {},
      badCells: extra.badCells ?? [],
      ...errorView(
        res.locals.t,
        errors,
        ['capacities', 'kind', 'weekdays', 'startsAt', 'lengthMinutes', 'capacity', 'date', 'reason'],
        { kind: 'kind', weekdays: 'weekday-1', capacities: `cap-${extra.badCells?.[0] ?? ''}` },
      ),
    });
  };

  const backTo = (res: Response, institutionCode: string) =>
    res.redirect(303, `${BASE}?${queryString({ institution: institutionCode })}`);

  // The domain refuses every change by a role without the 'timetable' task; such staff do not open the page either.
  r.get('/timetable', allowTask('timetable'), (req, res, next) => render(req, res, req.query.institution).catch(next));

  r.post('/timetable/capacity', allowTask('timetable'), async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    // Every cell is checked before anything is saved: a number that is not one (or out of range) is
    // marked in the table with what was typed kept, and nothing of the form is saved.
    const capacities = new Map<number, number>();
    const typed: Record<string, string> = {};
    const badCells: number[] = [];
    for (const [name, raw] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      const id = Number(/^cap-(\d{1,15})$/.exec(name)?.[1]);
      if (!Number.isSafeInteger(id)) continue;
      const value = typeof raw === 'string' ? raw.normalize('NFKC').trim() : '';
      typed[name] = typeof raw === 'string' ? raw.slice(0, 20) : '';
      const places = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      if (places === 0 || isBatchCapacity(places)) capacities.set(id, places);
      else badCells.push(id);
    }
    if (badCells.length)
      return render(req, res, institution.code, {
        errors: { capacities: { key: 'timetable.error.capacityCells', params: { count: badCells.length } } },
        values: typed,
        badCells,
      });
    const changed = await setCapacities(d.pool, institution.code, capacities, who(req), d.clock());
    setNotice(req, 'timetable.saved', { count: String(changed) });
    backTo(res, institution.code);
  });

  r.post('/timetable/batches', allowTask('timetable'), async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const f = formFields(req, ['kind', 'startsAt', 'lengthMinutes', 'capacity']);
    const weekdays = [...new Set(([] as unknown[]).concat(req.body?.weekday ?? []).map(Number))].filter(
      (w) => w >= 1 && w <= 7,
    );
    const kind = f.kind as VisitKind;
    const length = Number(f.lengthMinutes);
    const capacity = Number(f.capacity);
    const errors: Record<string, FieldMessage> = {};
    if (!VISIT_KINDS.includes(kind)) errors.kind = 'timetable.error.kind';
    if (!weekdays.length) errors.weekdays = 'timetable.error.weekdays';
    if (!isTime(f.startsAt)) errors.startsAt = 'timetable.error.startsAt';
    if (kind !== 'mobile' && !isBatchLength(length)) errors.lengthMinutes = 'timetable.error.length';
    else if (kind !== 'mobile' && isTime(f.startsAt)) {
      // A batch is on one day: it ends by 24:00.
      const [h, m] = f.startsAt.split(':').map(Number) as [number, number];
      if (h * 60 + m + length > 24 * 60) errors.lengthMinutes = 'timetable.error.pastMidnight';
    }
    if (!isBatchCapacity(capacity)) errors.capacity = 'timetable.error.capacity';
    if (Object.keys(errors).length) return render(req, res, institution.code, { errors, values: { ...f, weekdays } });
    const batch = { institutionCode: institution.code, kind, startsAt: f.startsAt, capacity, weekdays };
    const lengthMinutes = kind === 'mobile' ? null : length;
    const { added, skipped } = await addBatches(d.pool, { ...batch, lengthMinutes }, who(req), d.clock());
    setNotice(req, 'timetable.added', { count: String(added), skipped: String(skipped) });
    backTo(res, institution.code);
  });

  r.post('/timetable/closed', allowTask('timetable'), async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const f = formFields(req, ['date', 'reason']);
    const errors: Record<string, FieldMessage> = {};
    if (!isIsoDate(f.date) || f.date < taipeiToday(d.clock())) errors.date = 'timetable.error.date';
    if ([...f.reason.trim()].length > CLOSED_REASON_MAX) errors.reason = 'timetable.error.reason';
    if (Object.keys(errors).length) return render(req, res, institution.code, { errors, values: f });
    const closed = { institutionCode: institution.code, date: f.date, reason: f.reason };
    const outcome = await blockDate(d.pool, closed, who(req), d.clock());
    if (outcome.kind === 'duplicate')
      return render(req, res, institution.code, { errors: { date: 'timetable.error.duplicate' }, values: f });
    if (outcome.kind !== 'blocked')
      return render(req, res, institution.code, { errors: { date: 'timetable.error.date' }, values: f });
    const params = { date: formatDate(f.date), count: String(outcome.activeBookings) };
    setNotice(req, 'timetable.closed', params);
    backTo(res, institution.code);
  });

  r.post('/timetable/closed/:date/open', allowTask('timetable'), async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    const date = String(req.params.date);
    if (!institution || !(await unblockDate(d.pool, institution.code, date, who(req), d.clock()))) return next();
    setNotice(req, 'timetable.opened', { date: formatDate(date) });
    backTo(res, institution.code);
  });

  return r;
}
