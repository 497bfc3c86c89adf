import { Router, type Request, type Response, type RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './deps.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { errorView, type FieldMessage } from './forms.ts';
import { limiter } from './middleware/rate-limits.ts';
import { sendPhoto } from './middleware/files.ts';
import { closeAfterAnswer, isSentFile, multipartForm, sentFileName, sentFiles } from './middleware/uploads.ts';
import {
  countCharacters,
  POST_TEXT_MAX,
  POST_TITLE_MAX,
  type PostField,
  type PostProblem,
} from '../domain/contact-book/vocabulary.ts';
import { getOwnPost, listOwnPosts, resendPost, submitPost, type OwnPost } from '../domain/contact-book/posts.ts';
import { listRecipients, postingStates } from '../domain/contact-book/recipients.ts';
import { activeSuspension } from '../domain/contact-book/suspensions.ts';
import {
  getPhotoDraft,
  keepPhotoDraft,
  POST_PHOTO_MAX_MB,
  preparePostPhoto,
  readPostPhoto,
  removePhotoDraft,
} from '../domain/contact-book/photos.ts';
import { isUploadProblem, MB } from '../domain/shared/uploads.ts';
import { isUuid, parseId } from '../domain/shared/ids.ts';

// GET  /contact-book               查詢家庭聯絡簿: the applicant's posts, with 新增
// GET  /contact-book/new           發佈家庭聯絡簿: recipient, title, text, one photo
// POST /contact-book/new           multipart: keep or remove the photo, or send the post
// GET  /contact-book/:id           one post: status, the staff's reason, delivery date, the photo
// GET  /contact-book/:id/reason    htmx: the staff's reason, for the dialog on the list
// GET  /contact-book/:id/photo     the post's stored photo (its sender only)
// GET  /contact-book/:id/resend    correct a rejected post               POST: multipart, send again
const FIELD_ORDER: readonly PostField[] = ['form', 'recipient', 'title', 'body', 'photo'];
// The form keeps far more than the limit, so an over-long note comes back whole to be shortened.
const BODY_KEPT = 5000;

type PostValues = {
  recipient: string;
  title: string;
  body: string;
  submissionKey: string;
  removePhoto: boolean;
  version: number;
};
type Errors = Partial<Record<PostField, PostProblem>>;

function readValues(req: Request): PostValues {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const key = str(b.submissionKey, 36);
  return {
    recipient: str(b.recipient, 20),
    title: str(b.title, 200),
    body: str(b.body, BODY_KEPT),
    submissionKey: isUuid(key) ? key : randomUUID(),
    removePhoto: b.removePhoto === 'yes',
    version: Number(str(b.version, 9)) || 0,
  };
}

export function contactBookRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  const photoLimit = limiter(d.pool, 'photo-account', d.limits.photoPerAccount, (req) =>
    String(req.user!.applicant.id),
  );
  // One photo of at most 10 MB; the text fields come first in the form, so they are kept even when the
  // photo is refused for its size. Every bound is counted on the bytes read, chunked or not.
  const parseUpload = multipartForm({
    bounds: {
      totalBytes: (POST_PHOTO_MAX_MB + 1) * MB,
      fileBytes: POST_PHOTO_MAX_MB * MB,
      files: 1,
      fields: 12,
      fieldBytes: 20_000,
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

  /** The photo sent with this request, if any, checked and kept as the form's draft. */
  const keepPhoto = async (req: Request, res: Response, values: PostValues, errors: Errors): Promise<void> => {
    if (res.locals.uploadError) {
      errors.photo = { key: res.locals.uploadError, params: { limit: POST_PHOTO_MAX_MB } };
      return;
    }
    const f = sentFiles(req, res).photo?.[0];
    if (!f || !isSentFile(f)) return;
    const photo = await preparePostPhoto({ fileName: sentFileName(f), bytes: f.buffer });
    if (isUploadProblem(photo)) errors.photo = photo;
    else await keepPhotoDraft(d.pool, req.user!.applicant.id, values.submissionKey, photo, d.clock());
  };

  async function renderForm(
    req: Request,
    res: Response,
    values: PostValues,
    extra: { errors?: Errors; status?: number; post?: OwnPost } = {},
  ) {
    const applicantId = req.user!.applicant.id;
    const now = d.clock();
    const recipients = await listRecipients(d.pool, applicantId, req.locale);
    const states = await postingStates(d.pool, applicantId, recipients, now);
    const suspension = await activeSuspension(d.pool, applicantId, now);
    res.status(extra.status ?? 200).render('contact-book/form', {
      values,
      recipients,
      states,
      post: extra.post ?? null,
      photoDraft: await getPhotoDraft(d.pool, applicantId, values.submissionKey),
      suspension,
      count: countCharacters(values.body),
      max: POST_TEXT_MAX,
      titleMax: POST_TITLE_MAX,
      photoMaxMb: POST_PHOTO_MAX_MB,
      ...errorView(res.locals.t, (extra.errors ?? {}) as Partial<Record<string, FieldMessage>>, FIELD_ORDER, {
        form: suspension ? 'suspension' : extra.post ? 'title' : 'recipient',
      }),
    });
  }

  const ownPost = async (req: Request) => {
    const id = parseId(req.params.id);
    return id === null ? null : getOwnPost(d.pool, req.user!.applicant.id, id, req.locale);
  };

  r.get('/contact-book', requireApplicant, async (req, res) => {
    const applicantId = req.user!.applicant.id;
    const now = d.clock();
    const recipients = await listRecipients(d.pool, applicantId, req.locale);
    res.render('contact-book/list', {
      posts: await listOwnPosts(d.pool, applicantId, req.locale),
      recipients,
      states: await postingStates(d.pool, applicantId, recipients, now),
      suspension: await activeSuspension(d.pool, applicantId, now),
      max: POST_TEXT_MAX,
    });
  });

  r.get('/contact-book/new', requireApplicant, async (req, res) => {
    const recipients = await listRecipients(d.pool, req.user!.applicant.id, req.locale);
    const values: PostValues = {
      recipient: recipients.length === 1 ? String(recipients[0]!.applicationId) : '',
      title: '',
      body: '',
      submissionKey: randomUUID(),
      removePhoto: false,
      version: 0,
    };
    await renderForm(req, res, values);
  });

  r.post('/contact-book/new', requireApplicant, photoLimit, parseUpload, async (req: Request, res: Response) => {
    const values = readValues(req);
    const errors: Errors = {};
    await keepPhoto(req, res, values, errors);
    // Over a bound: the form comes back with its answers and kept photo, and nothing else is done.
    if (res.locals.uploadRefused) return renderForm(req, res, values, { errors, status: res.locals.uploadRefused });
    if (req.body?.action === 'removePhoto') {
      await removePhotoDraft(d.pool, req.user!.applicant.id, values.submissionKey);
      return renderForm(req, res, values, { errors, status: Object.keys(errors).length ? 422 : 200 });
    }
    // A refused photo is said with every other problem of the form (and nothing is saved).
    const outcome = await submitPost(
      d.pool,
      {
        applicantId: req.user!.applicant.id,
        applicationId: Number(values.recipient) || 0,
        title: values.title,
        body: values.body,
        photo: null,
        submissionKey: values.submissionKey,
        photoProblem: errors.photo,
      },
      d.clock(),
    );
    if (outcome.kind === 'errors') return renderForm(req, res, values, { errors: outcome.errors, status: 422 });
    res.redirect(303, `/contact-book/${outcome.postId}?sent=1`);
  });

  r.get('/contact-book/:id', requireApplicant, async (req, res, next) => {
    const post = await ownPost(req);
    if (!post) return next();
    res.render('contact-book/show', { post, justSent: req.query.sent === '1' && post.status === 'pending' });
  });

  // The staff's reason: inside a <dialog> on the list with htmx, the post's own page without.
  r.get('/contact-book/:id/reason', requireApplicant, async (req, res, next) => {
    const post = await ownPost(req);
    if (!post) return next();
    res.set('Vary', 'HX-Request');
    if (!req.get('HX-Request')) return res.redirect(303, `/contact-book/${post.id}`);
    res.render('contact-book/_reason', { post });
  });

  r.get('/contact-book/:id/photo', requireApplicant, async (req, res, next) => {
    const id = parseId(req.params.id);
    const photo = id === null ? null : await readPostPhoto(d.pool, id, { applicantId: req.user!.applicant.id });
    if (!photo) return next();
    sendPhoto(res, photo);
  });

  // ---- correct a rejected post and send it again ----
  const rejectedPost = async (req: Request, res: Response): Promise<OwnPost | null> => {
    const post = await ownPost(req);
    if (post?.status === 'rejected') return post;
    // Already sent again (a second click, or back to the form) or decided: show where it stands.
    if (post) res.redirect(303, `/contact-book/${post.id}`);
    else res.status(404).render('errors/not-found');
    return null;
  };

  r.get('/contact-book/:id/resend', requireApplicant, async (req, res) => {
    const post = await rejectedPost(req, res);
    if (!post) return;
    await renderForm(
      req,
      res,
      {
        recipient: '',
        title: post.title,
        body: post.body,
        submissionKey: randomUUID(),
        removePhoto: false,
        version: post.version,
      },
      { post },
    );
  });

  r.post('/contact-book/:id/resend', requireApplicant, photoLimit, async (req, res, next) => {
    const post = await rejectedPost(req, res);
    if (!post) {
      closeAfterAnswer(req, res); // answered already: read no more of a body nobody will take
      return;
    }
    parseUpload(req, res, async (err?: unknown) => {
      if (err) return next(err);
      try {
        const values = readValues(req);
        const errors: Errors = {};
        await keepPhoto(req, res, values, errors);
        if (res.locals.uploadRefused)
          return await renderForm(req, res, values, { post, errors, status: res.locals.uploadRefused });
        if (req.body?.action === 'removePhoto') {
          await removePhotoDraft(d.pool, req.user!.applicant.id, values.submissionKey);
          return await renderForm(req, res, values, { post, errors, status: Object.keys(errors).length ? 422 : 200 });
        }
        const outcome = await resendPost(
          d.pool,
          req.user!.applicant.id,
          post.id,
          values.version,
          {
            title: values.title,
            body: values.body,
            photo: values.removePhoto ? null : 'keep',
            submissionKey: values.submissionKey,
            photoProblem: errors.photo,
          },
          d.clock(),
        );
        if (outcome.kind === 'not_found') return next();
        if (outcome.kind === 'errors') {
          const fresh = outcome.errors.form?.key === 'error.post.changed' ? await ownPost(req) : null;
          if (fresh && fresh.status !== 'rejected') return res.redirect(303, `/contact-book/${fresh.id}`);
          if (fresh) values.version = fresh.version;
          return await renderForm(req, res, values, { post: fresh ?? post, errors: outcome.errors, status: 422 });
        }
        res.redirect(303, `/contact-book/${post.id}?sent=1`);
      } catch (e) {
        next(e);
      }
    });
  });

  return r;
}
