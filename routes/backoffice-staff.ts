import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor, staffOf } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { createStaffAccount, getStaffAccount, listStaffAccounts } from '../domain/staff/accounts.ts';
import { changeStaffRole, sendPasswordLink, setStaffActive, unlockStaffAccount } from '../domain/staff/changes.ts';
import { checkStaffLink, confirmEmailWithLink, setPasswordWithLink } from '../domain/staff/links.ts';
import { changeOwnPassword, requestOwnEmailChange, updateOwnName } from '../domain/staff/profile.ts';
import { REFUSAL_MESSAGE, rolesGivenBy, SET_PASSWORD_LINK_HOURS } from '../domain/staff/vocabulary.ts';
import { parseId } from '../domain/shared/ids.ts';

// Mounted under /backoffice. Before sign-in (the links mailed to staff):
// GET  /password?token=          set a password from a mailed link       POST /password
// GET  /password/done            the password is set: sign in
// GET  /email/confirm?token=     confirm a new address of one's own      POST /email/confirm
// Signed in, 帳號管理 (task staff_accounts):
// GET  /staff                    the accounts in scope, with 已鎖定 / 已停用
// GET  /staff/new                a new account                           POST /staff
// GET  /staff/:id                one account: details and its actions
// POST /staff/:id/disable  /enable  /role  /password-link  /unlock
// Signed in, 基本資料修改 (task own_profile):
// GET  /profile                  own name, e-mail and password
// POST /profile/name  /profile/email  /profile/password
const NEW_ORDER = ['name', 'email', 'account', 'institution', 'role'];
const PASSWORD_ORDER = ['password', 'passwordConfirm'];
const OWN_PASSWORD_ORDER = ['currentPassword', 'password', 'passwordConfirm'];
const tokenOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');

/** The pages a mailed link opens, for someone not signed in. */
export function staffLinkRoutes(d: RouteDeps): Router {
  const r = Router();
  const renderSetPassword = (res: Response, token: string, errors: Record<string, FieldMessage> = {}, status = 200) =>
    res
      .status(status)
      .render('backoffice/staff-password', { token, ...errorView(res.locals.t, errors, PASSWORD_ORDER) });

  r.get('/password', async (req, res) => {
    const token = tokenOf(req.query.token);
    const state = await checkStaffLink(d.pool, token, 'set_password', d.clock());
    if (state !== 'valid') return res.status(410).render('backoffice/staff-link-problem', { state, kind: 'password' });
    renderSetPassword(res, token);
  });

  r.post('/password', async (req, res, next) => {
    const f = formFields(req, ['token', 'password', 'passwordConfirm']);
    const outcome = await setPasswordWithLink(d.pool, { ...f, ip: req.ip ?? null }, d.clock());
    if (outcome.kind === 'errors') return renderSetPassword(res, f.token, outcome.errors, 422);
    if (outcome.kind === 'token')
      return res.status(410).render('backoffice/staff-link-problem', { state: outcome.state, kind: 'password' });
    // Whoever was signed in in this browser is signed out: the next step is signing in with the new password.
    req.session.regenerate((err) => {
      if (err) return next(err);
      res.redirect(303, `${BACKOFFICE}/password/done`);
    });
  });

  r.get('/password/done', (_req, res) => res.render('backoffice/staff-password-done'));

  r.get('/email/confirm', async (req, res) => {
    const token = tokenOf(req.query.token);
    const state = await checkStaffLink(d.pool, token, 'confirm_email', d.clock());
    if (state !== 'valid') return res.status(410).render('backoffice/staff-link-problem', { state, kind: 'email' });
    // A button, not the link itself: mail scanners open links.
    res.render('backoffice/staff-email-confirm', { token, done: null });
  });

  r.post('/email/confirm', async (req, res) => {
    const { token } = formFields(req, ['token']);
    const outcome = await confirmEmailWithLink(d.pool, token, req.ip ?? null, d.clock());
    if (outcome.kind === 'token')
      return res.status(410).render('backoffice/staff-link-problem', { state: outcome.state, kind: 'email' });
    if (outcome.kind === 'taken')
      return res.status(409).render('backoffice/staff-link-problem', { state: 'taken', kind: 'email' });
    res.render('backoffice/staff-email-confirm', { token: '', done: outcome.email });
  });
  return r;
}

/** 帳號管理 and 基本資料修改, for signed-in staff (mounted after requireStaff). */
export function staffAccountRoutes(d: RouteDeps): Router {
  const r = Router();
  const lockLimit = d.limits.staffSignInPerAccount[0];
  const manage = allowTask('staff_accounts');
  const profile = allowTask('own_profile');

  r.get('/staff', manage, async (req, res) => {
    const actor = staffActor(req);
    const institutions = await institutionsFor(d.pool, req);
    const wanted = typeof req.query.institution === 'string' ? req.query.institution : '';
    const institutionCode = institutions.some((i) => i.code === wanted) ? wanted : null;
    const accounts = await listStaffAccounts(d.pool, actor, { institutionCode }, lockLimit);
    res.render('backoffice/staff', {
      accounts,
      institutions,
      institutionCode,
      institutionName: (code: string | null) => institutions.find((i) => i.code === code)?.name ?? '',
      notice: takeNotice(req),
    });
  });

  const renderNew = async (req: Request, res: Response, values: Record<string, string>, errors = {}, status = 200) =>
    res.status(status).render('backoffice/staff-new', {
      values,
      roles: rolesGivenBy(staffOf(req).role),
      institutions: await institutionsFor(d.pool, req),
      linkHours: SET_PASSWORD_LINK_HOURS,
      ...errorView(res.locals.t, errors, NEW_ORDER, { role: 'role-reviewer' }),
    });

  r.get('/staff/new', manage, (req, res) =>
    renderNew(req, res, { role: 'reviewer', institution: staffActor(req).institutionCode ?? '' }),
  );

  r.post('/staff', manage, async (req, res) => {
    const f = formFields(req, ['name', 'email', 'account', 'institution', 'role']);
    const outcome = await createStaffAccount(d.pool, staffActor(req), f, {
      now: d.clock(),
      publicUrl: d.config.publicUrl,
      locale: req.locale,
    });
    if (!outcome.ok) return renderNew(req, res, f, outcome.errors, 422);
    setNotice(req, 'staff.notice.created', { email: f.email.trim() });
    res.redirect(303, `${BACKOFFICE}/staff/${outcome.id}`);
  });

  const renderAccount = async (
    req: Request,
    res: Response,
    next: NextFunction,
    extra: { values?: Record<string, string>; errors?: Record<string, FieldMessage>; status?: number } = {},
  ) => {
    const id = parseId(req.params.id);
    const account = id === null ? null : await getStaffAccount(d.pool, staffActor(req), id, lockLimit);
    if (!account) return next();
    res.status(extra.status ?? 200).render('backoffice/staff-show', {
      account,
      self: account.id === staffOf(req).id,
      roles: rolesGivenBy(staffOf(req).role),
      institutions: await institutionsFor(d.pool, req),
      values: extra.values ?? { role: account.role, institution: account.institutionCode ?? '' },
      notice: takeNotice(req),
      ...errorView(res.locals.t, extra.errors ?? {}, ['change', 'role', 'institution'], { role: 'role-reviewer' }),
    });
  };

  r.get('/staff/:id', manage, (req, res, next) => renderAccount(req, res, next).catch(next));

  /** One change on an account's page: done → back to it with a notice; refused → the page with the reason. */
  const change =
    (run: (req: Request, id: number) => Promise<string | { errors: Record<string, FieldMessage> }>, done: string) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const id = parseId(req.params.id);
      if (id === null) return next();
      const outcome = await run(req, id);
      if (outcome === 'notFound') return next();
      if (outcome === 'ok') {
        setNotice(req, done as never);
        return res.redirect(303, `${BACKOFFICE}/staff/${id}`);
      }
      if (typeof outcome === 'object')
        return renderAccount(req, res, next, {
          values: formFields(req, ['role', 'institution']),
          errors: outcome.errors,
          status: 422,
        });
      const key = REFUSAL_MESSAGE[outcome as keyof typeof REFUSAL_MESSAGE];
      await renderAccount(req, res, next, { errors: { change: key }, status: 409 });
    };

  r.post(
    '/staff/:id/disable',
    manage,
    change((req, id) => setStaffActive(d.pool, staffActor(req), id, false, d.clock()), 'staff.notice.disabled'),
  );
  r.post(
    '/staff/:id/enable',
    manage,
    change((req, id) => setStaffActive(d.pool, staffActor(req), id, true, d.clock()), 'staff.notice.enabled'),
  );
  r.post(
    '/staff/:id/role',
    manage,
    change(
      (req, id) => changeStaffRole(d.pool, staffActor(req), id, formFields(req, ['role', 'institution']), d.clock()),
      'staff.notice.roleChanged',
    ),
  );
  r.post(
    '/staff/:id/password-link',
    manage,
    change(
      (req, id) => sendPasswordLink(d.pool, staffActor(req), id, { now: d.clock(), publicUrl: d.config.publicUrl }),
      'staff.notice.linkSent',
    ),
  );
  r.post(
    '/staff/:id/unlock',
    manage,
    change((req, id) => unlockStaffAccount(d.pool, staffActor(req), id, lockLimit, d.clock()), 'staff.notice.unlocked'),
  );

  // ---- 基本資料修改 ----
  const renderProfile = (
    req: Request,
    res: Response,
    extra: { values?: Record<string, string>; errors?: Record<string, FieldMessage>; status?: number } = {},
  ) => {
    const me = staffOf(req);
    res.status(extra.status ?? 200).render('backoffice/profile', {
      me,
      values: { name: me.name, email: '', ...extra.values },
      notice: takeNotice(req),
      ...errorView(res.locals.t, extra.errors ?? {}, ['name', 'email', ...OWN_PASSWORD_ORDER]),
    });
  };

  r.get('/profile', profile, (req, res) => renderProfile(req, res));

  r.post('/profile/name', profile, async (req, res) => {
    const { name } = formFields(req, ['name']);
    const outcome = await updateOwnName(d.pool, staffActor(req), name, d.clock());
    if (!outcome.ok) return renderProfile(req, res, { values: { name }, errors: outcome.errors, status: 422 });
    setNotice(req, 'staff.notice.nameSaved');
    res.redirect(303, `${BACKOFFICE}/profile`);
  });

  r.post('/profile/email', profile, async (req, res) => {
    const { email } = formFields(req, ['email']);
    const outcome = await requestOwnEmailChange(d.pool, staffActor(req), email, {
      now: d.clock(),
      publicUrl: d.config.publicUrl,
      locale: req.locale,
    });
    if (!outcome.ok) return renderProfile(req, res, { values: { email }, errors: outcome.errors, status: 422 });
    setNotice(req, 'staff.notice.emailSent', { email: outcome.email });
    res.redirect(303, `${BACKOFFICE}/profile`);
  });

  r.post('/profile/password', profile, async (req, res) => {
    const f = formFields(req, ['currentPassword', 'password', 'passwordConfirm']);
    const outcome = await changeOwnPassword(d.pool, staffActor(req), f, req.sessionID, d.clock());
    if (!outcome.ok) return renderProfile(req, res, { errors: outcome.errors, status: 422 });
    setNotice(req, 'staff.notice.passwordChanged');
    res.redirect(303, `${BACKOFFICE}/profile`);
  });
  return r;
}
