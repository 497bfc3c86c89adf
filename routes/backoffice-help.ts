import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import {
  ANSWER_MAX,
  QUESTION_MAX,
  SERVICE_GROUPS,
  getHelpRecord,
  listHelpForStaff,
  saveHelp,
  type HelpInput,
  type HelpKind,
  type HelpProblems,
  type HelpRecord,
  type ServiceGroup,
} from '../domain/help.ts';
import { REPLY_MAX, getFeedback, listFeedback, replyToFeedback } from '../domain/feedback.ts';
import { parseId } from '../domain/shared/ids.ts';

// Mounted under /backoffice.
// 常見問題與操作教學 (task 'faq': the agency administrator):
// GET  /faq                          questions by service and the guide's sections
// GET  /faq/questions/new            a new question          POST /faq/questions
// GET  /faq/questions/:id            change one              POST /faq/questions/:id
// GET  /faq/guide/new                a new guide section     POST /faq/guide
// GET  /faq/guide/:id                change one              POST /faq/guide/:id
// 意見信箱 (task 'feedback', in scope; another institution's message is not found):
// GET  /feedback                     the queue (?status=received|replied)
// GET  /feedback/:id                 one message, with the reply form
// POST /feedback/:id/reply           回覆: stored, mailed if there is an address, audited
const FAQ = `${BACKOFFICE}/faq`;
const FIELDS = ['group', 'titleZh', 'titleEn', 'bodyZh', 'bodyEn', 'position'] as const;
type FormValues = Record<(typeof FIELDS)[number] | 'version', string> & { published: boolean };
const SEGMENT: Record<HelpKind, string> = { faq: 'questions', guide: 'guide' };

function readForm(req: Request): { values: FormValues; input: HelpInput } {
  const f = formFields(req, ['group', 'titleZh', 'titleEn', 'position', 'version']);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const long = (v: unknown) => (typeof v === 'string' ? v.slice(0, ANSWER_MAX * 4) : '');
  const values: FormValues = {
    ...f,
    bodyZh: long(body.bodyZh),
    bodyEn: long(body.bodyEn),
    published: body.published === '1',
  };
  const clean = (s: string) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  const position = f.position.trim() === '' ? 0 : /^\d{1,4}$/.test(f.position.trim()) ? Number(f.position) : -1;
  return {
    values,
    input: {
      group: f.group as ServiceGroup,
      titleZh: clean(f.titleZh),
      titleEn: clean(f.titleEn),
      bodyZh: clean(values.bodyZh),
      bodyEn: clean(values.bodyEn),
      position,
      published: values.published,
    },
  };
}

function messages(kind: HelpKind, problems: HelpProblems): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (field === 'group') out.group = 'faq.error.group';
    else if (field === 'position') out.position = 'faq.error.position';
    else if (problem === 'too_long')
      out[field] = field.startsWith('title')
        ? { key: 'faq.error.titleTooLong', params: { max: QUESTION_MAX } }
        : { key: 'faq.error.bodyTooLong', params: { max: ANSWER_MAX } };
    else out[field] = `faq.error.${kind}.${field as 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn'}`;
  }
  return out;
}

const valuesOf = (r: HelpRecord): FormValues => ({
  group: r.group ?? '',
  titleZh: r.titleZh,
  titleEn: r.titleEn,
  bodyZh: r.bodyZh,
  bodyEn: r.bodyEn,
  position: String(r.position),
  published: r.published,
  version: String(r.version),
});

export function helpAdminRoutes(d: RouteDeps): Router {
  const r = Router();
  r.use('/faq', allowTask('faq'));
  r.use('/feedback', allowTask('feedback'));

  r.get('/faq', async (req, res) => {
    const { faq, guide } = await listHelpForStaff(d.pool, staffActor(req));
    res.render('backoffice/faq', { faq, guide, groups: SERVICE_GROUPS, notice: takeNotice(req) });
  });

  for (const kind of ['faq', 'guide'] as const) {
    const base = `/faq/${SEGMENT[kind]}`;
    const render = (
      req: Request,
      res: Response,
      o: { record: HelpRecord | null; values: FormValues; errors?: Record<string, FieldMessage>; status?: number },
    ) =>
      res.status(o.status ?? 200).render('backoffice/faq-form', {
        kind,
        action: `${FAQ}/${SEGMENT[kind]}${o.record ? `/${o.record.id}` : ''}`,
        record: o.record,
        values: o.values,
        groups: SERVICE_GROUPS,
        titleMax: QUESTION_MAX,
        bodyMax: ANSWER_MAX,
        conflict: o.status === 409,
        ...errorView(res.locals.t, o.errors ?? {}, FIELDS, { group: `group-${SERVICE_GROUPS[0]}` }),
      });
    const saved = (req: Request, res: Response, title: string) => {
      setNotice(req, 'faq.notice.saved', { title });
      res.redirect(303, FAQ);
    };

    r.get(`${base}/new`, (req, res) => {
      const group = SERVICE_GROUPS.find((g) => g === req.query.group) ?? '';
      render(req, res, {
        record: null,
        values: {
          group,
          titleZh: '',
          titleEn: '',
          bodyZh: '',
          bodyEn: '',
          position: '0',
          published: true,
          version: '',
        },
      });
    });

    r.post(base, async (req, res) => {
      const { values, input } = readForm(req);
      const out = await saveHelp(d.pool, staffActor(req), kind, null, input, d.clock());
      if (out.kind !== 'saved') {
        const errors = out.kind === 'invalid' ? messages(kind, out.problems) : {};
        return render(req, res, { record: null, values, errors, status: 422 });
      }
      saved(req, res, req.locale === 'en' ? input.titleEn : input.titleZh);
    });

    const found = async (req: Request) => {
      const id = parseId(req.params.id);
      return id === null ? null : getHelpRecord(d.pool, staffActor(req), kind, id);
    };

    r.get(`${base}/:id`, async (req, res, next) => {
      const record = await found(req);
      if (!record) return next();
      render(req, res, { record, values: valuesOf(record) });
    });

    r.post(`${base}/:id`, async (req, res, next) => {
      const record = await found(req);
      if (!record) return next();
      const { values, input } = readForm(req);
      const version = /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1;
      const out = await saveHelp(d.pool, staffActor(req), kind, { id: record.id, version }, input, d.clock());
      if (out.kind === 'not_found') return next();
      if (out.kind === 'invalid')
        return render(req, res, { record, values, errors: messages(kind, out.problems), status: 422 });
      if (out.kind === 'conflict') {
        const latest = await found(req);
        if (!latest) return next();
        return render(req, res, { record: latest, values: valuesOf(latest), status: 409 });
      }
      saved(req, res, req.locale === 'en' ? input.titleEn : input.titleZh);
    });
  }

  r.get('/feedback', async (req, res) => {
    const status = (['received', 'replied'] as const).find((s) => s === req.query.status) ?? null;
    const list = await listFeedback(d.pool, staffActor(req), req.locale, {
      status,
      page: Number(req.query.page) || 1,
    });
    res.render('backoffice/feedback', {
      list,
      status: status ?? '',
      notice: takeNotice(req),
      pageUrl: (page: number) => `${BACKOFFICE}/feedback?${status ? `status=${status}&` : ''}page=${page}`,
    });
  });

  const renderCase = async (req: Request, res: Response, id: number, reply = '', error?: FieldMessage) => {
    const record = await getFeedback(d.pool, staffActor(req), id, req.locale);
    if (!record) return false;
    res.status(error ? 422 : 200).render('backoffice/feedback-show', {
      record,
      values: { reply },
      replyMax: REPLY_MAX,
      notice: takeNotice(req),
      ...errorView(res.locals.t, error ? { reply: error } : {}, ['reply']),
    });
    return true;
  };

  r.get('/feedback/:id', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null || !(await renderCase(req, res, id))) next();
  });

  r.post('/feedback/:id/reply', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reply = typeof body.reply === 'string' ? body.reply.slice(0, REPLY_MAX * 4) : '';
    const out = await replyToFeedback(d.pool, staffActor(req), id, reply, d.clock());
    if (out.kind === 'not_found') return next();
    if (out.kind === 'invalid') {
      const error: FieldMessage =
        out.problem === 'too_long'
          ? { key: 'feedback.error.replyTooLong', params: { max: REPLY_MAX } }
          : 'feedback.error.reply';
      return void (await renderCase(req, res, id, reply, error));
    }
    setNotice(
      req,
      out.kind === 'already'
        ? 'feedback.notice.already'
        : out.mailed
          ? 'feedback.notice.mailed'
          : 'feedback.notice.replied',
    );
    res.redirect(303, `${BACKOFFICE}/feedback/${id}`);
  });

  return r;
}
