import type { Express, Request, Response, NextFunction } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { RouteDeps } from '../app.ts';
import { type Applicant, authenticate, getApplicant } from '../../domain/applicants.ts';

type SessionUser = { kind: 'applicant'; id: number };

declare global {
  namespace Express {
    interface User {
      kind: 'applicant';
      applicant: Applicant;
    }
  }
}

export const APPLICANT_STRATEGY = 'applicant-local';

/**
 * Sessions carry { kind, id }; the applicant is read afresh on each request. Each app has its own
 * Passport instance (not the module's shared one), so its strategies and pool are its own.
 * Returns that instance for the sign-in route.
 */
export function setUpAuthentication(app: Express, d: RouteDeps): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    APPLICANT_STRATEGY,
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(d.pool, email, password).then(
        (outcome) => {
          if (outcome.kind === 'ok') done(null, { kind: 'applicant', applicant: outcome.applicant });
          else done(null, false, { message: outcome.kind, ...(outcome.kind === 'unverified' ? { email: outcome.applicant.email } : {}) } as never);
        },
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, { kind: user.kind, id: user.applicant.id } satisfies SessionUser));
  passport.deserializeUser((stored: SessionUser, done) => {
    if (stored?.kind !== 'applicant') return done(null, false);
    getApplicant(d.pool, stored.id).then((applicant) => done(null, applicant ? { kind: 'applicant', applicant } : false), done);
  });
  app.use(passport.initialize());
  app.use(passport.session());
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.applicant = req.user?.kind === 'applicant' ? req.user.applicant : null;
    // A shared kiosk must not show the last family's pages from the cache after signing out.
    if (req.user) res.set('Cache-Control', 'no-store');
    next();
  });
  return passport;
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
