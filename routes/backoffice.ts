import { setTimeout } from 'node:timers/promises';
import { Router, type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import type { RouteDeps } from './deps.ts';
import { decisionRoute, errorView, formFields, queryString, readQueueQuery, safeReturn } from './forms.ts';
import type { DecisionPageExtra, FieldMessage } from './forms.ts';
import { contactBookReviewRoutes } from './backoffice-contact-book.ts';
import { bookingReviewRoutes } from './backoffice-bookings.ts';
import { phoneBookingRoutes } from './backoffice-phone-bookings.ts';
import { rosterRoutes } from './backoffice-rosters.ts';
import { timetableRoutes } from './backoffice-timetable.ts';
import { auditRoutes } from './backoffice-audit.ts';
import { statisticsRoutes } from './backoffice-statistics.ts';
import { institutionRoutes } from './backoffice-institutions.ts';
import { announcementRoutes } from './backoffice-announcements.ts';
import { familyRoutes } from './backoffice-families.ts';
import { deletionRoutes } from './backoffice-deletions.ts';
import { staffAccountRoutes, staffLinkRoutes } from './backoffice-staff.ts';
import { inmateRegisterRoutes } from './backoffice-inmates.ts';
import { institutionPostRoutes } from './backoffice-institution-posts.ts';
import { kioskAdminRoutes } from './backoffice-kiosks.ts';
import { backofficeRatingRoutes } from './backoffice-ratings.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, staffActor, staffOf } from './middleware/staff-context.ts';
import { takeNotice } from './middleware/notices.ts';
import { sendDocument } from './middleware/files.ts';
import { requireStaff } from './middleware/authentication.ts';
import { captchaWords, drawCaptcha } from './middleware/captcha.ts';
import { issueCaptcha, readCaptcha, takeCaptcha, type CaptchaMode } from '../domain/staff-captcha.ts';
import { STAFF_SLOW_DELAY_MS, clientAddress, limiter, staffSignInCounters } from './middleware/rate-limits.ts';
import { clearSessionCookie } from './middleware/session-cookies.ts';
import { authenticateStaff, scopeOf, setStaffLocale } from '../domain/staff.ts';
import { languageSwitch, settleLocaleAtSignIn } from './middleware/locale.ts';
import { decideApplication } from '../domain/applications/review.ts';
import { SERVICES, type ApplicationStatus, type Service } from '../domain/applications/vocabulary.ts';
import { getReviewCase, listReviewQueue, type QueueFilter } from '../domain/applications/review.ts';
import { readDocument } from '../domain/applications/documents.ts';
import { REJECTION_REASONS, STATUSES } from '../domain/applications/vocabulary.ts';
import { readLogCursor, searchNotifications, type NotificationFilter } from '../domain/notifications.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { isIsoDate } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';
import { helpAdminRoutes } from './backoffice-help.ts';

// Mounted under /backoffice (便民服務後臺管理系統), with its own session cookie and Passport instance.
// GET  /                                   home: what waits, and the statistics (routes/backoffice-statistics.ts)
// GET  /signin                             sign-in: account, password, captcha     POST /signin
// GET  /captcha.svg                        the current captcha's picture
// POST /signout
// GET  /applications                       服務項目審核: the review queue (filters, pages)
// GET  /applications/:id                   a case: applicant, inmate, documents, history, decision form
// POST /applications/:id/decision          approve, or reject with a reason
// GET  /applications/:id/documents/:docId  one document (inline; ?download=1 saves it)
// GET  /notifications                      通知紀錄: every mail and SMS sent, searchable
// /contact-book/…                          聯絡簿管理 (routes/backoffice-contact-book.ts)
// /bookings/…                              預約接見審核, phone bookings, rosters (routes/backoffice-bookings.ts)
// /timetable/…                             公告時段管理: batches and closed dates (routes/backoffice-timetable.ts)
// /institutions/…, /parameters/…           機關資料管理, 系統參數設定(機關) (routes/backoffice-institutions.ts)
// /staff/…, /profile, /password, /email/…  帳號管理, 基本資料修改 and the links mailed to staff (routes/backoffice-staff.ts)
// /inmates/…                               收容人名冊: the register's upload, preview and push token (routes/backoffice-inmates.ts)
const REASON_MAX = 500;

export function backofficeRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  // Showing the sign-in page stores a captcha code, so it is limited per address like signing in.
  const pageLimit = limiter(d.pool, 'staff-signin-page', d.limits.signInPerAddress, clientAddress);
  // Tries per address and per address+account refuse that address past their limits; wrong passwords per
  // account across addresses only slow every try down (STAFF_SLOW_DELAY_MS): no stranger locks staff out.
  const counters = staffSignInCounters(d.pool, d.limits);

  // ---- sign in / out ----
  const renderSignIn = async (
    req: Request,
    res: Response,
    opts: { account?: string; errors?: Record<string, FieldMessage>; status?: number } = {},
  ) => {
    const mode: CaptchaMode = req.query.captcha === 'text' || req.body?.captchaMode === 'text' ? 'text' : 'image';
    const captcha = await issueCaptcha(d.pool, mode, d.clock());
    res.status(opts.status ?? 200).render('backoffice/signin', {
      account: opts.account ?? '',
      returnTo: safeReturn(req.query.return ?? req.body?.return, BACKOFFICE),
      captchaMode: mode,
      captchaId: captcha.id,
      captchaWords: mode === 'text' ? captchaWords(captcha.answer, req.locale) : null,
      captchaSrc: `${BACKOFFICE}/captcha.svg?id=${captcha.id}`,
      ...errorView(res.locals.t, opts.errors ?? {}, ['account', 'password', 'captcha']),
    });
  };

  // Each sign-in page stores a code, so showing it is limited like signing in.
  r.get('/signin', pageLimit, (req, res, next) =>
    req.staffMember ? res.redirect(303, BACKOFFICE) : renderSignIn(req, res).catch(next),
  );

  r.get('/captcha.svg', async (req, res) => {
    const captcha = await readCaptcha(d.pool, String(req.query.id ?? ''), d.clock());
    if (!captcha || captcha.mode !== 'image') return res.status(404).end();
    res
      .set({
        'Content-Type': 'image/svg+xml',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .send(drawCaptcha(captcha.answer));
  });

  r.post('/signin', counters.guard, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const f = formFields(req, ['account', 'password', 'captcha', 'captchaId']);
      const errors: Record<string, FieldMessage> = {};
      if (!f.account.trim()) errors.account = 'error.staff.accountRequired';
      if (!f.password) errors.password = 'error.signin.passwordRequired';
      // Checked (and used up) before the password, so every password guess costs a solved code.
      const captchaOk = await takeCaptcha(d.pool, f.captchaId, f.captcha, d.clock());
      if (!f.captcha.trim()) errors.captcha = 'error.captcha.required';
      else if (!captchaOk) errors.captcha = 'error.captcha.wrong';
      if (Object.keys(errors).length) return await renderSignIn(req, res, { account: f.account, errors, status: 422 });
      // The slower path: every try at an account over its limit across addresses waits, right or wrong,
      // and only an address that has not failed at this account may still sign in to it; any other gets
      // the same answer whatever the password, so many addresses guessing learn one try each at most.
      if (await counters.accountOverLimit(req)) {
        await setTimeout(STAFF_SLOW_DELAY_MS);
        if (await counters.addressHasFailed(req)) {
          if (!(await authenticateStaff(d.pool, f.account, f.password))) await counters.failed(req);
          return await renderSignIn(req, res, {
            account: f.account,
            errors: { account: 'error.staff.paused' },
            status: 429,
          });
        }
      }
      const staff = await authenticateStaff(d.pool, f.account, f.password);
      if (!staff) await counters.failed(req);
      else await counters.succeeded(req);
      if (!staff)
        return await renderSignIn(req, res, {
          account: f.account,
          errors: { account: 'error.staff.invalid' },
          status: 401,
        });
      const returnTo = safeReturn(req.body?.return, BACKOFFICE);
      // The language they chose last: one switched to on these pages before signing in (kept in this
      // session, stored on the account now so their mails follow it), or else the account's; never just
      // the browser's cookie, which another person at this computer may have left.
      await settleLocaleAtSignIn(res, d, staff.locale, req.session.chosenLocale, (locale) =>
        setStaffLocale(d.pool, staff.id, locale),
      );
      // The session is regenerated by passport at login: an id fixed before sign-in is worthless.
      req.login(staff as unknown as Express.User, (err) => {
        if (err) return next(err);
        res.redirect(303, returnTo.startsWith(`${BACKOFFICE}/`) || returnTo === BACKOFFICE ? returnTo : BACKOFFICE);
      });
    } catch (err) {
      next(err);
    }
  });

  r.post('/signout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        clearSessionCookie(res, d.config.secureCookies, 'staff');
        res.redirect(303, `${BACKOFFICE}/signin`);
      });
    });
  });

  // The language switch of the back office (the portal's /language cannot see the staff session):
  // signed in, the choice is stored on the account at once, so the next mail to them is in it.
  r.get(
    '/language/:locale',
    languageSwitch(d, BACKOFFICE, (req) =>
      req.staffMember ? (locale) => setStaffLocale(d.pool, req.staffMember!.id, locale) : null,
    ),
  );
  r.use(staffLinkRoutes(d));
  r.use(requireStaff);
  r.use(institutionPostRoutes(d, csrfCheck));
  r.use(helpAdminRoutes(d));
  r.use(kioskAdminRoutes(d));
  r.use(statisticsRoutes(d));
  r.use(auditRoutes(d));
  r.use(institutionRoutes(d));
  r.use(announcementRoutes(d));
  r.use(staffAccountRoutes(d));
  r.use(backofficeRatingRoutes(d));

  // ---- review queue ----
  r.get('/applications', allowTask('review'), async (req, res) => {
    const staff = staffOf(req);
    const { filter, errors } = readQueueFilter(req.query);
    const queue = await listReviewQueue(d.pool, staffActor(req), filter, req.locale);
    const institutions = await listInstitutions(d.pool, req.locale);
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/queue', {
      queue,
      filter,
      statuses: STATUSES,
      services: SERVICES,
      notice: takeNotice(req),
      institutions: scopeOf(staff) ? institutions.filter((i) => i.code === staff.institutionCode) : institutions,
      pageUrl: (page: number) =>
        `${BACKOFFICE}/applications?${queryString({ ...req.query, page: String(page) }, true)}`,
      ...errorView(res.locals.t, errors, ['callNumber', 'from', 'to']),
    });
  });

  // ---- one case ----
  const renderCase = async (req: Request, res: Response, next: NextFunction, extra: DecisionPageExtra = {}) => {
    const id = parseId(req.params.id);
    const found = id === null ? null : await getReviewCase(d.pool, staffActor(req), id, req.locale);
    if (!found) return next();
    res.status(extra.status ?? 200).render('backoffice/case', {
      c: found,
      reasons: REJECTION_REASONS,
      reasonMax: REASON_MAX,
      values: extra.values ?? {},
      conflict: extra.conflict ?? false,
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'reasonCode', 'reasonText'], {
        decision: 'decision-approve',
        reasonCode: 'reasonCode',
      }),
    });
  };

  r.get('/applications/:id', allowTask('review'), (req, res, next) => renderCase(req, res, next).catch(next));

  r.post(
    '/applications/:id/decision',
    allowTask('review'),
    decisionRoute({
      codes: REJECTION_REASONS,
      reasonMax: REASON_MAX,
      render: renderCase,
      decide: (req, id, version, decision) =>
        decideApplication(d.pool, id, version, decision, staffActor(req), d.clock(), d.config.publicUrl),
      done: async (req, id, decision) => {
        const found = await getReviewCase(d.pool, staffActor(req), id, req.locale);
        return {
          notice: {
            key: decision === 'approve' ? 'backoffice.decided.approved' : 'backoffice.decided.rejected',
            params: { number: found?.number ?? '' },
          },
          to: `${BACKOFFICE}/applications`,
        };
      },
    }),
  );

  r.get('/applications/:id/documents/:docId', allowTask('review'), async (req, res, next) => {
    const [docId, id] = [parseId(req.params.docId), parseId(req.params.id)];
    const doc =
      docId === null || id === null ? null : await readDocument(d.pool, docId, id, { staff: staffActor(req) });
    if (!doc) return next();
    sendDocument(res, doc, req.query.download === '1');
  });

  // ---- notification log ----
  r.get('/notifications', allowTask('notifications'), async (req, res) => {
    const staff = staffOf(req);
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 100) : '');
    const errors: Record<string, FieldMessage> = {};
    const from = str(q.from),
      to = str(q.to);
    if (from && !isIsoDate(from)) errors.from = 'error.filter.date';
    if (to && !isIsoDate(to)) errors.to = 'error.filter.date';
    const status = str(q.status),
      channel = str(q.channel);
    const filter: NotificationFilter = {
      institutionCode: /^\d{4}$/.test(str(q.institution)) ? str(q.institution) : null,
      text: str(q.q) || null,
      status: ['queued', 'sent', 'failed', 'recorded'].includes(status)
        ? (status as NotificationFilter['status'])
        : null,
      channel: ['email', 'sms'].includes(channel) ? (channel as NotificationFilter['channel']) : null,
      from: errors.from ? null : from || null,
      to: errors.to ? null : to || null,
      cursor: readLogCursor('before', q.before) ?? readLogCursor('after', q.after),
    };
    const log = await searchNotifications(d.pool, staffActor(req), filter, req.locale);
    const institutions = await listInstitutions(d.pool, req.locale);
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/notifications', {
      log,
      filter,
      values: { q: str(q.q), from, to, status, channel, institution: filter.institutionCode ?? '' },
      institutions: scopeOf(staff) ? institutions.filter((i) => i.code === staff.institutionCode) : institutions,
      // The filters as they are, and the place in the log: older or newer than a row's (created_at, id).
      logUrl: (dir: 'before' | 'after', cursor: string) => {
        const { page: _page, before: _before, after: _after, ...filters } = q;
        return `${BACKOFFICE}/notifications?${queryString({ ...filters, [dir]: cursor }, true)}`;
      },
      ...errorView(res.locals.t, errors, ['from', 'to']),
    });
  });

  r.use(contactBookReviewRoutes(d));
  r.use(rosterRoutes(d));
  r.use(phoneBookingRoutes(d));
  r.use(bookingReviewRoutes(d));
  r.use(timetableRoutes(d));
  r.use(deletionRoutes(d));
  r.use(familyRoutes(d));
  r.use(inmateRegisterRoutes(d, csrfCheck));

  return r;
}

/** The queue's filters from the query string; with none given, it shows what is pending. */
function readQueueFilter(query: Request['query']): {
  filter: QueueFilter & { raw: Record<string, string> };
  errors: Record<string, FieldMessage>;
} {
  const { raw, errors, str, ...common } = readQueueQuery(query);
  const service = str((query as Record<string, unknown>).service);
  return {
    errors,
    filter: {
      raw: { ...raw, service },
      institutionCode: common.institutionCode,
      callNumber: common.callNumber,
      status: (STATUSES as readonly string[]).includes(raw.status) ? (raw.status as ApplicationStatus) : null,
      service: (SERVICES as readonly string[]).includes(service) ? (service as Service) : null,
      from: common.from,
      to: common.to,
      page: common.page,
    },
  };
}
