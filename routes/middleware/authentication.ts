import type { Express, Request, Response, NextFunction, RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { RouteDeps } from '../deps.ts';
import { type Applicant, authenticate } from '../../domain/applicants/accounts.ts';
import { signedInApplicant, type SignedIn, type UsableServices } from '../../domain/applications/status.ts';
import { getStaffMember, type StaffMember } from '../../domain/staff.ts';
import { BACKOFFICE, byArea } from './area.ts';
import { tasksOf } from '../../domain/shared/staff-actor.ts';

type SessionUser = { kind: 'applicant'; id: number };

declare global {
  namespace Express {
    interface User {
      kind: 'applicant';
      applicant: Applicant;
      /** Read with the applicant on each request (one statement); absent on the sign-in request itself. */
      usable?: UsableServices;
    }
  }
}

export const APPLICANT_STRATEGY = 'applicant-local';

/**
 * The applicant read with the session itself (routes/app.ts, one statement), keyed by the session's
 * stored user object, which passport hands to deserializeUser: that request needs no query of its own.
 */
export const preloadedApplicants = new WeakMap<object, SignedIn>();

/**
 * Sessions carry { kind, id }; the applicant is read afresh on each request. Each app has its own
 * Passport instance (not the module's shared one), so its strategies and pool are its own.
 * Returns both instances for the sign-in routes; the back office has its own (see setUpStaffAuthentication).
 */
export function setUpAuthentication(
  app: Express,
  d: RouteDeps,
): { passport: InstanceType<typeof Passport>; staffPassport: InstanceType<typeof Passport> } {
  const passport = new Passport();
  passport.use(
    APPLICANT_STRATEGY,
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(d.pool, email, password).then(
        (outcome) => {
          if (outcome.kind === 'ok') done(null, { kind: 'applicant', applicant: outcome.applicant });
          else
            done(null, false, {
              message: outcome.kind,
              ...(outcome.kind === 'unverified' ? { email: outcome.applicant.email } : {}),
            } as never);
        },
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, { kind: user.kind, id: user.applicant.id } satisfies SessionUser));
  passport.deserializeUser((stored: SessionUser, done) => {
    if (stored?.kind !== 'applicant') return done(null, false);
    const preloaded = preloadedApplicants.get(stored);
    if (preloaded) {
      preloadedApplicants.delete(stored);
      return done(null, { kind: 'applicant', ...preloaded });
    }
    signedInApplicant(d.pool, stored.id).then(
      (found) => done(null, found ? { kind: 'applicant', ...found } : false),
      done,
    );
  });
  const staff = setUpStaffAuthentication(d);
  const chain =
    (handlers: RequestHandler[]): RequestHandler =>
    (req, res, next) => {
      let i = 0;
      const step = (err?: unknown) => (err ? next(err) : i < handlers.length ? handlers[i++]!(req, res, step) : next());
      step();
    };
  const applicantExpose: RequestHandler = (req, res, next) => {
    res.locals.applicant = req.user?.kind === 'applicant' ? req.user.applicant : null;
    // A shared kiosk must not show the last family's pages from the cache after signing out.
    if (req.user) res.set('Cache-Control', 'no-store');
    next();
  };
  app.use(byArea(chain([passport.initialize(), passport.session(), applicantExpose]), chain(staff.middleware)));
  return { passport, staffPassport: staff.passport };
}

/** Pages for signed-in applicants: others are sent to sign in and brought back afterwards. */
export function requireApplicant(req: Request, res: Response, next: NextFunction): void {
  if (req.user?.kind === 'applicant') return next();
  const back = req.method === 'GET' ? req.originalUrl : '/account';
  const signIn = `/signin?return=${encodeURIComponent(back)}`;
  // htmx would swap the sign-in page into a fragment: ask it to load the page instead.
  if (req.get('HX-Request')) {
    res.set('HX-Redirect', signIn).status(401).end();
    return;
  }
  res.redirect(303, signIn);
}

declare global {
  namespace Express {
    interface Request {
      /** The signed-in staff member, set only under the back office (Passport's userProperty). */
      staffMember?: StaffMember;
    }
  }
}

/**
 * The back office's own Passport instance. It keeps the staff member on `req.staffMember`, never on
 * `req.user`, so no applicant check can ever be satisfied by a staff session or the other way round.
 * The password check happens in the sign-in route, after the captcha; this instance only keeps the session.
 */
export function setUpStaffAuthentication(d: RouteDeps): {
  passport: InstanceType<typeof Passport>;
  middleware: RequestHandler[];
} {
  const passport = new Passport();
  passport.serializeUser((staff: Express.User, done) =>
    done(null, { kind: 'staff', id: (staff as unknown as StaffMember).id }),
  );
  passport.deserializeUser((stored: { kind?: string; id?: number }, done) => {
    if (stored?.kind !== 'staff' || typeof stored.id !== 'number') return done(null, false);
    getStaffMember(d.pool, stored.id).then((staff) => done(null, (staff ?? false) as never), done);
  });
  const expose: RequestHandler = (req, res, next) => {
    res.locals.staffMember = req.staffMember ?? null;
    // The menu shows only what the role can use.
    res.locals.staffTasks = req.staffMember ? tasksOf(req.staffMember.role) : [];
    res.locals.backoffice = true;
    res.locals.applicant = null;
    // Staff pages show personal data and documents: never cached, never framed.
    res.set('Cache-Control', 'no-store');
    next();
  };
  return { passport, middleware: [passport.initialize({ userProperty: 'staffMember' }), passport.session(), expose] };
}

/** Back-office pages: anyone else is sent to the staff sign-in and brought back afterwards. */
export function requireStaff(req: Request, res: Response, next: NextFunction): void {
  if (req.staffMember) return next();
  const back = req.method === 'GET' ? req.originalUrl : BACKOFFICE;
  const signIn = `${BACKOFFICE}/signin?return=${encodeURIComponent(back)}`;
  if (req.get('HX-Request')) {
    res.set('HX-Redirect', signIn).status(401).end();
    return;
  }
  res.redirect(303, signIn);
}
