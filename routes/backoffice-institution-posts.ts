import { Router, type Request, type RequestHandler, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './deps.ts';
import { errorView, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { sendPhoto } from './middleware/files.ts';
import { isSentFile, multipartForm, sentFileName, sentFiles } from './middleware/uploads.ts';
import {
  INSTITUTION_POST_TEXT_MAX,
  INSTITUTION_POST_TITLE_MAX,
  createInstitutionPost,
  getSentPost,
  listSentPosts,
  type InstitutionPostErrors,
  type InstitutionPostField,
} from '../domain/contact-book/institution-posts.ts';
import {
  getStaffPhotoDraft,
  keepStaffPhotoDraft,
  readInstitutionPostPhoto,
  removeStaffPhotoDraft,
} from '../domain/contact-book/institution-post-photos.ts';
import { POST_PHOTO_MAX_MB, preparePostPhoto } from '../domain/contact-book/photos.ts';
import { countCharacters } from '../domain/contact-book/vocabulary.ts';
import { isUploadProblem, MB } from '../domain/shared/uploads.ts';
import { isUuid, parseId } from '../domain/shared/ids.ts';

// Mounted under /backoffice; 機關聯絡簿, for the task 'institution_posts' (every role, in their scope).
// GET  /institution-posts             what the institution sent, newest first (paged)
// GET  /institution-posts/new         the form: (institution,) call number, title, text, one photo
// POST /institution-posts/new         multipart: keep or remove the photo, or send the post
// GET  /institution-posts/:id         one post: who it went to, the text, the photo
// GET  /institution-posts/:id/photo   its photo
const BASE = `${BACKOFFICE}/institution-posts`;
const FIELD_ORDER: readonly InstitutionPostField[] = ['form', 'institution', 'callNumber', 'title', 'body', 'photo'];

type Values = { institution: string; callNumber: string; title: string; body: string; submissionKey: string };

function readValues(req: Request): Values {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const key = str(b.submissionKey, 36);
  return {
    institution: str(b.institution, 10),
    callNumber: str(b.callNumber, 20),
    title: str(b.title, INSTITUTION_POST_TITLE_MAX * 4),
    // Kept well past the limit, so an over-long message comes back whole to be shortened.
    body: str(b.body, INSTITUTION_POST_TEXT_MAX * 4),
    submissionKey: isUuid(key) ? key : randomUUID(),
  };
}

export function institutionPostRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  r.use('/institution-posts', allowTask('institution_posts'));
  const parseUpload = multipartForm({
    bounds: {
      totalBytes: (POST_PHOTO_MAX_MB + 1) * MB,
      fileBytes: POST_PHOTO_MAX_MB * MB,
      files: 1,
      fields: 12,
      fieldBytes: 40_000,
      fileFields: [{ name: 'photo', maxCount: 1 }],
    },
    csrfCheck,
    problemOf: (code) =>
      code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_TOTAL'
        ? 'error.photo.tooLargeUnnamed'
        : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE'
          ? 'error.photo.one'
          : 'error.upload.unreadableForm',
  });

  const renderForm = async (
    req: Request,
    res: Response,
    values: Values,
    errors: InstitutionPostErrors = {},
    status = 200,
  ) => {
    const actor = staffActor(req);
    res.status(status).render('backoffice/institution-post-form', {
      values,
      chooseInstitution: actor.institutionCode === null,
      institutions: await institutionsFor(d.pool, req),
      photoDraft: await getStaffPhotoDraft(d.pool, actor.staffId, values.submissionKey),
      titleMax: INSTITUTION_POST_TITLE_MAX,
      max: INSTITUTION_POST_TEXT_MAX,
      count: countCharacters(values.body),
      photoMaxMb: POST_PHOTO_MAX_MB,
      ...errorView(res.locals.t, errors as Partial<Record<string, FieldMessage>>, FIELD_ORDER),
    });
  };

  r.get('/institution-posts', async (req, res) => {
    const list = await listSentPosts(d.pool, staffActor(req), req.locale, Number(req.query.page) || 1);
    res.render('backoffice/institution-posts', {
      list,
      agency: staffActor(req).institutionCode === null,
      notice: takeNotice(req),
      pageUrl: (page: number) => `${BASE}?page=${page}`,
    });
  });

  r.get('/institution-posts/new', async (req, res) => {
    const actor = staffActor(req);
    await renderForm(req, res, {
      institution: actor.institutionCode ?? '',
      callNumber: '',
      title: '',
      body: '',
      submissionKey: randomUUID(),
    });
  });

  r.post('/institution-posts/new', parseUpload, async (req: Request, res: Response) => {
    const actor = staffActor(req);
    const values = readValues(req);
    const errors: InstitutionPostErrors = {};
    if (res.locals.uploadError) errors.photo = { key: res.locals.uploadError, params: { limit: POST_PHOTO_MAX_MB } };
    const f = sentFiles(req, res).photo?.[0];
    if (f && isSentFile(f)) {
      const photo = await preparePostPhoto({ fileName: sentFileName(f), bytes: f.buffer });
      if (isUploadProblem(photo)) errors.photo = photo;
      else await keepStaffPhotoDraft(d.pool, actor.staffId, values.submissionKey, photo, d.clock());
    }
    if (res.locals.uploadRefused) return renderForm(req, res, values, errors, res.locals.uploadRefused);
    if (req.body?.action === 'removePhoto') {
      await removeStaffPhotoDraft(d.pool, actor.staffId, values.submissionKey);
      return renderForm(req, res, values, errors, Object.keys(errors).length ? 422 : 200);
    }
    if (Object.keys(errors).length) return renderForm(req, res, values, errors, 422);
    const outcome = await createInstitutionPost(
      d.pool,
      actor,
      {
        institutionCode: values.institution,
        callNumber: values.callNumber,
        title: values.title,
        body: values.body,
        submissionKey: values.submissionKey,
      },
      { now: d.clock(), publicUrl: d.config.publicUrl },
    );
    if (outcome.kind === 'errors') return renderForm(req, res, values, outcome.errors, 422);
    setNotice(req, 'ipost.notice.sent', { count: String(outcome.recipients) });
    res.redirect(303, `${BASE}/${outcome.postId}`);
  });

  r.get('/institution-posts/:id', async (req, res, next) => {
    const id = parseId(req.params.id);
    const post = id === null ? null : await getSentPost(d.pool, staffActor(req), id, req.locale);
    if (!post) return next();
    res.render('backoffice/institution-post', { post, notice: takeNotice(req) });
  });

  r.get('/institution-posts/:id/photo', async (req, res, next) => {
    const id = parseId(req.params.id);
    const photo = id === null ? null : await readInstitutionPostPhoto(d.pool, id, { staff: staffActor(req) });
    if (!photo) return next();
    sendPhoto(res, photo);
  });

  return r;
}
