import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import type { Translate } from '../domain/i18n/i18n.ts';
import { SERVICES } from '../domain/applications/vocabulary.ts';
import { COMMENTS_SHOWN, TARGET_SHARE, ratingFigures } from '../domain/ratings/figures.ts';
import { ratingChart, serviceLabel } from '../domain/ratings/chart.ts';

// Inside the back office (after requireStaff), task ratings (every role), within the staff member's scope:
// GET  /ratings        即時評價: the share satisfied per week against the 80% target (SVG and table),
//                      per service and institution (the agency sees all), and the masked comments
const RATED_SERVICES = [...SERVICES, 'kiosk'] as const;

export function backofficeRatingRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/ratings', allowTask('ratings'), async (req, res) => {
    const t = res.locals.t as Translate;
    const who = staffActor(req);
    const institutions = await institutionsFor(d.pool, req);
    const q = { service: String(req.query.service ?? ''), institution: String(req.query.institution ?? '') };
    const service = (RATED_SERVICES as readonly string[]).includes(q.service) ? q.service : null;
    const institution = institutions.some((i) => i.code === q.institution) ? q.institution : null;
    const figures = await ratingFigures(d.pool, who, { service, institutionCode: institution }, d.clock());
    res.render('backoffice/ratings', {
      chart: ratingChart(t, figures),
      comments: figures.comments.map((c) => ({ ...c, service: serviceLabel(t, c.service) })),
      services: RATED_SERVICES.map((code) => ({ code, label: serviceLabel(t, code) })),
      institutions,
      values: { service: service ?? '', institution: who.institutionCode ?? institution ?? '' },
      target: Math.round(TARGET_SHARE * 100),
      max: COMMENTS_SHOWN,
    });
  });

  return r;
}
