import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, queryString, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { SERVICES } from '../domain/applications/vocabulary.ts';
import {
  createInstitution,
  getInstitutionRecord,
  listInstitutionRecords,
  updateInstitution,
} from '../domain/institutions/records.ts';
import { readParameterSheet, setAutoApproval, updateParameters } from '../domain/institutions/parameters.ts';
import {
  DEFAULT_PARAMETERS,
  INSTITUTION_FIELDS,
  INTERVAL_DAYS,
  MOBILE_MINUTES,
  PARAMETER_CODES,
  RECORD_LIMITS,
  type FieldProblem,
  type InstitutionInput,
} from '../domain/institutions/vocabulary.ts';

// Inside the back office (after requireStaff), issue 12:
// GET  /institutions                    機關資料管理: every institution (agency administrators)
// GET  /institutions/new                the form for a new one          POST /institutions: add it
// GET  /institutions/:code              the form for one                POST /institutions/:code: save it
// GET  /parameters?institution=         系統參數設定(機關): parameters, 自動審核通過, the last change of each
// POST /parameters                      new parameters for the institution named in the form
// POST /parameters/auto-approval        自動審核通過 on for the services ticked, off for the others

const toMessages = (errors: Partial<Record<string, FieldProblem>>) =>
  Object.fromEntries(Object.entries(errors).map(([k, p]) => [k, p as FieldMessage])) as Record<string, FieldMessage>;

export function institutionRoutes(d: RouteDeps): Router {
  const r = Router();

  // ---- 機關資料管理 ----
  const readRecord = (req: Request): InstitutionInput => formFields(req, INSTITUTION_FIELDS);

  const renderForm = (
    res: Response,
    opts: { creating: boolean; values: InstitutionInput; errors?: Record<string, FieldMessage> },
  ) => {
    const errors = opts.errors ?? {};
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/institution-form', {
      creating: opts.creating,
      values: opts.values,
      limits: RECORD_LIMITS,
      defaults: DEFAULT_PARAMETERS,
      ...errorView(res.locals.t, errors, INSTITUTION_FIELDS),
    });
  };

  r.get('/institutions', allowTask('institutions'), async (req, res) => {
    res.render('backoffice/institutions', {
      institutions: await listInstitutionRecords(d.pool, staffActor(req)),
      notice: takeNotice(req),
    });
  });

  r.get('/institutions/new', allowTask('institutions'), (_req, res) => {
    const values = Object.fromEntries(INSTITUTION_FIELDS.map((f) => [f, ''])) as InstitutionInput;
    renderForm(res, { creating: true, values });
  });

  r.post('/institutions', allowTask('institutions'), async (req, res) => {
    const outcome = await createInstitution(d.pool, staffActor(req), readRecord(req), d.clock());
    if (outcome.kind === 'errors')
      return renderForm(res, { creating: true, values: outcome.value, errors: toMessages(outcome.errors) });
    if (outcome.kind !== 'saved') throw new Error('unexpected outcome');
    setNotice(req, 'institutions.added', { code: outcome.code });
    res.redirect(303, `${BACKOFFICE}/institutions`);
  });

  r.get('/institutions/:code', allowTask('institutions'), async (req, res, next) => {
    const record = await getInstitutionRecord(d.pool, staffActor(req), String(req.params.code));
    if (!record) return next();
    renderForm(res, { creating: false, values: record });
  });

  r.post('/institutions/:code', allowTask('institutions'), async (req, res, next) => {
    const code = String(req.params.code);
    const outcome = await updateInstitution(d.pool, staffActor(req), code, readRecord(req), d.clock());
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'errors')
      return renderForm(res, {
        creating: false,
        values: { ...outcome.value, code },
        errors: toMessages(outcome.errors),
      });
    setNotice(req, outcome.changed.length ? 'institutions.saved' : 'institutions.unchanged', { code });
    res.redirect(303, `${BACKOFFICE}/institutions`);
  });

  // ---- 系統參數設定(機關) ----
  const renderParameters = async (
    req: Request,
    res: Response,
    wanted: unknown,
    extra: { errors?: Record<string, FieldMessage>; entered?: Record<string, string> } = {},
  ) => {
    const allowed = await institutionsFor(d.pool, req);
    const chosen = allowed.find((i) => i.code === wanted) ?? (allowed.length === 1 ? allowed[0]! : null);
    const sheet = chosen ? await readParameterSheet(d.pool, staffActor(req), chosen.code) : null;
    const errors = extra.errors ?? {};
    const current = sheet
      ? Object.fromEntries(PARAMETER_CODES.map((c) => [c, String(sheet.parameters[c])]))
      : ({} as Record<string, string>);
    res.status(Object.keys(errors).length ? 422 : 200).render('backoffice/parameters', {
      allowed,
      institution: sheet ? chosen : null,
      sheet,
      values: extra.entered ?? current,
      codes: PARAMETER_CODES,
      services: SERVICES,
      ranges: { A: MOBILE_MINUTES, C: INTERVAL_DAYS },
      notice: takeNotice(req),
      ...errorView(res.locals.t, errors, PARAMETER_CODES),
    });
  };

  const backToParameters = (res: Response, code: string) =>
    res.redirect(303, `${BACKOFFICE}/parameters?${queryString({ institution: code })}`);

  r.get('/parameters', allowTask('parameters'), (req, res) => renderParameters(req, res, req.query.institution));

  r.post('/parameters', allowTask('parameters'), async (req, res, next) => {
    const code = typeof req.body?.institution === 'string' ? req.body.institution : '';
    const raw = formFields(req, PARAMETER_CODES);
    const outcome = await updateParameters(d.pool, staffActor(req), code, raw, d.clock());
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'errors')
      return renderParameters(req, res, code, { errors: toMessages(outcome.errors), entered: outcome.entered });
    setNotice(
      req,
      outcome.changed.length ? 'parameters.saved' : 'parameters.unchanged',
      outcome.changed.length ? { codes: outcome.changed.join(', ') } : undefined,
    );
    backToParameters(res, code);
  });

  r.post('/parameters/auto-approval', allowTask('parameters'), async (req, res, next) => {
    const code = typeof req.body?.institution === 'string' ? req.body.institution : '';
    const services = ([] as unknown[])
      .concat(req.body?.service ?? [])
      .filter((s): s is string => typeof s === 'string');
    const outcome = await setAutoApproval(d.pool, staffActor(req), code, services, d.clock());
    if (outcome.kind === 'not_found') return next();
    setNotice(req, outcome.changed.length ? 'parameters.autoApprovalSaved' : 'parameters.unchanged');
    backToParameters(res, code);
  });

  return r;
}
