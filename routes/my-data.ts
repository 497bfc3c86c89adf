import { Router, type Request, type Response } from 'express';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields } from './forms.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { optionalMailStoppedAt, requestDeletion, setOptionalMail } from '../domain/applicants/deletion.ts';
import { collectMyData, recordDownload, writeMyDataZip, zipFileName } from '../domain/applicants/my-data.ts';

// Signed in (我的資料與隱私, the privacy notice's rights as actions):
// GET  /account/data                 the page: download, correct, stop optional mail, delete
// POST /account/data/download        下載我的資料: one ZIP (index.html, data.json, documents, photos); 5 an hour
// POST /account/data/optional-mail   停止利用: stop (or resume) optional mail
// GET  /account/data/delete          the confirmation step     POST: with the password, closes the account
export const DOWNLOADS_PER_HOUR = 5;

export function myDataRoutes(d: RouteDeps): Router {
  const r = Router();
  const downloads = new RateLimiterPostgres({
    storeClient: d.pool,
    storeType: 'pool',
    tableName: 'sign_in_failure',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: 'data-export',
    points: DOWNLOADS_PER_HOUR,
    duration: 3600,
  });
  r.use('/account/data', requireApplicant);

  r.get('/account/data', async (req, res) => {
    res.render('account/data', {
      stoppedAt: await optionalMailStoppedAt(d.pool, req.user!.applicant.id),
      limit: DOWNLOADS_PER_HOUR,
      notice: takeNotice(req),
    });
  });

  r.post('/account/data/download', async (req, res) => {
    const id = req.user!.applicant.id;
    try {
      await downloads.consume(String(id), 1);
    } catch (e) {
      if (e instanceof Error) throw e;
      res.locals.retryMinutes = 60;
      return void res.status(429).render('errors/too-many', { minutes: 60 });
    }
    const now = d.clock();
    const data = await collectMyData(d.pool, id, now);
    if (!data) return void res.status(404).render('errors/not-found');
    await recordDownload(d.pool, id, req.ip ?? null, now);
    d.logger.info({ applicantId: id }, 'data download (下載我的資料)');
    const name = zipFileName(data.profile.locale, now);
    res.set({
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="my-data.zip"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    await writeMyDataZip(d.pool, id, data, res);
  });

  r.post('/account/data/optional-mail', async (req, res) => {
    const stop = formFields(req, ['stop']).stop === '1';
    await setOptionalMail(d.pool, req.user!.applicant.id, stop, d.clock());
    setNotice(req, stop ? 'myData.objection.savedStop' : 'myData.objection.savedResume');
    res.redirect(303, '/account/data');
  });

  const renderDelete = (res: Response, error?: 'error.deletion.password' | 'error.deletion.already', status = 200) =>
    res.status(status).render('account/data-delete', {
      ...errorView(res.locals.t, error ? { password: error } : {}, ['password']),
    });
  r.get('/account/data/delete', (_req, res) => renderDelete(res));
  r.post('/account/data/delete', async (req: Request, res: Response, next) => {
    const { password } = formFields(req, ['password']);
    const outcome = await requestDeletion(d.pool, req.user!.applicant.id, password, d.clock());
    if (outcome === 'wrong_password') return renderDelete(res, 'error.deletion.password', 422);
    if (outcome === 'already_requested') return renderDelete(res, 'error.deletion.already', 409);
    d.logger.info({ applicantId: req.user!.applicant.id }, 'account closed at the family’s deletion request');
    // Signed out into a fresh, empty session (passport regenerates it), so the page can still be shown.
    req.logout((err) => (err ? next(err) : res.render('account/data-deleted')));
  });
  return r;
}
