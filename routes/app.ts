import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { redactUrl } from '../domain/platform/logger.ts';
import { systemClock } from '../domain/platform/clock.ts';
import { isDatabaseUnavailable } from '../domain/platform/db.ts';
import type { AppDeps, RouteDeps } from './deps.ts';

import { setUpViews } from './middleware/views.ts';
import { refuseOddPaths, setUpFormInput } from './middleware/input.ts';
import { INLINE_STYLE, setUpStaticAssets } from './middleware/assets.ts';
import { setUpDocumentOrigin } from './middleware/files.ts';
import { localize, setUpLanguageSwitch, setUpLocale } from './middleware/locale.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { preloadedApplicants, setUpAuthentication } from './middleware/authentication.ts';
import { sessionCookies } from './middleware/session-cookies.ts';
import { defaultLimits } from './middleware/rate-limits.ts';
import { BACKOFFICE, byArea, inBackoffice } from './middleware/area.ts';
import { sessionWithApplicant, usableServicesOf } from '../domain/applications/status.ts';
import { healthRoutes } from './health.ts';
import { publicRoutes } from './public.ts';
import { registrationRoutes } from './registration.ts';
import { accountRoutes } from './account.ts';
import { myDataRoutes } from './my-data.ts';
import { devRoutes } from './dev.ts';
import { applicationRoutes } from './applications.ts';
import { contactBookRoutes } from './contact-book.ts';
import { institutionPostFamilyRoutes } from './institution-posts.ts';
import { bookingRoutes } from './bookings.ts';
import { progressRoutes } from './progress.ts';
import { helpRoutes } from './help.ts';
import { ratingRoutes } from './ratings.ts';
import { backofficeRoutes } from './backoffice.ts';
import { inmateRegisterApiRoutes } from './inmate-register-api.ts';
import { kioskRoutes } from './kiosk.ts';
import { setUpKiosk } from './middleware/kiosk.ts';

/** A staff session ends after this long without a request. */
export const STAFF_IDLE_MINUTES = 30;

/** Builds the portal without listening, so tests can run it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const d: RouteDeps = { clock: systemClock, ...deps, limits: { ...defaultLimits, ...deps.limits } };
  const app = express();
  app.disable('x-powered-by');
  // /BACKOFFICE must not reach the back-office router with the portal's session: paths match exactly.
  app.set('case sensitive routing', true);
  // TRUST_PROXY: which X-Forwarded-For entries name the client, for limits and the audit log.
  app.set('trust proxy', d.config.trustProxy);

  app.use(healthRoutes(d));
  setUpRequestLogging(app, d);
  // Before headers and sessions: the document origin answers on its own, without cookies.
  setUpDocumentOrigin(app, d);
  setUpSecurityHeaders(app);
  app.use(compression());
  // A JSON API with its own bearer token: before sessions, CSRF and form parsing.
  app.use(inmateRegisterApiRoutes(d));
  setUpStaticAssets(app, d.config.secureCookies);
  setUpViews(app, d);
  app.use(cookieParser());
  setUpSessions(app, d);
  setUpKiosk(app, d);
  setUpLocale(app);
  const csrf = csrfProtection(d);
  app.use(csrf.tokens);
  // After the language and the views' token: a body refused as too large gets its page in the person's
  // language (on a kiosk with its working end-session form).
  setUpFormInput(app);
  app.use(csrf.protect);
  const csrfCheck = csrf.check;
  const { passport } = setUpAuthentication(app, d);
  setUpLanguageSwitch(app, d);
  setUpApplicantMenu(app, d);
  refuseOddPaths(app);

  app.use(BACKOFFICE, backofficeRoutes(d, csrfCheck));
  app.use(kioskRoutes(d));
  app.use(publicRoutes(d));
  app.use(registrationRoutes(d));
  app.use(accountRoutes(d, passport));
  app.use(myDataRoutes(d));
  app.use(applicationRoutes(d, csrfCheck));
  app.use(institutionPostFamilyRoutes(d));
  app.use(contactBookRoutes(d, csrfCheck));
  app.use(bookingRoutes(d));
  app.use(progressRoutes(d));
  app.use(helpRoutes(d));
  app.use(ratingRoutes(d));
  if (d.config.devMailbox) app.use(devRoutes(d));

  app.use((req: Request, res: Response) => {
    res.locals.backoffice ??= inBackoffice(req);
    res.status(404).render('errors/not-found');
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A request can fail before its language was set (its session unreadable): the page needs one, and
    // the back office's own look (without the menu of a staff member nobody could read).
    if (!res.locals.t) localize(req, res);
    res.locals.backoffice ??= inBackoffice(req);
    // The kiosk bar's end-session form needs a token; without one (nothing of the session read) no bar.
    if (!res.locals.csrfToken) res.locals.kiosk = undefined;
    const e = err as { status?: number; statusCode?: number; type?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status === 403 && (err as { code?: string }).code === 'EBADCSRFTOKEN') {
      res.status(403).render('errors/csrf');
      return;
    }
    if (status === 413 || e.type === 'entity.too.large') {
      res.status(413).render('errors/generic', { status: 413 });
      return;
    }
    // PostgreSQL out of reach (stopped, restarting): the portal recovers by itself once it is back.
    if (isDatabaseUnavailable(err)) {
      req.log?.error({ err: loggable(err) }, 'database unavailable');
      if (res.headersSent) return;
      res.status(503).set('Retry-After', '30').render('errors/generic', { status: 503 });
      return;
    }
    if (status >= 500) req.log?.error({ err: loggable(err) }, 'unhandled error');
    if (res.headersSent) return;
    res.status(status >= 400 && status < 600 ? status : 500).render('errors/generic', { status });
  });
  return app;
}

/** The public menu shows a signed-in applicant only the services they can use (PRODUCT.md, navigation). */
function setUpApplicantMenu(app: Express, d: RouteDeps): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    // An htmx fragment has no menu: no query for it.
    if (!req.user || inBackoffice(req) || req.get('HX-Request')) return next();
    // Read with the applicant when the session was loaded (middleware/authentication.ts): no query here.
    if (req.user.usable) {
      res.locals.usable = req.user.usable;
      return next();
    }
    usableServicesOf(d.pool, req.user.applicant.id).then((usable) => {
      res.locals.usable = usable;
      next();
    }, next);
  });
}

function setUpRequestLogging(app: Express, d: RouteDeps): void {
  app.use(
    pinoHttp({
      logger: d.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Method, path and status only: no bodies (passwords, ID numbers) and no query values (tokens).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
}

function setUpSecurityHeaders(app: Express): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", INLINE_STYLE.cspSource],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // HSTS only matters behind TLS, and there the proxy may set it too.
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  // No page of the portal uses these; a script that got in (or a PDF viewer) cannot either.
  app.use((_req, res, next) => {
    res.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), ' +
        'display-capture=(), screen-wake-lock=(), xr-spatial-tracking=(), interest-cohort=(), browsing-topics=()',
    );
    next();
  });
}

/**
 * A rolling session moves its row's expiry on every request: one UPDATE per page view that changes
 * nothing a minute later (issue 14's profile). Here each process moves it at most once a minute per
 * session, so an idle limit of 2 hours (staff: STAFF_IDLE_MINUTES) ends within a minute of the exact
 * time. The map only spares writes: another instance, or a restart, simply touches again.
 */
const TOUCH_EVERY_MS = 60_000;
function touchedAtMostEveryMinute<S extends session.Store>(store: S): S {
  const touch = store.touch?.bind(store);
  if (!touch) return store;
  const last = new Map<string, number>();
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    if (now - (last.get(sid) ?? -Infinity) < TOUCH_EVERY_MS) return callback?.();
    if (last.size >= 50_000) last.clear();
    last.set(sid, now);
    touch(sid, sess, callback);
  };
  return store;
}

/**
 * The portal's sessions are read together with their signed-in applicant and menu (one statement instead
 * of two per signed-in page, issue 14); deserializeUser then finds the applicant in preloadedApplicants.
 * The condition is connect-pg-simple's own (not expired now); its pruning starts on the first write.
 */
function readingTheApplicantAlong<S extends session.Store>(store: S, d: RouteDeps): S {
  store.get = (sid, callback) => {
    sessionWithApplicant(d.pool, sid, Math.ceil(Date.now() / 1000)).then((found) => {
      if (!found) return callback(null, null);
      const user = (found.sess as { passport?: { user?: unknown } }).passport?.user;
      if (found.signedIn && user && typeof user === 'object') preloadedApplicants.set(user, found.signedIn);
      callback(null, found.sess as session.SessionData);
    }, callback);
  };
  return store;
}

function setUpSessions(app: Express, d: RouteDeps): void {
  const PgStore = connectPgSimple(session);
  // One store per middleware: express-session writes its cookie settings onto the store it is given
  // (store.generate), so a shared store would give regenerated applicant sessions the staff cookie.
  const store = (prune: boolean) =>
    touchedAtMostEveryMinute(
      new PgStore({
        pool: d.pool,
        tableName: 'session',
        createTableIfMissing: false,
        pruneSessionInterval: prune && d.config.env !== 'test' ? 15 * 60 : false,
      }),
    );
  // Behind TLS the names carry the __Host- and __Secure- prefixes (middleware/session-cookies.ts).
  const cookies = sessionCookies(d.config.secureCookies);
  const portal = session({
    name: cookies.portal.name,
    store: readingTheApplicantAlong(store(true), d),
    secret: d.config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: d.config.secureCookies, maxAge: 2 * 60 * 60 * 1000 },
  });
  // Staff: a cookie of their own, sent only to the back office, strict, and a shorter idle time.
  const backoffice = session({
    name: cookies.staff.name,
    store: store(false),
    secret: d.config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: d.config.secureCookies,
      path: cookies.staff.path,
      maxAge: STAFF_IDLE_MINUTES * 60 * 1000,
    },
  });
  app.use(byArea(portal, backoffice));
  // express-session saves after the headers are sent, so a browser following a 303 at once could read
  // the session before the save (losing a consent or a "saved" notice). Every redirect waits for it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      if (!req.session) return redirect(...args);
      req.session.save((err) => (err ? next(err) : redirect(...args)));
    }) as Response['redirect'];
    next();
  });
}

/**
 * What of an error goes into the log. A PostgreSQL error carries the failing row in `detail` (and the
 * statement context in `where`): a family's note or an ID number must never reach the log that way.
 */
export function loggable(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: string; constraint?: string; table?: string; routine?: string };
  return {
    errorName: e.name,
    message: e.message,
    code: e.code,
    constraint: e.constraint,
    table: e.table,
    routine: e.routine,
    stack: e.stack,
  };
}
