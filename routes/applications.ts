import { Router, type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import multer from 'multer';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './app.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { errorView } from './forms.ts';
import { limiter } from './middleware/rate-limits.ts';
import {
  addUpload, documentKindsFor, getOwnApplication, listApplicationsOf, listUploads, relationshipsFor, removeUpload,
  SERVICES, submitApplication, UPLOAD_LIMIT_MB, VISIT_KINDS,
  type ApplicationField, type DocumentKind, type FieldProblem, type Service, type VisitKind,
} from '../domain/applications.ts';
import { isUploadProblem, MB, prepareDocument } from '../domain/documents.ts';
import { lookUpInmate, type InmateLookup } from '../domain/inmates.ts';
import { listInstitutions } from '../domain/institutions.ts';

// GET  /applications                      服務項目狀態查詢: the applicant's applications
// GET  /applications/new/:service         an application form (contact-book, visit, lawyer-visit)
// POST /applications/new/:service         multipart: lookup, add or remove files, or submit
// POST /applications/lookup               htmx: only the inmate lookup result
// GET  /applications/:number              one application (confirmation, status, staff's reason)
const SLUGS: Record<string, Service> = { 'contact-book': 'contact_book', visit: 'visit', 'lawyer-visit': 'lawyer_visit' };
const FIELD_ORDER: readonly ApplicationField[] = [
  'form', 'institution', 'callNumber', 'relationship', 'visitKinds', 'identityFiles', 'relationshipFiles', 'mandateFiles', 'photoFiles', 'files',
];

type FormValues = { institution: string; callNumber: string; relationship: string; visitKinds: VisitKind[]; submissionKey: string };

function readValues(req: Request): FormValues {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  const kinds = ([] as unknown[]).concat(b.visitKinds ?? []).filter((k): k is VisitKind => VISIT_KINDS.includes(k as VisitKind));
  const key = str(b.submissionKey);
  return {
    institution: str(b.institution), callNumber: str(b.callNumber).trim(), relationship: str(b.relationship), visitKinds: kinds,
    submissionKey: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key) ? key : randomUUID(),
  };
}

export function applicationRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  // Files are held in memory while checked, so a body larger than the service's total (plus room for
  // the form's fields) is refused before it is read, and only the service's file fields are taken.
  const parsers = Object.fromEntries(SERVICES.map((service) => [service, multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: UPLOAD_LIMIT_MB[service] * MB, files: 10 * documentKindsFor(service).length, fields: 20, fieldSize: 10_000 },
  }).fields(documentKindsFor(service).map((k) => ({ name: `${k}Files`, maxCount: 10 })))])) as Record<Service, RequestHandler>;
  const parseFiles: RequestHandler = (req, res, next) => {
    const service = SLUGS[String(req.params.service)];
    if (!service) return next('route');
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > (UPLOAD_LIMIT_MB[service] + 1) * MB) {
      res.status(413).render('errors/too-large', { limit: UPLOAD_LIMIT_MB[service], back: req.originalUrl });
      req.resume();
      return;
    }
    parsers[service](req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = err.code === 'LIMIT_FILE_SIZE' ? 'error.upload.tooLarge' : err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT' ? 'error.upload.tooMany' : 'error.upload.type';
        return csrfCheck(req, res, next);
      }
      if (err) return next(err);
      csrfCheck(req, res, next);
    });
  };
  // Walking the register one number at a time is what this stops.
  // Every path that answers "who has this call number" counts: the htmx lookup and the form's posts.
  const lookupLimit = limiter(d.limits.lookupPerAccount, (req) => `lookup|${req.user!.applicant.id}`);

  const serviceOf = (req: Request): Service | null => SLUGS[String(req.params.service)] ?? null;

  async function render(req: Request, res: Response, service: Service, values: FormValues, extra: {
    lookup?: InmateLookup | null; errors?: Partial<Record<ApplicationField, FieldProblem>>; status?: number;
  } = {}) {
    const applicantId = req.user!.applicant.id;
    const files = await listUploads(d.pool, applicantId, values.submissionKey);
    // Each summary link leads to something that takes focus: the first box of a group, the first file input.
    const anchors = { form: 'institution', visitKinds: 'visitKind-onsite', files: `${documentKindsFor(service)[0]}Files` };
    const total = files.reduce((s, f) => s + f.uploadedBytes, 0);
    res.status(extra.status ?? 200).render('applications/form', {
      service, slug: req.params.service, values, files, ...errorView(res.locals.t, extra.errors ?? {}, FIELD_ORDER, anchors),
      institutions: await listInstitutions(d.pool, req.locale),
      relationships: relationshipsFor(service),
      documentKinds: documentKindsFor(service),
      limitMb: UPLOAD_LIMIT_MB[service],
      totalMb: (total / MB).toFixed(1),
      lookup: extra.lookup ?? null,
    });
  }

  r.get('/applications', requireApplicant, async (req, res) => {
    res.render('applications/list', { applications: await listApplicationsOf(d.pool, req.user!.applicant.id, req.locale) });
  });

  r.get('/applications/new/:service', requireApplicant, async (req, res, next) => {
    const service = serviceOf(req);
    if (!service) return next();
    await render(req, res, service, { institution: '', callNumber: '', relationship: '', visitKinds: [], submissionKey: randomUUID() });
  });

  r.post('/applications/lookup', requireApplicant, lookupLimit, async (req, res) => {
    const values = readValues(req);
    const lookup = await lookUpInmate(d.pool, values.institution, values.callNumber);
    res.set('Vary', 'HX-Request').render('applications/_inmate-result', { lookup });
  });

  r.post('/applications/new/:service', requireApplicant, parseFiles, lookupLimit, async (req: Request, res: Response, next: NextFunction) => {
    const service = serviceOf(req);
    if (!service) return next();
    const applicantId = req.user!.applicant.id;
    const values = readValues(req);
    const now = d.clock();
    const errors: Partial<Record<ApplicationField, FieldProblem>> = {};
    if (res.locals.uploadError) errors.files = { key: res.locals.uploadError, params: { limit: UPLOAD_LIMIT_MB[service], total: `> ${UPLOAD_LIMIT_MB[service]}`, file: '' } };

    // Files first: whatever else happens, an accepted file is kept for this form.
    const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
    for (const kind of documentKindsFor(service)) {
      for (const f of uploaded[`${kind}Files`] ?? []) {
        if (f.size === 0 && f.originalname === '') continue; // an empty file input sends a nameless part
        const doc = await prepareDocument({ fileName: Buffer.from(f.originalname, 'latin1').toString('utf8'), bytes: f.buffer }, { imagesOnly: kind === 'photo' });
        const problem = isUploadProblem(doc) ? doc : await addUpload(d.pool, applicantId, values.submissionKey, service, kind, doc, now);
        if (problem && !errors[`${kind}Files`]) errors[`${kind}Files`] = problem;
      }
    }

    const action = String(req.body?.action ?? 'submit');
    const removeId = Number(req.body?.remove);
    if (Number.isSafeInteger(removeId) && removeId > 0) {
      await removeUpload(d.pool, applicantId, values.submissionKey, removeId);
      return render(req, res, service, values, { errors, status: Object.keys(errors).length ? 422 : 200 });
    }
    if (action === 'lookup') {
      const lookup = await lookUpInmate(d.pool, values.institution, values.callNumber);
      return render(req, res, service, values, { lookup, errors, status: Object.keys(errors).length ? 422 : 200 });
    }
    if (Object.keys(errors).length) return render(req, res, service, values, { errors, status: 422 });
    const outcome = await submitApplication(d.pool, {
      applicantId, institutionCode: values.institution, callNumber: values.callNumber, service, visitKinds: values.visitKinds,
      relationship: values.relationship, submissionKey: values.submissionKey,
    }, now);
    if (outcome.kind === 'errors') {
      // A form already sent gets a fresh key, so sending it again makes a new application.
      if (outcome.errors.form) values.submissionKey = randomUUID();
      return render(req, res, service, values, { errors: outcome.errors, status: 422 });
    }
    res.redirect(303, `/applications/${outcome.number}`);
  });

  r.get('/applications/:number', requireApplicant, async (req, res, next) => {
    const application = await getOwnApplication(d.pool, req.user!.applicant.id, String(req.params.number), req.locale);
    if (!application) return next();
    res.render('applications/show', { application });
  });

  return r;
}
