import { Router, type Request, type Response, type NextFunction } from 'express';
import type { RouteDeps } from './deps.ts';
import { decisionRoute, errorView, formFields, queryString, readQueueQuery, safeReturn } from './forms.ts';
import type { DecisionPageExtra } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { sendPhoto } from './middleware/files.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { allowTask, institutionsFor as institutionsForStaff, staffActor, staffOf } from './middleware/staff-context.ts';
import { scopeOf } from '../domain/staff.ts';
import { POST_REJECTION_REASONS, POST_STATUSES, type PostStatus } from '../domain/contact-book/vocabulary.ts';
import { decidePost, getPostCase, listPostQueue, type PostQueueFilter } from '../domain/contact-book/review.ts';
import { deliverySheet, markDelivered } from '../domain/contact-book/delivery.ts';
import { liftSuspension, listSuspensions } from '../domain/contact-book/suspensions.ts';
import { readPostPhoto } from '../domain/contact-book/photos.ts';
import { isIsoDate, taipeiToday } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';

// Inside the back office (after requireStaff), 聯絡簿管理:
// GET  /contact-book                      the moderation queue (status, dates, call number; pending first)
// GET  /contact-book/delivery             a day's approved posts as a printable delivery sheet
// POST /contact-book/delivery             mark the chosen posts delivered (已送達)
// GET  /contact-book/suspensions          suspensions in force              POST /contact-book/suspensions/:id/lift
// GET  /contact-book/:id                  one post: text, photo, applicant, relationship, rejections, history, decision
// POST /contact-book/:id/decision         approve, or reject with a reason
// GET  /contact-book/:id/photo            the post's photo
const BASE = `${BACKOFFICE}/contact-book`;
const REASON_MAX = 500;

export function contactBookReviewRoutes(d: RouteDeps): Router {
  const r = Router();
  const institutionsFor = (req: Request) => institutionsForStaff(d.pool, req);
  const scope = (req: Request) => scopeOf(staffOf(req));

  r.get('/contact-book', allowTask('review'), async (req, res) => {
    const { raw, errors, ...common } = readQueueQuery(req.query);
    const filter: PostQueueFilter = {
      institutionCode: common.institutionCode,
      callNumber: common.callNumber,
      status: (POST_STATUSES as readonly string[]).includes(raw.status) ? (raw.status as PostStatus) : null,
      from: common.from,
      to: common.to,
      page: common.page,
    };
    const queue = await listPostQueue(d.pool, staffActor(req), filter, req.locale);
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/posts', {
      queue,
      raw,
      statuses: POST_STATUSES,
      institutions: await institutionsFor(req),
      notice: takeNotice(req),
      pageUrl: (page: number) => `${BASE}?${queryString({ ...req.query, page: String(page) }, true)}`,
      ...errorView(res.locals.t, errors, ['callNumber', 'from', 'to']),
    });
  });

  // ---- delivery sheet ----
  const renderDelivery = async (req: Request, res: Response, source: Record<string, unknown>, status = 200) => {
    const institutions = await institutionsFor(req);
    const wanted = typeof source.institution === 'string' ? source.institution : '';
    const institution =
      institutions.find((i) => i.code === wanted) ?? (institutions.length === 1 ? institutions[0] : null);
    const rawDate = typeof source.date === 'string' ? source.date.trim().slice(0, 100) : '';
    // A date that is not one is said, with no sheet: never another day's sheet that could be printed.
    const dateError = rawDate !== '' && !isIsoDate(rawDate);
    const date = dateError ? rawDate : rawDate || taipeiToday(d.clock());
    const rows = institution && !dateError ? await deliverySheet(d.pool, staffActor(req), institution.code, date) : [];
    res.status(dateError ? 422 : status).render('backoffice/delivery', {
      institutions,
      institution: institution ?? null,
      date,
      rows,
      notice: takeNotice(req),
      ...errorView(res.locals.t, dateError ? { date: 'error.filter.date' } : {}, ['date']),
    });
  };

  r.get('/contact-book/delivery', allowTask('delivery'), (req, res, next) =>
    renderDelivery(req, res, req.query as Record<string, unknown>).catch(next),
  );

  r.post('/contact-book/delivery', allowTask('delivery'), async (req, res) => {
    const f = formFields(req, ['institution', 'date']);
    const ids = ([] as unknown[])
      .concat(req.body?.post ?? [])
      .slice(0, 500)
      .map(Number);
    const marked = await markDelivered(d.pool, ids, staffActor(req), d.clock());
    setNotice(req, 'backoffice.post.deliveredNotice', { count: String(marked) });
    res.redirect(
      303,
      `${BASE}/delivery?${queryString({ institution: f.institution, date: isIsoDate(f.date) ? f.date : '' })}`,
    );
  });

  // ---- suspensions ----
  r.get('/contact-book/suspensions', allowTask('review'), async (req, res) => {
    res.render('backoffice/suspensions', {
      suspensions: await listSuspensions(d.pool, staffActor(req), d.clock()),
      notice: takeNotice(req),
    });
  });

  r.post('/contact-book/suspensions/:id/lift', allowTask('review'), async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null || !(await liftSuspension(d.pool, id, staffActor(req), d.clock()))) return next();
    setNotice(req, 'backoffice.post.liftedNotice');
    const back = safeReturn(req.body?.return, `${BASE}/suspensions`);
    res.redirect(303, back.startsWith(`${BASE}/`) ? back : `${BASE}/suspensions`);
  });

  // ---- one post ----
  const renderPost = async (req: Request, res: Response, next: NextFunction, extra: DecisionPageExtra = {}) => {
    const id = parseId(req.params.id);
    const post = id === null ? null : await getPostCase(d.pool, staffActor(req), id, req.locale, d.clock());
    if (!post) return next();
    res.status(extra.status ?? 200).render('backoffice/post', {
      post,
      reasons: POST_REJECTION_REASONS,
      reasonMax: REASON_MAX,
      values: extra.values ?? {},
      conflict: extra.conflict ?? false,
      notice: takeNotice(req),
      canLift: post.suspension !== null && (scope(req) === null || scope(req) === post.suspension.institutionCode),
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'reasonCode', 'reasonText'], {
        decision: 'decision-approve',
      }),
    });
  };

  r.get('/contact-book/:id', allowTask('review'), (req, res, next) => renderPost(req, res, next).catch(next));

  r.post(
    '/contact-book/:id/decision',
    allowTask('review'),
    decisionRoute({
      codes: POST_REJECTION_REASONS,
      reasonMax: REASON_MAX,
      render: renderPost,
      decide: (req, id, version, decision) => decidePost(d.pool, id, version, decision, staffActor(req), d.clock()),
      done: async (_req, id, decision) => ({
        notice: {
          key: decision === 'approve' ? 'backoffice.post.approvedNotice' : 'backoffice.post.rejectedNotice',
          params: { id: String(id) },
        },
        to: BASE,
      }),
    }),
  );

  r.get('/contact-book/:id/photo', allowTask('review'), async (req, res, next) => {
    const id = parseId(req.params.id);
    const photo = id === null ? null : await readPostPhoto(d.pool, id, { staff: staffActor(req) });
    if (!photo) return next();
    sendPhoto(res, photo);
  });

  return r;
}
