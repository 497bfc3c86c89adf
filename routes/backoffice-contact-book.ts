import { Router, type Request, type Response, type NextFunction } from 'express';
import type { RouteDeps } from './deps.ts';
import {
  errorView,
  formFields,
  queryString,
  safeReturn,
  type FieldMessage,
  isRealDate,
  readDecisionForm,
} from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import {
  institutionsFor as institutionsForStaff,
  staffActor,
  staffOf,
  takeStaffNotice,
} from './middleware/staff-context.ts';
import { sendPhoto } from './contact-book.ts';
import { scopeOf } from '../domain/staff.ts';
import {
  decidePost,
  liftSuspension,
  POST_REJECTION_REASONS,
  readPostPhoto,
  type PostStatus,
} from '../domain/contact-book/posts.ts';
import {
  deliverySheet,
  getPostCase,
  listPostQueue,
  listSuspensions,
  markDelivered,
  POST_STATUSES,
  type PostQueueFilter,
} from '../domain/contact-book/review.ts';
import { taipeiToday } from '../domain/shared/dates.ts';

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
  const reviewer = staffActor;
  const takeNotice = takeStaffNotice;
  const institutionsFor = (req: Request) => institutionsForStaff(d.pool, req);

  r.get('/contact-book', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, 20) : '');
    // No status parameter at all (the menu link) means pending; an empty one (chosen "all") means all.
    const raw = {
      institution: str(q.institution),
      callNumber: str(q.callNumber),
      status: q.status === undefined ? 'pending' : str(q.status),
      from: str(q.from),
      to: str(q.to),
    };
    const errors: Record<string, FieldMessage> = {};
    if (raw.callNumber && !/^(\d{4}|\d{6})$/.test(raw.callNumber)) errors.callNumber = 'error.callNumber.format';
    if (raw.from && !isRealDate(raw.from)) errors.from = 'error.filter.date';
    if (raw.to && !isRealDate(raw.to)) errors.to = 'error.filter.date';
    const filter: PostQueueFilter = {
      institutionCode: /^\d{4}$/.test(raw.institution) ? raw.institution : null,
      callNumber: errors.callNumber ? null : raw.callNumber || null,
      status: (POST_STATUSES as readonly string[]).includes(raw.status) ? (raw.status as PostStatus) : null,
      from: errors.from ? null : raw.from || null,
      to: errors.to ? null : raw.to || null,
      page: Math.max(1, Number.parseInt(str(q.page), 10) || 1),
    };
    const queue = await listPostQueue(d.pool, scopeOf(staffOf(req)), filter, req.locale);
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
    const date = typeof source.date === 'string' && isRealDate(source.date) ? source.date : taipeiToday(d.clock());
    const rows = institution ? await deliverySheet(d.pool, scopeOf(staffOf(req)), institution.code, date) : [];
    res.status(status).render('backoffice/delivery', {
      institutions,
      institution: institution ?? null,
      date,
      rows,
      notice: takeNotice(req),
    });
  };

  r.get('/contact-book/delivery', (req, res, next) =>
    renderDelivery(req, res, req.query as Record<string, unknown>).catch(next),
  );

  r.post('/contact-book/delivery', async (req, res) => {
    const f = formFields(req, ['institution', 'date']);
    const ids = ([] as unknown[])
      .concat(req.body?.post ?? [])
      .slice(0, 500)
      .map(Number);
    const marked = await markDelivered(d.pool, ids, reviewer(req), d.clock());
    req.session.staffNotice = { key: 'backoffice.post.deliveredNotice', params: { count: String(marked) } };
    res.redirect(
      303,
      `${BASE}/delivery?${queryString({ institution: f.institution, date: isRealDate(f.date) ? f.date : '' })}`,
    );
  });

  // ---- suspensions ----
  r.get('/contact-book/suspensions', async (req, res) => {
    res.render('backoffice/suspensions', {
      suspensions: await listSuspensions(d.pool, scopeOf(staffOf(req)), d.clock()),
      notice: takeNotice(req),
    });
  });

  r.post('/contact-book/suspensions/:id/lift', async (req, res, next) => {
    const lifted = await liftSuspension(d.pool, Number(req.params.id), reviewer(req), d.clock());
    if (!lifted) return next();
    req.session.staffNotice = { key: 'backoffice.post.liftedNotice' };
    const back = safeReturn(req.body?.return, `${BASE}/suspensions`);
    res.redirect(303, back.startsWith(`${BASE}/`) ? back : `${BASE}/suspensions`);
  });

  // ---- one post ----
  const renderPost = async (
    req: Request,
    res: Response,
    next: NextFunction,
    extra: {
      errors?: Record<string, FieldMessage>;
      values?: Record<string, string>;
      status?: number;
      conflict?: boolean;
    } = {},
  ) => {
    const post = await getPostCase(d.pool, scopeOf(staffOf(req)), Number(req.params.id), req.locale, d.clock());
    if (!post) return next();
    res.status(extra.status ?? 200).render('backoffice/post', {
      post,
      reasons: POST_REJECTION_REASONS,
      reasonMax: REASON_MAX,
      values: extra.values ?? {},
      conflict: extra.conflict ?? false,
      notice: takeNotice(req),
      canLift:
        post.suspension !== null &&
        (scopeOf(staffOf(req)) === null || scopeOf(staffOf(req)) === post.suspension.institutionCode),
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'reasonCode', 'reasonText'], {
        decision: 'decision-approve',
      }),
    });
  };

  r.get('/contact-book/:id', (req, res, next) => renderPost(req, res, next).catch(next));

  r.post('/contact-book/:id/decision', async (req, res, next) => {
    const {
      values: f,
      reasonText,
      code,
      errors,
      versionOk,
    } = readDecisionForm(req, POST_REJECTION_REASONS, REASON_MAX);
    if (!versionOk) return res.status(400).render('errors/generic', { status: 400 });
    if (Object.keys(errors).length) return renderPost(req, res, next, { errors, values: f, status: 422 });
    const outcome = await decidePost(
      d.pool,
      Number(req.params.id),
      Number(f.version),
      f.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason: reasonText, reasonCode: code },
      reviewer(req),
      d.clock(),
    );
    if (outcome === 'not_found') return next();
    if (outcome === 'already_decided') return renderPost(req, res, next, { conflict: true, status: 409 });
    if (outcome === 'reason_required')
      return renderPost(req, res, next, {
        errors: { reasonText: 'error.decision.reasonRequired' },
        values: f,
        status: 422,
      });
    req.session.staffNotice = {
      key: f.decision === 'approve' ? 'backoffice.post.approvedNotice' : 'backoffice.post.rejectedNotice',
      params: { id: String(req.params.id) },
    };
    res.redirect(303, BASE);
  });

  r.get('/contact-book/:id/photo', async (req, res, next) => {
    const photo = await readPostPhoto(d.pool, Number(req.params.id), { staffScope: scopeOf(staffOf(req)) });
    if (!photo) return next();
    sendPhoto(res, photo);
  });

  return r;
}
