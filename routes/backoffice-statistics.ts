import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { takeNotice } from './middleware/notices.ts';
import { homeFigures } from '../domain/statistics/figures.ts';
import { CHARTS, chartCsv, chartViews, type ChartId } from '../domain/statistics/views.ts';
import type { Translate } from '../domain/i18n/i18n.ts';

// Inside the back office (after requireStaff), for every role, within the staff member's scope (issue 12):
// GET  /                                 home: what waits in each queue, and the statistics (SVG charts, tables)
// GET  /statistics/:chart.csv            one chart's figures as CSV: applications, decisions, bookings, posts
export function statisticsRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/', allowTask('statistics'), async (req, res) => {
    const t = res.locals.t as Translate;
    const figures = await homeFigures(d.pool, staffActor(req), d.clock());
    const institutions = await institutionsFor(d.pool, req);
    const scope = staffActor(req).institutionCode;
    res.render('backoffice/home', {
      pending: figures.pending.applications,
      pendingPosts: figures.pending.posts,
      pendingBookings: figures.pending.bookings,
      notice: takeNotice(req),
      statistics: {
        scope: scope ? (institutions.find((i) => i.code === scope)?.name ?? scope) : t('statistics.scope.all'),
        charts: chartViews(t, figures),
      },
    });
  });

  r.get('/statistics/:file', allowTask('statistics'), async (req, res, next) => {
    const id = /^([a-z]+)\.csv$/.exec(String(req.params.file))?.[1];
    if (!id || !(CHARTS as readonly string[]).includes(id)) return next();
    const figures = await homeFigures(d.pool, staffActor(req), d.clock());
    const view = chartViews(res.locals.t as Translate, figures).find((v) => v.id === (id as ChartId))!;
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="statistics-${id}-${figures.period.today}.csv"`,
      'Cache-Control': 'no-store',
    });
    res.send(chartCsv(view));
  });

  return r;
}
