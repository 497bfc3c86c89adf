import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { formFields } from './forms.ts';
import { KIOSK_IDLE_ENDED, setKioskCookie } from './middleware/kiosk.ts';
import { clearSessionCookie } from './middleware/session-cookies.ts';
import { enrolKiosk, enrolLinkValid, kioskInstitution } from '../domain/kiosks.ts';
import { DEFAULT_LOCALE } from '../domain/shared/locale.ts';

// 服務機 (kiosk mode, issue 13): the terminal's side. The middleware (routes/middleware/kiosk.ts)
// recognises a kiosk by its cookie; these pages answer 404 on any other browser, except enrolment.
// GET  /                    on a kiosk: sent to the kiosk home
// GET  /kiosk               the kiosk home: the institution's visiting information, four big tasks
// GET  /kiosk/enrol?token=  the one-time link opened on the terminal: asks to confirm   POST /kiosk/enrol
// POST /kiosk/end           結束使用: signs out, ends the session (and its language), clears the browser's storage and cache
// GET  /kiosk/ended         thanks the person and asks the rating of the session (即時評價)
// GET  /kiosk/still-here    the idle warning's 繼續使用 (and any input, at most twice a minute): 204
export function kioskRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/', (req, res, next) => (req.kiosk ? res.redirect(303, '/kiosk') : next()));

  r.get('/kiosk', async (req, res, next) => {
    if (!req.kiosk) return next();
    res.render('kiosk/home', {
      institution: await kioskInstitution(d.pool, req.kiosk, req.locale),
      ended: req.query.ended === 'idle',
    });
  });

  r.get('/kiosk/enrol', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const link = await enrolLinkValid(d.pool, token, d.clock());
    if (!link) return res.status(410).render('kiosk/enrol-problem');
    res.set('Referrer-Policy', 'no-referrer').render('kiosk/enrol', { token, name: link.name });
  });

  r.post('/kiosk/enrol', async (req: Request, res: Response) => {
    const { token } = formFields(req, ['token']);
    const enrolled = await enrolKiosk(d.pool, token, d.clock());
    if (!enrolled) return res.status(410).render('kiosk/enrol-problem');
    setKioskCookie(res, d.config.secureCookies, enrolled.cookieToken);
    // Whoever used this browser before is signed out: the kiosk starts with a fresh session.
    endSession(req, res, () => res.redirect(303, '/kiosk'));
  });

  const endSession = (req: Request, res: Response, then: () => void, next?: NextFunction) => {
    req.logout((err) => {
      if (err) return next ? next(err) : then();
      req.session.destroy(() => {
        clearSessionCookie(res, d.config.secureCookies, 'portal');
        then();
      });
    });
  };

  r.post('/kiosk/end', (req, res, next) => {
    const idle = formFields(req, ['reason']).reason === 'idle';
    // The person's pages leave the browser's cache (and the back/forward cache) too.
    res.set('Clear-Site-Data', '"cache", "storage"');
    // The session's language ends with it; the thanks is still in the language the person used.
    const ended = req.locale === DEFAULT_LOCALE ? '/kiosk/ended' : `/kiosk/ended?lang=${req.locale}`;
    endSession(req, res, () => res.redirect(303, idle ? KIOSK_IDLE_ENDED : ended), next);
  });

  r.get('/kiosk/ended', (req, res, next) => {
    if (!req.kiosk) return next();
    // The session's end is where seed 004's rating is asked (即時評價, routes/ratings.ts).
    res.render('kiosk/ended');
  });

  r.get('/kiosk/still-here', (req, res, next) => {
    if (!req.kiosk) return next();
    res.status(204).end();
  });

  return r;
}
