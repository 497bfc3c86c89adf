import { Router, type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import type { MessageKey } from '../domain/i18n/i18n.ts';
import { randomUUID } from 'node:crypto';
import { listOwnDocuments, readDocument } from '../domain/applications/documents.ts';
import { listUploads, removeUpload } from '../domain/applications/drafts.ts';
import {
  type CorrectionStart,
  getCorrectionStart,
  getOwnApplication,
  listApplicationsOf,
} from '../domain/applications/status.ts';
import { resubmitApplication, submitApplication } from '../domain/applications/submit.ts';
import {
  type ApplicationField,
  type FieldProblem,
  type Service,
  UPLOAD_LIMIT_MB,
  type VisitKind,
  documentKindsFor,
  relationshipsFor,
} from '../domain/applications/vocabulary.ts';
import { type InmateLookup, inmateNamed, lookUpInmate } from '../domain/inmates.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { parseId } from '../domain/shared/ids.ts';
import { MB } from '../domain/shared/uploads.ts';
import type { RouteDeps } from './deps.ts';
import {
  FIELD_ORDER,
  type FormValues,
  SLUGS,
  applicationUploadParsers,
  keepApplicationFiles,
  readValues,
} from './middleware/application-form.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { sendDocument } from './middleware/files.ts';
import { closeAfterAnswer } from './middleware/uploads.ts';
import { errorView } from './forms.ts';
import { applicationRating } from '../domain/ratings/answers.ts';
import { limiter } from './middleware/rate-limits.ts';

// GET  /applications                      服務項目狀態查詢: the applicant's applications
// GET  /applications/new/:service         an application form (contact-book, visit, lawyer-visit)
// POST /applications/new/:service         multipart: lookup, add or remove files, or submit
// POST /applications/lookup               htmx: only the inmate lookup result
// GET  /applications/:number              one application (confirmation, status, staff's reason, documents)
// GET  /applications/:number/reason       htmx: the staff's reason, for the dialog on the status table
// GET  /applications/:number/documents/:docId   one of the applicant's own documents
// GET  /applications/:number/resubmit     修改並重新送出: correct a rejected application
// POST /applications/:number/resubmit     multipart: add or remove files, or resend
export function applicationRoutes(d: RouteDeps, csrfCheck: RequestHandler): Router {
  const r = Router();
  const parsers = applicationUploadParsers(csrfCheck);
  /** Parses an upload for the given service's fields and limits, then checks the CSRF token. */
  const parseUpload = (service: Service, req: Request, res: Response, next: NextFunction) =>
    parsers[service](req, res, next);
  const parseFiles: RequestHandler = (req, res, next) => {
    const service = SLUGS[String(req.params.service)];
    if (!service) return next('route');
    parseUpload(service, req, res, next);
  };
  const keepUploadedFiles = (
    req: Request,
    res: Response,
    service: Service,
    submissionKey: string,
    keptBytes: number,
    errors: Partial<Record<ApplicationField, FieldProblem>>,
  ) => keepApplicationFiles(d.pool, d.clock(), req, res, { service, submissionKey, keptBytes }, errors);

  // Walking the register one number at a time is what this stops.
  // Every path that answers "who has this call number" counts: the htmx lookup and the form's posts.
  const lookupLimit = limiter(d.pool, 'lookup-account', d.limits.lookupPerAccount, (req) =>
    String(req.user!.applicant.id),
  );

  const serviceOf = (req: Request): Service | null => SLUGS[String(req.params.service)] ?? null;

  async function render(
    req: Request,
    res: Response,
    service: Service,
    values: FormValues,
    extra: {
      lookup?: InmateLookup | null;
      errors?: Partial<Record<ApplicationField, FieldProblem>>;
      status?: number;
    } = {},
  ) {
    const applicantId = req.user!.applicant.id;
    const files = await listUploads(d.pool, applicantId, values.submissionKey);
    // Each summary link leads to something that takes focus: the first box of a group, the first file input.
    const anchors = {
      form: 'institution',
      visitKinds: 'visitKind-onsite',
      files: `${documentKindsFor(service)[0]}Files`,
    };
    const total = files.reduce((s, f) => s + f.uploadedBytes, 0);
    res.status(extra.status ?? 200).render('applications/form', {
      service,
      slug: req.params.service,
      values,
      files,
      ...errorView(res.locals.t, extra.errors ?? {}, FIELD_ORDER, anchors),
      institutions: await listInstitutions(d.pool, req.locale),
      relationships: relationshipsFor(service),
      documentKinds: documentKindsFor(service),
      limitMb: UPLOAD_LIMIT_MB[service],
      totalMb: (total / MB).toFixed(1),
      keptBytes: total,
      lookup: extra.lookup === undefined ? await confirmedInmate(values, extra.errors ?? {}) : extra.lookup,
      ownApplication: ownApplicationOf(extra.errors?.callNumber),
    });
  }

  /** A form sent back with problems still shows the inmate it names (申請對象), when that part is right. */
  const confirmedInmate = async (
    values: FormValues,
    errors: Partial<Record<ApplicationField, FieldProblem>>,
  ): Promise<InmateLookup | null> => {
    if (errors.institution || errors.callNumber || !values.institution || !values.callNumber) return null;
    const found = await lookUpInmate(d.pool, values.institution, values.callNumber);
    return found.kind === 'found' ? found : null;
  };

  /** The applicant's own application that already holds the service, to link to beside the message. */
  const ownApplicationOf = (problem: FieldProblem | undefined): string | null =>
    problem && (problem.key === 'error.application.ownPending' || problem.key === 'error.application.ownApproved')
      ? String(problem.params?.number ?? '') || null
      : null;

  r.get('/applications', requireApplicant, async (req, res) => {
    res.render('applications/list', {
      applications: await listApplicationsOf(d.pool, req.user!.applicant.id, req.locale),
    });
  });

  r.get('/applications/new/:service', requireApplicant, async (req, res, next) => {
    const service = serviceOf(req);
    if (!service) return next();
    await render(req, res, service, {
      institution: '',
      callNumber: '',
      relationship: '',
      visitKinds: [],
      submissionKey: randomUUID(),
    });
  });

  r.post('/applications/lookup', requireApplicant, lookupLimit, async (req, res) => {
    const values = readValues(req);
    const lookup = await lookUpInmate(d.pool, values.institution, values.callNumber);
    res.set('Vary', 'HX-Request').render('applications/_inmate-result', { lookup });
  });

  r.post(
    '/applications/new/:service',
    requireApplicant,
    // The per-account limit comes before the body is read.
    lookupLimit,
    parseFiles,
    async (req: Request, res: Response, next: NextFunction) => {
      const service = serviceOf(req);
      if (!service) return next();
      const applicantId = req.user!.applicant.id;
      const values = readValues(req);
      const now = d.clock();
      const errors: Partial<Record<ApplicationField, FieldProblem>> = {};
      if (res.locals.uploadError) errors.files = uploadProblem(res.locals.uploadError, UPLOAD_LIMIT_MB[service]);
      // Over a bound: the form comes back with its answers and kept files, and nothing else is done.
      if (res.locals.uploadRefused)
        return render(req, res, service, values, { errors, status: res.locals.uploadRefused });

      await keepUploadedFiles(req, res, service, values.submissionKey, 0, errors);

      const action = String(req.body?.action ?? 'submit');
      // A 移除 button pressed: never a submission, whatever its value (an id that is not one removes nothing).
      if (req.body?.remove !== undefined) {
        const removeId = parseId(req.body.remove);
        if (removeId !== null) await removeUpload(d.pool, applicantId, values.submissionKey, removeId);
        return render(req, res, service, values, { errors, status: Object.keys(errors).length ? 422 : 200 });
      }
      if (action === 'lookup') {
        // Without JavaScript: nobody found is an error of the form like any other (summary, title, field).
        const named = await inmateNamed(d.pool, values.institution, values.callNumber);
        if (named.kind === 'problem') errors[named.field] = { key: named.key };
        return render(req, res, service, values, {
          lookup: named.kind === 'found' ? named : null,
          errors,
          status: Object.keys(errors).length ? 422 : 200,
        });
      }
      // A refused file is said with every other problem of the form (and nothing is saved).
      const outcome = await submitApplication(
        d.pool,
        {
          applicantId,
          institutionCode: values.institution,
          callNumber: values.callNumber,
          service,
          visitKinds: values.visitKinds,
          relationship: values.relationship,
          submissionKey: values.submissionKey,
          fileProblems: errors,
        },
        now,
      );
      if (outcome.kind === 'errors') {
        // A form already sent gets a fresh key, so sending it again makes a new application.
        if (outcome.errors.form) values.submissionKey = randomUUID();
        return render(req, res, service, values, { errors: outcome.errors, status: 422 });
      }
      res.redirect(303, `/applications/${outcome.number}`);
    },
  );

  r.get('/applications/:number', requireApplicant, async (req, res, next) => {
    const number = String(req.params.number);
    const application = await getOwnApplication(d.pool, req.user!.applicant.id, number, req.locale);
    if (!application) return next();
    res.render('applications/show', {
      application,
      documents: await listOwnDocuments(d.pool, req.user!.applicant.id, number),
      // 即時評價: a decided application's page offers the rating (once)
      rating: await applicationRating(d.pool, req.user!.applicant.id, number),
    });
  });

  // The staff's reason: inside a <dialog> on the status table with htmx, the whole page without.
  r.get('/applications/:number/reason', requireApplicant, async (req, res, next) => {
    const application = await getOwnApplication(d.pool, req.user!.applicant.id, String(req.params.number), req.locale);
    if (!application) return next();
    res.set('Vary', 'HX-Request');
    if (!req.get('HX-Request')) return res.redirect(303, `/applications/${application.number}`);
    res.render('applications/_reason', { application });
  });

  r.get('/applications/:number/documents/:docId', requireApplicant, async (req, res, next) => {
    const own = await listOwnDocuments(d.pool, req.user!.applicant.id, String(req.params.number));
    const listed = own.find((doc) => doc.id === parseId(req.params.docId));
    if (!listed) return next();
    const doc = await readDocument(d.pool, listed.id, listed.applicationId, { applicantId: req.user!.applicant.id });
    if (!doc) return next();
    sendDocument(res, doc, req.query.download === '1');
  });

  // ---- 修改並重新送出: correct a rejected application and send it again ----
  type CorrectionValues = {
    relationship: string;
    visitKinds: VisitKind[];
    keep: number[];
    submissionKey: string;
    version: number;
  };

  async function renderCorrection(
    req: Request,
    res: Response,
    start: CorrectionStart,
    values: CorrectionValues,
    extra: {
      errors?: Partial<Record<ApplicationField, FieldProblem>>;
      status?: number;
    } = {},
  ) {
    const files = await listUploads(d.pool, req.user!.applicant.id, values.submissionKey);
    const keptBytes = start.documents
      .filter((doc) => values.keep.includes(doc.id))
      .reduce((sum, doc) => sum + doc.uploadedBytes, 0);
    const total = files.reduce((sum, f) => sum + f.uploadedBytes, keptBytes);
    const anchors = {
      form: 'relationship',
      visitKinds: 'visitKind-onsite',
      files: `${documentKindsFor(start.service)[0]}Files`,
    };
    res.status(extra.status ?? 200).render('applications/resubmit', {
      start,
      values,
      files,
      service: start.service,
      ...errorView(res.locals.t, extra.errors ?? {}, FIELD_ORDER, anchors),
      relationships: relationshipsFor(start.service),
      documentKinds: documentKindsFor(start.service),
      limitMb: UPLOAD_LIMIT_MB[start.service],
      totalMb: (total / MB).toFixed(1),
      keptBytes: total,
      ownApplication: ownApplicationOf(extra.errors?.form),
    });
  }

  const correctionStart = async (req: Request, res: Response): Promise<CorrectionStart | null> => {
    const start = await getCorrectionStart(d.pool, req.user!.applicant.id, String(req.params.number), req.locale);
    if (start) return start;
    // Already resubmitted (a second click, or back to the form) or decided: show where it stands.
    const own = await getOwnApplication(d.pool, req.user!.applicant.id, String(req.params.number), req.locale);
    if (own) res.redirect(303, `/applications/${own.number}`);
    else res.status(404).render('errors/not-found');
    return null;
  };

  r.get('/applications/:number/resubmit', requireApplicant, async (req, res) => {
    const start = await correctionStart(req, res);
    if (!start) return;
    await renderCorrection(req, res, start, {
      relationship: start.relationship,
      visitKinds: start.visitKinds,
      keep: start.documents.map((doc) => doc.id),
      submissionKey: randomUUID(),
      version: start.version,
    });
  });

  r.post('/applications/:number/resubmit', requireApplicant, async (req, res, next) => {
    const start = await correctionStart(req, res);
    if (!start) {
      closeAfterAnswer(req, res); // answered already: read no more of a body nobody will take
      return;
    }
    parseUpload(start.service, req, res, async (err?: unknown) => {
      if (err) return next(err);
      try {
        const base = readValues(req);
        const keep = ([] as unknown[])
          .concat(req.body?.keep ?? [])
          .map(Number)
          .filter((id) => start.documents.some((doc) => doc.id === id));
        const values: CorrectionValues = {
          relationship: base.relationship,
          visitKinds: base.visitKinds,
          keep,
          submissionKey: base.submissionKey,
          version: Number(req.body?.version) || 0,
        };
        const errors: Partial<Record<ApplicationField, FieldProblem>> = {};
        const limit = UPLOAD_LIMIT_MB[start.service];
        if (res.locals.uploadError) errors.files = uploadProblem(res.locals.uploadError, limit);
        if (res.locals.uploadRefused)
          return renderCorrection(req, res, start, values, { errors, status: res.locals.uploadRefused });
        const keptBytes = start.documents
          .filter((doc) => keep.includes(doc.id))
          .reduce((sum, doc) => sum + doc.uploadedBytes, 0);
        await keepUploadedFiles(req, res, start.service, values.submissionKey, keptBytes, errors);
        if (req.body?.remove !== undefined) {
          const removeId = parseId(req.body.remove);
          if (removeId !== null) await removeUpload(d.pool, req.user!.applicant.id, values.submissionKey, removeId);
          return renderCorrection(req, res, start, values, { errors, status: Object.keys(errors).length ? 422 : 200 });
        }
        if (String(req.body?.action ?? 'submit') !== 'submit') {
          return renderCorrection(req, res, start, values, { errors, status: Object.keys(errors).length ? 422 : 200 });
        }
        const outcome = await resubmitApplication(
          d.pool,
          {
            applicantId: req.user!.applicant.id,
            number: start.number,
            seenVersion: values.version,
            relationship: values.relationship,
            visitKinds: values.visitKinds,
            keepDocumentIds: keep,
            submissionKey: values.submissionKey,
            fileProblems: errors,
          },
          d.clock(),
        );
        if (outcome.kind === 'not_found') return next();
        if (outcome.kind === 'errors') {
          const fresh =
            outcome.errors.form?.key === 'error.application.changed'
              ? await getCorrectionStart(d.pool, req.user!.applicant.id, start.number, req.locale)
              : null;
          if (fresh) values.version = fresh.version;
          return renderCorrection(req, res, fresh ?? start, values, { errors: outcome.errors, status: 422 });
        }
        res.redirect(303, `/applications/${start.number}`);
      } catch (e) {
        next(e);
      }
    });
  });

  return r;
}

/**
 * The upload refused while it was being read: a request over the size bound is cut off before its total
 * is known, so it is said without a figure ('more than 20 MB sent', not '> 20 MB').
 */
function uploadProblem(key: MessageKey, limit: number): FieldProblem {
  return { key: key === 'error.upload.tooLarge' ? 'error.upload.tooLargeSent' : key, params: { limit, file: '' } };
}
