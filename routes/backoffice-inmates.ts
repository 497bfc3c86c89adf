import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, queryString, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { isSentFile, multipartForm, sentFileName, sentFiles } from './middleware/uploads.ts';
import { readRegisterFile, REGISTER_MAX_BYTES, type RegisterProblem } from '../domain/inmates/register-file.ts';
import { applyRegister, diffRegister, registerSummary } from '../domain/inmates/register.ts';
import {
  createRegisterToken,
  getRegisterUpload,
  registerTokenStatus,
  revokeRegisterToken,
  saveRegisterUpload,
} from '../domain/inmates/register-store.ts';

// Inside the back office (after requireStaff), 收容人名冊 (task inmate_register):
// GET  /inmates?institution=           the register's figures, the upload form and the push token
// POST /inmates/upload                 multipart: a CSV register; bad rows listed with their line (422), else on to its preview
// GET  /inmates/uploads/:id            the preview: added, changed, removed, with counts
// POST /inmates/uploads/:id/apply      apply the previewed file, in one transaction
// POST /inmates/token                  a new push token for the prison information system, shown once
// POST /inmates/token/revoke           revoke the push token
const BASE = `${BACKOFFICE}/inmates`;
const PREVIEW_ROWS_SHOWN = 500;

export function inmateRegisterRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  const who = staffActor;
  r.use('/inmates', allowTask('inmate_register'));

  /** The institution shown: the staff member's own, or the one an agency administrator chose. */
  const institutionOf = async (req: Request, wanted: unknown, strict = false) => {
    const allowed = await institutionsFor(d.pool, req);
    const chosen = allowed.find((i) => i.code === wanted) ?? null;
    return { allowed, institution: strict ? chosen : (chosen ?? (allowed.length === 1 ? allowed[0]! : null)) };
  };

  const render = async (
    req: Request,
    res: Response,
    code: unknown,
    extra: {
      problems?: RegisterProblem[];
      errors?: Record<string, FieldMessage>;
      token?: string;
      status?: number;
    } = {},
  ) => {
    const { allowed, institution } = await institutionOf(req, code);
    const summary = institution ? await registerSummary(d.pool, who(req), institution.code) : null;
    const tokenStatus = institution ? await registerTokenStatus(d.pool, who(req), institution.code) : null;
    const errors = extra.errors ?? {};
    if (extra.token) res.set('Cache-Control', 'no-store');
    res.status(extra.status ?? (Object.keys(errors).length ? 422 : 200)).render('backoffice/inmates', {
      allowed,
      institution,
      summary,
      tokenStatus,
      newToken: extra.token ?? null,
      problems: extra.problems ?? [],
      maxMb: REGISTER_MAX_BYTES / 1024 / 1024,
      notice: takeNotice(req),
      ...errorView(res.locals.t, errors, ['register']),
    });
  };

  r.get('/inmates', (req, res, next) => render(req, res, req.query.institution).catch(next));

  const parseUpload = multipartForm({
    bounds: {
      totalBytes: REGISTER_MAX_BYTES + 64 * 1024,
      fileBytes: REGISTER_MAX_BYTES,
      files: 1,
      fields: 4,
      fieldBytes: 1000,
      fileFields: [{ name: 'register', maxCount: 1 }],
    },
    csrfCheck,
    problemOf: (code) => (code === 'MALFORMED' ? 'inmates.problem.unreadable' : 'inmates.problem.tooLarge'),
  });

  r.post('/inmates/upload', (req, res, next) =>
    parseUpload(req, res, async (err?: unknown) => {
      if (err) return next(err);
      try {
        const code = req.body?.institution;
        if (res.locals.uploadError)
          return await render(req, res, code, {
            errors: { register: { key: res.locals.uploadError, params: { limit: REGISTER_MAX_BYTES / 1024 / 1024 } } },
            status: res.locals.uploadRefused,
          });
        const { institution } = await institutionOf(req, code, true);
        if (!institution) return next();
        const f = sentFiles(req, res).register?.[0];
        if (!f || !isSentFile(f)) return await render(req, res, code, { errors: { register: 'inmates.error.noFile' } });
        const file = readRegisterFile(f.buffer);
        if (file.kind === 'bad')
          return await render(req, res, code, {
            errors: { register: 'inmates.error.badFile' },
            problems: file.problems,
          });
        const id = await saveRegisterUpload(
          d.pool,
          who(req),
          { institutionCode: institution.code, fileName: sentFileName(f), bytes: f.buffer, ...file },
          d.clock(),
        );
        if (!id) return next();
        res.redirect(303, `${BASE}/uploads/${id}`);
      } catch (e) {
        next(e);
      }
    }),
  );

  const preview = async (req: Request, res: Response, stale = false) => {
    const upload = await getRegisterUpload(d.pool, who(req), String(req.params.id));
    if (!upload) return false;
    const diff = await diffRegister(d.pool, upload.institutionCode, upload.rows);
    const { institution } = await institutionOf(req, upload.institutionCode, true);
    res.status(stale ? 409 : 200).render('backoffice/inmates-preview', {
      upload,
      institution,
      diff,
      shown: PREVIEW_ROWS_SHOWN,
      stale,
    });
    return true;
  };

  r.get('/inmates/uploads/:id', async (req, res, next) => {
    if (!(await preview(req, res))) next();
  });

  r.post('/inmates/uploads/:id/apply', async (req, res, next) => {
    const upload = await getRegisterUpload(d.pool, who(req), String(req.params.id));
    if (!upload) return next();
    const seen = typeof req.body?.fingerprint === 'string' ? req.body.fingerprint : '';
    const outcome = await applyRegister(
      d.pool,
      upload.institutionCode,
      upload.rows,
      { kind: 'upload', actor: who(req), uploadId: upload.id },
      d.clock(),
      seen,
    );
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'stale') return void (await preview(req, res, true));
    if (outcome.kind === 'already_applied') setNotice(req, 'inmates.alreadyApplied');
    else {
      const c = outcome.counts;
      setNotice(req, 'inmates.applied', {
        added: String(c.added + c.returned),
        changed: String(c.changed),
        removed: String(c.removed),
        cancelled: String(c.cancelledApplications + c.cancelledPosts + c.cancelledBookings),
      });
    }
    res.redirect(303, `${BASE}?${queryString({ institution: upload.institutionCode })}`);
  });

  r.post('/inmates/token', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const token = await createRegisterToken(d.pool, who(req), institution.code, d.clock());
    if (!token) return next();
    // Shown on this answer only (not stored anywhere it could be shown again): no redirect.
    await render(req, res, institution.code, { token });
  });

  r.post('/inmates/token/revoke', async (req, res, next) => {
    const { institution } = await institutionOf(req, req.body?.institution, true);
    if (!institution) return next();
    const revoked = await revokeRegisterToken(d.pool, who(req), institution.code, d.clock());
    setNotice(req, revoked ? 'inmates.token.revoked' : 'inmates.token.none');
    res.redirect(303, `${BASE}?${queryString({ institution: institution.code })}`);
  });

  return r;
}
