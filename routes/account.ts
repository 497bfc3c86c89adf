import { Router, type Request, type Response, type NextFunction } from 'express';
import type { Passport } from 'passport';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, safeReturn, type FieldMessage } from './forms.ts';
import { applicantSignInCounters, limiters } from './middleware/rate-limits.ts';
import { APPLICANT_STRATEGY, requireApplicant } from './middleware/authentication.ts';
import { settleLocaleAtSignIn } from './middleware/locale.ts';
import { clearSessionCookie } from './middleware/session-cookies.ts';
import { changePassword, getApplicant, setLocale, updateContact } from '../domain/applicants/accounts.ts';
import {
  checkResetToken,
  checkSignInLink,
  mailSignInLink,
  queueLinkRequest,
  resetPassword,
  useSignInLink,
  verifyEmail,
} from '../domain/applicants/links.ts';
import {
  SIGN_IN_LINK_MINUTES,
  normalizeEmail,
  type ContactField,
  type FieldErrors,
  type PasswordField,
} from '../domain/applicants/vocabulary.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';
import { latestCorrectionRequest, submitCorrectionRequest } from '../domain/applicants/correction-requests.ts';
import { CORRECTION_REASON_MAX } from '../domain/applicants/corrections.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';

// GET  /signin                   sign-in form            POST /signin
// POST /signout                  sign out (POST only)
// GET  /account/signin-link?token= the mailed sign-in link (account over its failure limit)   POST: signs in
// GET  /account/verify?token=    follows the verification link
// GET  /account/verify/resend    asks for a new link     POST /account/verify/resend
// GET  /account/forgot           forgotten password      POST /account/forgot
// GET  /account/reset?token=     new password form       POST /account/reset
// GET  /account                  the applicant's page
// GET  /account/profile          修改個人資料            POST /account/profile
// POST /account/profile/correction 申請更正基本資料 (name, ID number, birthday; one open request at a time)
// GET  /account/password         change password         POST /account/password
const PASSWORD_ORDER: readonly PasswordField[] = ['currentPassword', 'password', 'passwordConfirm'];
const EMAIL_RE = /^[^@\s]+@[^@\s]+$/;

export function accountRoutes(d: RouteDeps, passport: InstanceType<typeof Passport>): Router {
  const r = Router();
  const limit = limiters(d.pool, d.limits);
  const counters = applicantSignInCounters(d.pool, d.limits);

  // ---- sign in / out ----
  const renderSignIn = (
    req: Request,
    res: Response,
    opts: { email?: string; error?: MessageKey; emailError?: MessageKey; status?: number } = {},
  ) => {
    const errorList = [];
    if (opts.emailError) errorList.push({ field: 'email', href: '#email', text: res.locals.t(opts.emailError) });
    if (opts.error) errorList.push({ field: 'email', href: '#email', text: res.locals.t(opts.error) });
    res.status(opts.status ?? 200).render('account/signin', {
      email: opts.email ?? '',
      returnTo: safeReturn(req.query.return ?? req.body?.return),
      errorList,
      fieldErrors: { email: opts.emailError ? res.locals.t(opts.emailError) : undefined },
      notice: takeNotice(req),
    });
  };

  r.get('/signin', (req, res) => (req.user ? res.redirect(303, '/account') : renderSignIn(req, res)));

  /** Signs the applicant in (passport 0.7 regenerates the session: an id fixed before is worthless). */
  const signIn = (req: Request, res: Response, next: NextFunction, user: Express.User, returnTo: string) => {
    const chosenBefore = req.session.chosenLocale;
    req.login(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      settleLocaleAtSignIn(res, d, user.applicant.locale, chosenBefore, (locale) =>
        setLocale(d.pool, user.applicant.id, locale),
      ).then(() => res.redirect(303, returnTo), next);
    });
  };

  r.post('/signin', counters.guard, (req: Request, res: Response, next: NextFunction) => {
    const email = normalizeEmail(String(req.body?.email ?? ''));
    const password = String(req.body?.password ?? '');
    if (email === '' || password === '') {
      return renderSignIn(req, res, {
        email,
        emailError: email === '' ? 'error.signin.emailRequired' : undefined,
        error: password === '' ? 'error.signin.passwordRequired' : undefined,
        status: 422,
      });
    }
    passport.authenticate(
      APPLICANT_STRATEGY,
      async (err: unknown, user: Express.User | false, info?: { message?: string }) => {
        try {
          if (err) return next(err);
          // Disabled by staff: only the right password learns it, and whom to ask.
          if (!user && info?.message === 'disabled')
            return renderSignIn(req, res, { email, error: 'error.signin.disabled', status: 403 });
          // Closed at the family's own request: said as such, not as staff having disabled it.
          if (!user && info?.message === 'closed')
            return renderSignIn(req, res, { email, error: 'error.signin.closed', status: 403 });
          // Over its failure limit across addresses the account is refused to nobody, and tells nobody
          // whether a password was right: every try gets the same page, and only the right password mails
          // the owner a one-time link (one in force at a time), which is what signs in.
          if (await counters.accountOverLimit(req)) {
            if (user) {
              await mailSignInLink(d.pool, user.applicant.id, { now: d.clock(), publicUrl: d.config.publicUrl });
            } else await counters.failed(req);
            return res.render('account/signin-link-sent', { minutes: SIGN_IN_LINK_MINUTES });
          }
          if (!user) {
            if (info?.message === 'unverified') return res.status(403).render('account/unverified', { email });
            await counters.failed(req);
            return renderSignIn(req, res, { email, error: 'error.signin.invalid', status: 401 });
          }
          await counters.succeeded(req);
          signIn(req, res, next, user, safeReturn(req.body?.return));
        } catch (e) {
          next(e);
        }
      },
    )(req, res, next);
  });

  r.get('/account/signin-link', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const state = await checkSignInLink(d.pool, token, d.clock());
    // A page with a button rather than signing in on GET: mail scanners that open every link would
    // otherwise use the link up (and sign themselves in) before the person gets to it.
    res.status(state === 'valid' ? 200 : 410).render('account/signin-link', { state, token });
  });

  r.post('/account/signin-link', async (req, res, next) => {
    const { token } = formFields(req, ['token']);
    const used = await useSignInLink(d.pool, token, d.clock());
    const applicant = used.state === 'valid' ? await getApplicant(d.pool, used.applicantId) : null;
    if (used.state !== 'valid' || !applicant)
      return res.status(410).render('account/signin-link', { state: used.state === 'valid' ? 'invalid' : used.state });
    signIn(req, res, next, { kind: 'applicant', applicant }, '/account');
  });

  r.post('/signout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        clearSessionCookie(res, d.config.secureCookies, 'portal');
        res.redirect(303, '/');
      });
    });
  });

  // ---- verification ----
  r.get('/account/verify', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const state = await verifyEmail(d.pool, token, d.clock());
    res.status(state === 'valid' ? 200 : 410).render('account/verified', { state });
  });

  const renderEmailForm = (res: Response, view: string, email = '', error?: MessageKey, status = 200) => {
    res.status(status).render(view, { email, ...errorView(res.locals.t, { email: error }, ['email']) });
  };
  const emailFrom = (req: Request) => normalizeEmail(String(req.body?.email ?? ''));
  const emailError = (email: string): MessageKey | undefined =>
    email === '' ? 'error.email.required' : EMAIL_RE.test(email) ? undefined : 'error.email.format';

  r.get('/account/verify/resend', (req, res) =>
    renderEmailForm(res, 'account/resend', typeof req.query.email === 'string' ? req.query.email : ''),
  );
  /**
   * Queues the link request and says it was sent. The request does the same work for every address
   * (one job); whether there is an account, and the mail, are the worker's business.
   */
  const mailLinkRoute = (view: string, kind: 'verify' | 'reset') => async (req: Request, res: Response) => {
    const email = emailFrom(req);
    const error = emailError(email);
    if (error) return renderEmailForm(res, view, email, error, 422);
    const purpose = kind === 'verify' ? 'verify_email' : 'reset_password';
    await queueLinkRequest(d.pool, { email, purpose, publicUrl: d.config.publicUrl });
    res.render('account/link-sent', { email, kind });
  };
  r.post('/account/verify/resend', ...limit.mail, mailLinkRoute('account/resend', 'verify'));

  // ---- forgotten password ----
  r.get('/account/forgot', (_req, res) => renderEmailForm(res, 'account/forgot'));
  r.post('/account/forgot', ...limit.mail, mailLinkRoute('account/forgot', 'reset'));

  const renderReset = (res: Response, token: string, errors: FieldErrors<PasswordField> = {}, status = 200) =>
    res.status(status).render('account/reset', { token, ...errorView(res.locals.t, errors, PASSWORD_ORDER) });

  r.get('/account/reset', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const state = await checkResetToken(d.pool, token, d.clock());
    if (state !== 'valid') return res.status(410).render('account/reset-problem', { state });
    renderReset(res, token);
  });

  r.post('/account/reset', async (req, res, next) => {
    const { token, password, passwordConfirm } = formFields(req, ['token', 'password', 'passwordConfirm']);
    const outcome = await resetPassword(d.pool, token, password, passwordConfirm, d.clock());
    if (outcome.kind === 'errors') return renderReset(res, token, outcome.errors, 422);
    if (outcome.kind === 'token') return res.status(410).render('account/reset-problem', { state: outcome.state });
    // Any session open in this browser ended with the reset; start clean and say so on the sign-in page.
    req.session.regenerate((err) => {
      if (err) return next(err);
      setNotice(req, 'notice.passwordReset');
      res.redirect(303, '/signin');
    });
  });

  // ---- the signed-in applicant ----
  r.get('/account', requireApplicant, (req, res) => res.render('account/home', { notice: takeNotice(req) }));

  const CORRECTION_FIELDS = ['name', 'nationalId', 'birthYear', 'birthMonth', 'birthDay', 'reason'] as const;
  type CorrectionForm = { values: Record<string, string>; errors: Partial<Record<string, FieldMessage>> };
  const renderProfile = async (
    req: Request,
    res: Response,
    values?: { mobile: string; phone: string },
    errors: FieldErrors<ContactField> = {},
    status = 200,
    correction?: CorrectionForm,
  ) => {
    const a = req.user!.applicant;
    const contact = errorView(res.locals.t, errors, ['mobile', 'phone']);
    const asked = errorView(res.locals.t, correction?.errors ?? {}, ['name', 'nationalId', 'birthday', 'reason'], {
      birthday: 'birthYear',
    });
    res.status(status).render('account/profile', {
      values: values ?? { mobile: a.mobile ?? '', phone: a.phone ?? '' },
      notice: takeNotice(req),
      ...contact,
      errorList: [...contact.errorList, ...asked.errorList],
      correction: await latestCorrectionRequest(d.pool, a.id),
      correctionValues: correction?.values ?? {},
      correctionErrors: asked.fieldErrors,
      reasonMax: CORRECTION_REASON_MAX,
    });
  };

  r.get('/account/profile', requireApplicant, (req, res) => renderProfile(req, res));
  r.post('/account/profile', requireApplicant, async (req, res) => {
    // Only these two fields are read: name, ID, e-mail and birthday in a forged form are ignored.
    const values = formFields(req, ['mobile', 'phone']);
    const result = await updateContact(d.pool, req.user!.applicant.id, values);
    if (!result.ok) return renderProfile(req, res, values, result.errors, 422);
    setNotice(req, 'notice.profileSaved');
    res.redirect(303, '/account/profile');
  });

  // 申請更正基本資料: name, ID number and birthday change only through the institution, on request.
  r.post('/account/profile/correction', requireApplicant, async (req, res) => {
    const values = formFields(req, CORRECTION_FIELDS);
    const outcome = await submitCorrectionRequest(d.pool, req.user!.applicant.id, values, d.clock());
    if (outcome.kind === 'errors')
      return renderProfile(req, res, undefined, {}, 422, { values, errors: outcome.errors });
    setNotice(req, outcome.kind === 'submitted' ? 'notice.correctionSent' : 'notice.correctionOpen');
    res.redirect(303, '/account/profile');
  });

  const renderPassword = (res: Response, errors: FieldErrors<PasswordField> = {}, status = 200) =>
    res.status(status).render('account/password', errorView(res.locals.t, errors, PASSWORD_ORDER));

  r.get('/account/password', requireApplicant, (_req, res) => renderPassword(res));
  r.post('/account/password', requireApplicant, async (req, res) => {
    const input = formFields(req, ['currentPassword', 'password', 'passwordConfirm']);
    const result = await changePassword(d.pool, req.user!.applicant.id, input, req.session.id);
    if (!result.ok) return renderPassword(res, result.errors, 422);
    setNotice(req, 'notice.passwordChanged');
    res.redirect(303, '/account/profile');
  });

  return r;
}
