import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import {
  BODY_MAX,
  TITLE_MAX,
  cleanText,
  countCharacters,
  createAnnouncement,
  deleteAnnouncement,
  getStaffAnnouncement,
  listStaffAnnouncements,
  publicState,
  updateAnnouncement,
  withdrawAnnouncement,
  type AnnouncementField,
  type AnnouncementInput,
  type AnnouncementProblems,
  type AnnouncementRecord,
  type AnnouncementStatus,
} from '../domain/announcements.ts';
import { taipeiToday } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';

// Mounted under /backoffice; 公告管理, for the task 'announcements' (機關管理者 their institution's,
// 矯正署管理者 every one and agency-wide ones). Another institution's announcement is not found.
// GET  /announcements                 the list (paged)
// GET  /announcements/new             the form for a new one       POST /announcements
// GET  /announcements/:id             the form to change one       POST /announcements/:id
// POST /announcements/:id/withdraw    下架: no longer public, kept
// GET  /announcements/:id/delete      asks first                   POST /announcements/:id/delete
const BASE = `${BACKOFFICE}/announcements`;
/** The form's value for an agency-wide announcement (institution_code NULL). */
const AGENCY = 'agency';
const FIELDS = ['institution', 'titleZh', 'titleEn', 'bodyZh', 'bodyEn', 'from', 'to', 'status'] as const;
type FormValues = Record<(typeof FIELDS)[number] | 'version', string> & { pinned: boolean };

/** The form as typed: the values to show again, and the input the domain checks. */
function readForm(req: Request): { values: FormValues; input: AnnouncementInput } {
  const f = formFields(req, ['institution', 'titleZh', 'titleEn', 'from', 'to', 'status', 'version']);
  const body = (req.body ?? {}) as Record<string, unknown>;
  // Bodies may be long: kept whole up to well past the limit, so "too long" is said rather than cut.
  const long = (v: unknown) => (typeof v === 'string' ? v.slice(0, BODY_MAX * 4) : '');
  const values: FormValues = {
    ...f,
    bodyZh: long(body.bodyZh),
    bodyEn: long(body.bodyEn),
    pinned: body.pinned === '1',
  };
  const actor = staffActor(req);
  const input: AnnouncementInput = {
    // An institution's administrator writes for their institution, whatever the form says.
    institutionCode: actor.institutionCode ?? (f.institution === AGENCY ? null : f.institution.trim()),
    titleZh: cleanText(f.titleZh),
    titleEn: cleanText(f.titleEn),
    bodyZh: cleanText(values.bodyZh),
    bodyEn: cleanText(values.bodyEn),
    publishFrom: f.from.trim(),
    publishUntil: f.to.trim() || null,
    pinned: values.pinned,
    status: f.status as AnnouncementStatus,
  };
  return { values, input };
}

const FIELD_OF: Record<AnnouncementField, (typeof FIELDS)[number] | null> = {
  institutionCode: 'institution',
  titleZh: 'titleZh',
  titleEn: 'titleEn',
  bodyZh: 'bodyZh',
  bodyEn: 'bodyEn',
  publishFrom: 'from',
  publishUntil: 'to',
  status: 'status',
  pinned: null,
};

/** The domain's problems as the form's messages. */
function messages(problems: AnnouncementProblems): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {};
  for (const [field, problem] of Object.entries(problems) as [AnnouncementField, string][]) {
    const name = FIELD_OF[field];
    if (!name) continue;
    if (name === 'titleZh' || name === 'titleEn')
      out[name] =
        problem === 'too_long'
          ? { key: 'announcements.error.titleTooLong', params: { max: TITLE_MAX } }
          : `announcements.error.${name}`;
    else if (name === 'bodyZh' || name === 'bodyEn')
      out[name] =
        problem === 'too_long'
          ? { key: 'announcements.error.bodyTooLong', params: { max: BODY_MAX } }
          : `announcements.error.${name}`;
    else if (name === 'to')
      out[name] = problem === 'before_from' ? 'announcements.error.toBeforeFrom' : 'announcements.error.to';
    else if (name === 'from')
      out[name] = problem === 'date' ? 'announcements.error.fromNotADate' : 'announcements.error.from';
    else if (name === 'status') out[name] = 'announcements.error.status';
    else out[name] = 'announcements.error.institution';
  }
  return out;
}

/** A record as the form shows it. */
function valuesOf(a: AnnouncementRecord): FormValues {
  return {
    institution: a.institutionCode ?? AGENCY,
    titleZh: a.titleZh,
    titleEn: a.titleEn,
    bodyZh: a.bodyZh,
    bodyEn: a.bodyEn,
    from: a.publishFrom,
    to: a.publishUntil ?? '',
    status: a.status,
    pinned: a.pinned,
    version: String(a.version),
  };
}

export function announcementRoutes(d: RouteDeps): Router {
  const r = Router();
  r.use('/announcements', allowTask('announcements'));

  r.get('/announcements', async (req, res) => {
    const list = await listStaffAnnouncements(d.pool, staffActor(req), req.locale, Number(req.query.page) || 1);
    const today = taipeiToday(d.clock());
    res.render('backoffice/announcements', {
      list,
      stateOf: (a: AnnouncementRecord) => publicState(a, today),
      notice: takeNotice(req),
      pageUrl: (page: number) => `${BASE}?page=${page}`,
    });
  });

  const renderForm = async (
    req: Request,
    res: Response,
    opts: { record?: AnnouncementRecord; values: FormValues; errors?: Record<string, FieldMessage>; status?: number },
  ) => {
    const actor = staffActor(req);
    res.status(opts.status ?? 200).render('backoffice/announcement-form', {
      record: opts.record ?? null,
      values: opts.values,
      agencyWide: actor.institutionCode === null,
      institutions: await institutionsFor(d.pool, req),
      conflict: opts.status === 409,
      titleMax: TITLE_MAX,
      bodyMax: BODY_MAX,
      countCharacters,
      ...errorView(res.locals.t, opts.errors ?? {}, FIELDS, { status: 'status-draft' }),
    });
  };

  r.get('/announcements/new', async (req, res) => {
    const actor = staffActor(req);
    const values: FormValues = {
      institution: actor.institutionCode ?? AGENCY,
      titleZh: '',
      titleEn: '',
      bodyZh: '',
      bodyEn: '',
      from: taipeiToday(d.clock()),
      to: '',
      status: 'draft',
      pinned: false,
      version: '',
    };
    await renderForm(req, res, { values });
  });

  r.post('/announcements', async (req, res) => {
    const { values, input } = readForm(req);
    const outcome = await createAnnouncement(d.pool, staffActor(req), input, d.clock());
    if (outcome.kind === 'invalid')
      return renderForm(req, res, { values, errors: messages(outcome.problems), status: 422 });
    setNotice(req, 'announcements.notice.created', { title: req.locale === 'en' ? input.titleEn : input.titleZh });
    res.redirect(303, BASE);
  });

  /** The announcement of the URL, if the staff member may touch it. */
  const found = async (req: Request) => {
    const id = parseId(req.params.id);
    return id === null ? null : getStaffAnnouncement(d.pool, staffActor(req), id, req.locale);
  };

  r.get('/announcements/:id', async (req, res, next) => {
    const record = await found(req);
    if (!record) return next();
    await renderForm(req, res, { record, values: valuesOf(record) });
  });

  r.post('/announcements/:id', async (req, res, next: NextFunction) => {
    const record = await found(req);
    if (!record) return next();
    const { values, input } = readForm(req);
    const version = /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1;
    const outcome = await updateAnnouncement(d.pool, staffActor(req), record.id, version, input, d.clock());
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'invalid')
      return renderForm(req, res, { record, values, errors: messages(outcome.problems), status: 422 });
    if (outcome.kind === 'conflict') {
      const latest = await found(req);
      if (!latest) return next();
      return renderForm(req, res, { record: latest, values: valuesOf(latest), status: 409 });
    }
    setNotice(req, 'announcements.notice.updated', { title: req.locale === 'en' ? input.titleEn : input.titleZh });
    res.redirect(303, BASE);
  });

  r.post('/announcements/:id/withdraw', async (req, res, next) => {
    const record = await found(req);
    if (!record || !(await withdrawAnnouncement(d.pool, staffActor(req), record.id, d.clock()))) return next();
    setNotice(req, 'announcements.notice.withdrawn', { title: req.locale === 'en' ? record.titleEn : record.titleZh });
    res.redirect(303, BASE);
  });

  r.get('/announcements/:id/delete', async (req, res, next) => {
    const record = await found(req);
    if (!record) return next();
    res.render('backoffice/announcement-delete', { record });
  });

  r.post('/announcements/:id/delete', async (req, res, next) => {
    const record = await found(req);
    if (!record || !(await deleteAnnouncement(d.pool, staffActor(req), record.id, d.clock()))) return next();
    setNotice(req, 'announcements.notice.deleted', { title: req.locale === 'en' ? record.titleEn : record.titleZh });
    res.redirect(303, BASE);
  });

  return r;
}
