import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import {
  ENROL_LINK_MINUTES,
  KIOSK_NAME_MAX,
  createKioskLink,
  listKiosks,
  renewKioskLink,
  revokeKiosk,
} from '../domain/kiosks.ts';
import { parseId } from '../domain/shared/ids.ts';

// Mounted under /backoffice; 服務機管理 for the task 'kiosks' (機關管理者 their institution's, 矯正署管理者
// any institution's). Another institution's kiosk is not found.
// GET  /kiosks              the kiosks with their last use, and the form for a new one's link
// POST /kiosks              a new kiosk, then to its link's page (a reload makes no second kiosk)
// GET  /kiosks/:id/link     its one-time enrolment link, to whoever made it, until they go back to the list
//                           or an hour has passed; each showing makes a new link (the session keeps which
//                           kiosk, never a token: only the link's hash is stored anywhere)
// POST /kiosks/:id/revoke   撤銷: the terminal's cookie does nothing from now on
const BASE = `${BACKOFFICE}/kiosks`;

declare module 'express-session' {
  interface SessionData {
    /** The kiosk just made, whose link's page this session may show (see GET /kiosks/:id/link). */
    kioskLink?: { id: number; madeAt: number; shown?: boolean };
  }
}

export function kioskAdminRoutes(d: RouteDeps): Router {
  const r = Router();
  r.use('/kiosks', allowTask('kiosks'));

  const renderList = async (
    req: Request,
    res: Response,
    opts: {
      values?: { name: string; institution: string };
      errors?: Record<string, FieldMessage>;
      status?: number;
    } = {},
  ) => {
    const actor = staffActor(req);
    res.status(opts.status ?? 200).render('backoffice/kiosks', {
      kiosks: await listKiosks(d.pool, actor, req.locale, d.clock()),
      institutions: await institutionsFor(d.pool, req),
      chooseInstitution: actor.institutionCode === null,
      values: opts.values ?? { name: '', institution: '' },
      nameMax: KIOSK_NAME_MAX,
      notice: takeNotice(req),
      ...errorView(res.locals.t, opts.errors ?? {}, ['name', 'institution']),
    });
  };

  r.get('/kiosks', (req, res) => {
    // Back at the list, the link is not shown again (as its page says).
    delete req.session.kioskLink;
    return renderList(req, res);
  });

  r.post('/kiosks', async (req, res) => {
    const values = formFields(req, ['name', 'institution']);
    const result = await createKioskLink(
      d.pool,
      staffActor(req),
      { name: values.name, institutionCode: values.institution },
      d.clock(),
    );
    if (result.kind === 'not_found') return res.status(404).render('errors/not-found');
    if (result.kind === 'invalid') {
      const errors: Record<string, FieldMessage> = {};
      if (result.problems.name === 'required') errors.name = 'kiosk.admin.error.name';
      if (result.problems.name === 'too_long')
        errors.name = { key: 'kiosk.admin.error.nameTooLong', params: { max: KIOSK_NAME_MAX } };
      if (result.problems.institutionCode) errors.institution = 'kiosk.admin.error.institution';
      return renderList(req, res, { values, errors, status: 422 });
    }
    req.session.kioskLink = { id: result.id, madeAt: d.clock().getTime() };
    res.redirect(303, `${BASE}/${result.id}/link`);
  });

  r.get('/kiosks/:id/link', async (req, res) => {
    const made = req.session.kioskLink;
    const now = d.clock();
    const renewed =
      made && made.id === parseId(req.params.id) && now.getTime() - made.madeAt < ENROL_LINK_MINUTES * 60_000
        ? await renewKioskLink(d.pool, staffActor(req), made.id, now, made.shown === true)
        : null;
    if (!renewed) {
      delete req.session.kioskLink;
      setNotice(req, 'kiosk.admin.linkGone');
      return res.redirect(303, BASE);
    }
    made!.shown = true;
    res.set('Cache-Control', 'no-store').render('backoffice/kiosks-link', {
      name: renewed.name,
      link: `${d.config.publicUrl}/kiosk/enrol?token=${renewed.token}`,
      expiresAt: renewed.expiresAt,
    });
  });

  r.post('/kiosks/:id/revoke', async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null || !(await revokeKiosk(d.pool, staffActor(req), id, d.clock())))
      return res.status(404).render('errors/not-found');
    setNotice(req, 'kiosk.admin.revoked');
    res.redirect(303, BASE);
  });

  return r;
}
