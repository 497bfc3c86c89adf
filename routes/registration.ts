import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields } from './forms.ts';
import { limiters } from './middleware/rate-limits.ts';
import { register, validateRegistration, type RegistrationField } from '../domain/applicants/registration.ts';
import { queueLinkRequest } from '../domain/applicants/links.ts';
import { type FieldErrors } from '../domain/applicants/vocabulary.ts';

declare module 'express-session' {
  interface SessionData {
    /** When the visitor ticked the privacy notice consent (ISO time); needed to register. */
    consentAt?: string;
    /** The address just registered, for the "check your e-mail" page. */
    registeredEmail?: string;
  }
}

// GET  /register               privacy notice + consent (個人資料蒐集告知聲明)
// POST /register               records the consent, then the form
// GET  /register/details       the registration form (only after consent)
// POST /register/details       creates the account and mails the verification link
// GET  /register/check-email   "we sent you a link"
const FIELDS = [
  'name',
  'nationalId',
  'email',
  'birthYear',
  'birthMonth',
  'birthDay',
  'mobile',
  'phone',
  'password',
  'passwordConfirm',
] as const;
const ERROR_ORDER: readonly RegistrationField[] = [
  'name',
  'nationalId',
  'email',
  'birthday',
  'mobile',
  'phone',
  'password',
  'passwordConfirm',
];

export function registrationRoutes(d: RouteDeps): Router {
  const r = Router();
  const limit = limiters(d.pool, d.limits);

  const signedInGoesToAccount = (req: Request, res: Response, next: () => void) =>
    req.user ? res.redirect(303, '/account') : next();

  r.get('/register', signedInGoesToAccount, (_req, res) =>
    res.render('registration/consent', { consentError: null, errorList: [] }),
  );

  r.post('/register', signedInGoesToAccount, (req, res) => {
    if (req.body?.consent !== 'yes') {
      const consentError = res.locals.t('error.consent.required');
      res.status(422).render('registration/consent', {
        consentError,
        errorList: [{ field: 'consent', href: '#consent', text: consentError }],
      });
      return;
    }
    req.session.consentAt = d.clock().toISOString();
    res.redirect(303, '/register/details');
  });

  const renderForm = (
    res: Response,
    values: Record<string, string>,
    errors: FieldErrors<RegistrationField> = {},
    status = 200,
  ) => {
    // Passwords are never sent back to the browser.
    const kept = { ...values, password: '', passwordConfirm: '' };
    const anchors = { birthday: 'birthYear' };
    res
      .status(status)
      .render('registration/details', { values: kept, ...errorView(res.locals.t, errors, ERROR_ORDER, anchors) });
  };

  r.get('/register/details', signedInGoesToAccount, (req, res) => {
    if (!req.session.consentAt) return res.redirect(303, '/register');
    renderForm(res, {});
  });

  r.post('/register/details', signedInGoesToAccount, ...limit.register, async (req, res) => {
    if (!req.session.consentAt) return res.redirect(303, '/register');
    const input = formFields(req, FIELDS);
    const now = d.clock();
    const checked = validateRegistration(input, now);
    if (!checked.ok) return renderForm(res, input, checked.errors, 422);
    // A new account, an address that already had one and an ID number that already had one look the same
    // from here: the owner's mail says which, so nobody can probe the form for accounts.
    await register(d.pool, checked.value, {
      now,
      publicUrl: d.config.publicUrl,
      locale: req.locale,
      consentAt: new Date(req.session.consentAt),
    });
    delete req.session.consentAt;
    req.session.registeredEmail = checked.value.email;
    res.redirect(303, '/register/check-email');
  });

  r.get('/register/check-email', (req, res) => {
    const email = req.session.registeredEmail;
    if (!email) return res.redirect(303, '/register');
    res.render('registration/check-email', { email });
  });

  // The "send the link again" button on that page.
  r.post('/register/check-email', ...limit.mail, async (req, res) => {
    const email = req.session.registeredEmail;
    if (!email) return res.redirect(303, '/register');
    await queueLinkRequest(d.pool, { email, purpose: 'verify_email', publicUrl: d.config.publicUrl });
    res.render('registration/check-email', { email, resent: true });
  });

  return r;
}
