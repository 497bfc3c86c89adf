import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import {
  disableAccount,
  enableAccount,
  resendVerification,
  unlockSignIn,
} from '../domain/applicants/account-controls.ts';
import {
  decideCorrectionRequest,
  getCorrectionRequest,
  listCorrectionRequests,
} from '../domain/applicants/correction-requests.ts';
import { CORRECTION_REASON_MAX, correctIdentity } from '../domain/applicants/corrections.ts';
import { getFamilyRecord, searchFamilies, SEARCH_MAX } from '../domain/applicants/family-records.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';
import { parseId } from '../domain/shared/ids.ts';

// Inside the back office (after requireStaff), 家屬資料查詢修改 (task family_data):
// GET  /families?q=                         search by name, ID number, e-mail or mobile; the correction requests
// GET  /families/requests/:id               one correction request: asked for against now
// POST /families/requests/:id/decision      accept (applies it) or refuse with a reason
// GET  /families/:id                        one applicant: account state, services, bookings, posts in scope
// POST /families/:id/identity               correct name, ID number, birthday with a reason
// POST /families/:id/verification           mail the verification link again
// POST /families/:id/unlock                 clear the sign-in failure count
// POST /families/:id/disable                disable with a reason        POST /families/:id/enable: enable again
const BASE = `${BACKOFFICE}/families`;
const IDENTITY_ORDER = ['name', 'nationalId', 'birthday', 'reason'] as const;
const IDENTITY_FIELDS = ['name', 'nationalId', 'birthYear', 'birthMonth', 'birthDay', 'reason'] as const;

type PageExtra = {
  status?: number;
  identity?: { values: Record<string, string>; errors: Record<string, FieldMessage> };
  disable?: { values: Record<string, string>; errors: Record<string, FieldMessage> };
};

export function familyRoutes(d: RouteDeps): Router {
  const r = Router();
  r.use('/families', allowTask('family_data'));

  r.get('/families', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, SEARCH_MAX) : '';
    const actor = staffActor(req);
    const result = await searchFamilies(d.pool, actor, q, d.clock());
    const requests = await listCorrectionRequests(d.pool, actor);
    res.render('backoffice/families', { q, result, requests, notice: takeNotice(req) });
  });

  // ---- correction requests ----
  const renderRequest = async (
    req: Request,
    res: Response,
    next: NextFunction,
    extra: { status?: number; values?: Record<string, string>; errors?: Record<string, FieldMessage> } = {},
  ) => {
    const id = parseId(req.params.id);
    const request = id === null ? null : await getCorrectionRequest(d.pool, staffActor(req), id);
    if (!request) return next();
    res.status(extra.status ?? 200).render('backoffice/family-request', {
      request,
      reasonMax: CORRECTION_REASON_MAX,
      values: extra.values ?? {},
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'nationalId', 'reason'], {
        decision: 'decision-accept',
        nationalId: 'decision-accept',
      }),
    });
  };

  r.get('/families/requests/:id', (req, res, next) => renderRequest(req, res, next).catch(next));

  r.post('/families/requests/:id/decision', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const values = formFields(req, ['decision', 'reason']);
    if (values.decision !== 'accept' && values.decision !== 'refuse')
      return renderRequest(req, res, next, { status: 422, values, errors: { decision: 'error.family.decision' } });
    const outcome = await decideCorrectionRequest(
      d.pool,
      staffActor(req),
      id,
      values.decision === 'accept' ? { decision: 'accept' } : { decision: 'refuse', reason: values.reason },
      d.clock(),
    );
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'already_decided')
      return renderRequest(req, res, next, { status: 409, errors: { decision: 'error.family.alreadyDecided' } });
    if (outcome.kind === 'errors')
      return renderRequest(req, res, next, { status: 422, values, errors: outcome.errors });
    setNotice(req, outcome.kind === 'accepted' ? 'family.notice.requestAccepted' : 'family.notice.requestRefused');
    res.redirect(303, BASE);
  });

  // ---- one applicant ----
  const renderFamily = async (req: Request, res: Response, next: NextFunction, extra: PageExtra = {}) => {
    const id = parseId(req.params.id);
    const family =
      id === null
        ? null
        : await getFamilyRecord(d.pool, staffActor(req), id, {
            locale: req.locale,
            signInLimit: d.limits.signInPerEmail[0],
          });
    if (!family) return next();
    const [year, month, day] = family.birthday.split('-');
    const identity = errorView(res.locals.t, extra.identity?.errors ?? {}, IDENTITY_ORDER, { birthday: 'birthYear' });
    const disable = errorView(res.locals.t, extra.disable?.errors ?? {}, ['reason'], { reason: 'disableReason' });
    res.status(extra.status ?? 200).render('backoffice/family', {
      family,
      notice: takeNotice(req),
      reasonMax: CORRECTION_REASON_MAX,
      identityValues: extra.identity?.values ?? {
        name: family.name,
        nationalId: family.nationalId,
        birthYear: year,
        birthMonth: String(Number(month)),
        birthDay: String(Number(day)),
        reason: '',
      },
      identityErrors: identity.fieldErrors,
      disableValues: extra.disable?.values ?? { reason: '' },
      disableErrors: disable.fieldErrors,
      errorList: [...identity.errorList, ...disable.errorList],
    });
  };

  r.get('/families/:id', (req, res, next) => renderFamily(req, res, next).catch(next));

  r.post('/families/:id/identity', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const values = formFields(req, IDENTITY_FIELDS);
    const outcome = await correctIdentity(d.pool, staffActor(req), id, values, d.clock());
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'errors')
      return renderFamily(req, res, next, { status: 422, identity: { values, errors: outcome.errors } });
    done(req, res, id, 'family.notice.corrected');
  });

  const done = (req: Request, res: Response, id: number, key: MessageKey) => {
    setNotice(req, key);
    res.redirect(303, `${BASE}/${id}`);
  };

  r.post('/families/:id/verification', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const outcome = await resendVerification(d.pool, staffActor(req), id, {
      now: d.clock(),
      publicUrl: d.config.publicUrl,
    });
    if (outcome.kind === 'not_found') return next();
    const notice = {
      sent: 'family.notice.verificationSent',
      already_verified: 'family.notice.alreadyVerified',
      expired: 'family.notice.expired',
    } as const;
    done(req, res, id, notice[outcome.kind]);
  });

  r.post('/families/:id/unlock', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const outcome = await unlockSignIn(d.pool, staffActor(req), id, d.clock());
    if (outcome.kind === 'not_found') return next();
    done(req, res, id, 'family.notice.unlocked');
  });

  r.post('/families/:id/disable', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const values = formFields(req, ['reason']);
    const outcome = await disableAccount(d.pool, staffActor(req), id, values.reason, d.clock());
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'errors')
      return renderFamily(req, res, next, { status: 422, disable: { values, errors: outcome.errors } });
    done(req, res, id, outcome.kind === 'disabled' ? 'family.notice.disabled' : 'family.notice.alreadyDisabled');
  });

  r.post('/families/:id/enable', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const outcome = await enableAccount(d.pool, staffActor(req), id, d.clock());
    if (outcome.kind === 'not_found') return next();
    done(req, res, id, outcome.kind === 'enabled' ? 'family.notice.enabled' : 'family.notice.notDisabled');
  });

  return r;
}
