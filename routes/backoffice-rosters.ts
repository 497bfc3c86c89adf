import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { dayLabeller } from './day-label.ts';
import { errorView } from './forms.ts';
import { queryText } from './filters.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor, staffOf } from './middleware/staff-context.ts';
import { scopeOf } from '../domain/staff.ts';
import { isIsoDate, taipeiToday } from '../domain/shared/dates.ts';
import { nextVisitDay, roster, type RosterRow } from '../domain/bookings/rosters.ts';
import { rosterCsv, rosterSlot } from '../domain/bookings/roster-csv.ts';
import { BOOKING_SERVICES, type BookingService } from '../domain/bookings/vocabulary.ts';
import type { Translate } from '../domain/i18n/i18n.ts';

// Inside the back office (after requireStaff), 預約現場(律師)接見清冊 (issue 5; seed 002):
// GET  /bookings/roster                   ?institution=&date=&service=visit|lawyer_visit (default: the next day with visits)
//                                         (&format=csv for the same rows as CSV)
const BASE = `${BACKOFFICE}/bookings`;

export function rosterRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/bookings/roster', allowTask('rosters'), async (req, res, next) => {
    const q = req.query as Record<string, unknown>;
    const institutions = await institutionsFor(d.pool, req);
    const wanted = queryText(q.institution);
    const rawDate = queryText(q.date);
    const service: BookingService = q.service === 'lawyer_visit' ? 'lawyer_visit' : 'visit';
    let institution = institutions.length === 1 ? institutions[0]! : null;
    if (wanted) {
      // Another institution's roster, or no such institution: not found, as any object outside scope.
      institution = institutions.find((i) => i.code === wanted) ?? null;
      if (!institution) return next();
    }
    const t = res.locals.t as Translate;
    // A date that is not one is said, with no roster: never another day's roster that could be printed.
    if (rawDate !== '' && !isIsoDate(rawDate)) {
      return res.status(422).render('backoffice/bookings-roster', {
        institutions,
        institution,
        date: rawDate.slice(0, 100),
        service,
        services: BOOKING_SERVICES,
        dateError: true,
        ...errorView(t, { date: 'error.filter.date' }, ['date']),
      });
    }
    // Without a date: the next day with visits, the day the review reminder points at.
    const date = isIsoDate(rawDate)
      ? rawDate
      : await nextVisitDay(d.pool, institution?.code ?? scopeOf(staffOf(req)), taipeiToday(d.clock()));
    const rows = institution
      ? await roster(d.pool, staffActor(req), {
          institutionCode: institution.code,
          date,
          service,
          kinds: ['onsite'],
        })
      : [];
    if (rows === null) return next();
    if (q.format === 'csv') {
      if (!institution) return next();
      res.set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="roster-${institution.code}-${date}-${service}.csv"`,
        'Cache-Control': 'no-store',
      });
      return res.send(rosterCsv(t, date, rows));
    }
    const query = new URLSearchParams({ ...(institution ? { institution: institution.code } : {}), date, service });
    res.render('backoffice/bookings-roster', {
      institutions,
      institution,
      date,
      service,
      services: BOOKING_SERVICES,
      rows,
      day: dayLabeller(res),
      people: rows.reduce((n, b) => n + b.visitors.length, 0),
      dateError: false,
      csvUrl: `${BASE}/roster?${query.toString()}&format=csv`,
      slot: (row: RosterRow) => rosterSlot(t, row),
    });
  });

  return r;
}
