import { Router } from 'express';
import type { RouteDeps } from './app.ts';
import { getAnnouncement, listAnnouncements } from '../domain/announcements.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { taipeiToday } from '../domain/infra/clock.ts';

// GET /                    home: announcements and the ways in
// GET /announcements       訊息公告
// GET /announcements/:id   one announcement
// GET /process             申辦流程說明
// GET /visit-times         機關接見時段查詢
// GET /privacy             個資收集聲明
export function publicRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const announcements = await listAnnouncements(d.pool, req.locale, taipeiToday(d.clock()), 5);
    res.render('public/home', { announcements });
  });

  r.get('/announcements', async (req, res) => {
    const announcements = await listAnnouncements(d.pool, req.locale, taipeiToday(d.clock()), 100);
    res.render('public/announcements', { announcements });
  });

  r.get('/announcements/:id', async (req, res, next) => {
    const id = Number(req.params.id);
    const announcement = Number.isSafeInteger(id) && id > 0 ? await getAnnouncement(d.pool, req.locale, id, taipeiToday(d.clock())) : null;
    if (!announcement) return next();
    res.render('public/announcement', { announcement });
  });

  r.get('/process', (_req, res) => res.render('public/process'));

  r.get('/visit-times', async (req, res) => {
    res.render('public/visit-times', { institutions: await listInstitutions(d.pool, req.locale) });
  });

  r.get('/privacy', (_req, res) => res.render('public/privacy'));
  return r;
}
