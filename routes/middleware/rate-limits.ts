import type { Request, Response, RequestHandler, NextFunction } from 'express';
import { isIPv6 } from 'node:net';
import type pg from 'pg';
import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { normalizeEmail } from '../../domain/applicants/vocabulary.ts';
import { hashedKey, signInCounterKeys } from '../../domain/platform/sign-in-keys.ts';

/** [requests, per minutes] */
export type Limit = [number, number];
export type RateLimits = {
  /** failed sign-ins for one account from one address: the attempt after the limit is refused */
  signInPerAccount: Limit;
  /** failed sign-ins from one address, whatever the account */
  signInPerAddress: Limit;
  /** failed sign-ins for one family account across addresses: past it, the right password mails a sign-in link */
  signInPerEmail: Limit;
  /** failed sign-ins for one staff account across addresses: past it, every try waits STAFF_SLOW_DELAY_MS */
  staffSignInPerAccount: Limit;
  registerPerAddress: Limit;
  mailPerAccount: Limit;
  mailPerAddress: Limit;
  lookupPerAccount: Limit;
  progressPerAddress: Limit;
  photoPerAccount: Limit;
  /** answers to the kiosk's end-of-session rating (no account, no token) from one address */
  kioskRatingsPerAddress: Limit;
};

// A waiting-room kiosk puts many families behind one address, so per-address limits are generous and
// per-account ones strict.
export const defaultLimits: RateLimits = {
  signInPerAccount: [10, 15],
  signInPerAddress: [100, 15],
  // Across addresses too, so rotating addresses does not open an account to guessing; past it nobody is
  // refused, the right password only takes a slower path (a mailed link, or a wait for staff).
  signInPerEmail: [30, 15],
  staffSignInPerAccount: [10, 15],
  registerPerAddress: [30, 60],
  mailPerAccount: [5, 60],
  mailPerAddress: [30, 60],
  // A family looks up a handful of numbers; walking the register takes thousands.
  lookupPerAccount: [30, 10],
  progressPerAddress: [20, 15],
  // Each contact book photo costs a decode and re-encode; a family sends one every few days.
  photoPerAccount: [30, 60],
  // A kiosk serves a family every few minutes; a script answering in a loop is stopped.
  kioskRatingsPerAddress: [30, 15],
};

/** How long each staff sign-in try waits while its account is over its failure limit across addresses. */
export const STAFF_SLOW_DELAY_MS = 2000;

function tooMany(req: Request, res: Response): void {
  res.status(429).render('errors/too-many', { minutes: res.locals.retryMinutes ?? 15 });
}

// One limiter per pool sweeps expired rows (every 5 minutes, rate-limiter-flexible's own timer).
const swept = new WeakSet<pg.Pool>();

/**
 * At most `limit` requests per `minutes` for each key, counted in PostgreSQL (table rate_limit) so every
 * instance of the portal counts against the same limit. A request is counted as it arrives, in one
 * atomic upsert, refused ones too; the window starts with a key's first request. Past the limit: 429,
 * the too-many page saying the window's minutes, and Retry-After in seconds until the window ends.
 * `name` keeps the limits apart in the one table.
 */
export function limiter(
  pool: pg.Pool,
  name: string,
  [limit, minutes]: Limit,
  key: (req: Request) => string,
  /** the answer past the limit (default: the too-many page); a JSON API gives its own */
  refuse: (req: Request, res: Response) => void = tooMany,
): RequestHandler & {
  /** Gives this request's count back (a lookup that found what it asked for guessed nothing). */
  giveBack(req: Request): Promise<void>;
} {
  const sweeper = !swept.has(pool);
  swept.add(pool);
  const counter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limit',
    tableCreated: true,
    clearExpiredByTimeout: sweeper,
    keyPrefix: name,
    points: limit,
    duration: minutes * 60,
  });
  const policy = `"${name}"; q=${limit}; w=${minutes * 60}`;
  const handler = (req: Request, res: Response, next: NextFunction) => {
    // Hashed: the table holds no address and no account name.
    counter.consume(hashedKey(key(req)), 1).then(
      (state) => {
        res.append('RateLimit-Policy', policy);
        res.append('RateLimit', `"${name}"; r=${state.remainingPoints}; t=${Math.ceil(state.msBeforeNext / 1000)}`);
        next();
      },
      (refused: unknown) => {
        // An Error is the database failing; anything else is rate-limiter-flexible's "over the limit".
        if (refused instanceof Error) return next(refused);
        const state = refused as RateLimiterRes;
        res.locals.retryMinutes = minutes;
        res.set('Retry-After', String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))));
        refuse(req, res);
      },
    );
  };
  return Object.assign(handler, {
    giveBack: async (req: Request) => {
      await counter.reward(hashedKey(key(req)), 1);
    },
  });
}

/**
 * The client's address as limits count it: Express's `req.ip` (the X-Forwarded-For entry TRUST_PROXY
 * allows, else the connection's address). An IPv4 address arriving as IPv6 (::ffff:a.b.c.d on a
 * dual-stack socket) counts as itself; an IPv6 address counts as its /56 network, the block one
 * customer line usually gets, so changing the last bits does not buy a fresh allowance.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  return isIPv6(ip) ? ipv6Network56(ip) : ip;
}

function ipv6Network56(ip: string): string {
  let [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  // An IPv4 address in the last 32 bits, as in 64:ff9b::192.0.2.1: two groups of hex.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip.includes('::') ? tail : head);
  const asHex = (m: RegExpExecArray) =>
    `${((+m[1]! << 8) | +m[2]!).toString(16)}:${((+m[3]! << 8) | +m[4]!).toString(16)}`;
  if (v4 && ip.includes('::')) tail = tail.replace(v4[0], asHex(v4));
  else if (v4) head = head.replace(v4[0], asHex(v4));
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const g = groups.slice(0, 4).map((x) => parseInt(x || '0', 16));
  g[3] = g[3]! & 0xff00;
  return `${g.map((x) => x.toString(16)).join(':')}::/56`;
}

const address = clientAddress;
// The same normalisation as the account lookup, so a full-width look-alike is the same account here too.
const account = (req: Request) => normalizeEmail(String(req.body?.email ?? '')).toLowerCase();
const addressAndEmail = (req: Request) => `${address(req)}|${account(req)}`;

export function limiters(pool: pg.Pool, l: RateLimits) {
  return {
    register: [limiter(pool, 'register-address', l.registerPerAddress, address)],
    mail: [
      limiter(pool, 'mail-address', l.mailPerAddress, address),
      limiter(pool, 'mail-address-account', l.mailPerAccount, addressAndEmail),
    ],
  };
}

/**
 * Sign-in tries, counted in PostgreSQL (table sign_in_failure) so every instance sees the same counts,
 * after rate-limiter-flexible's login-protection recipe. Per address and per address+account, a try is
 * counted as it arrives (one atomic upsert, so a burst of parallel posts cannot slip past the limit) and
 * given back when it proves the password; past the limit that address is refused (429). Per account
 * across addresses only failures count, and they never refuse anyone: past the limit the account takes
 * a slower path, so a stranger cannot lock its owner out.
 */
export type SignInCounters = {
  /** Counts the try; refuses it (429) when its address is over its limit, or over it for this account. */
  guard: RequestHandler;
  /** A wrong password: counted against the account across addresses. */
  failed(req: Request): Promise<void>;
  /** The address proved the password: its tries for this account are forgotten, this one given back. */
  succeeded(req: Request): Promise<void>;
  /** Whether the account is over its failure limit across addresses. */
  accountOverLimit(req: Request): Promise<boolean>;
  /** Whether this address has tried a wrong password for this account before (in the window). */
  addressHasFailed(req: Request): Promise<boolean>;
};

export function signInCounters(
  pool: pg.Pool,
  [perAddress, perAddressAndAccount, acrossAddresses]: [Limit, Limit, Limit],
  area: 'applicant' | 'staff',
  accountOf: (req: Request) => string,
): SignInCounters {
  const counter = ([points, minutes]: Limit, name: string, clearExpired = false) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'sign_in_failure',
      tableCreated: true,
      clearExpiredByTimeout: clearExpired,
      keyPrefix: `${area}-${name}`,
      points,
      duration: minutes * 60,
    });
  const byAddress = counter(perAddress, 'address', true);
  const byAddressAndAccount = counter(perAddressAndAccount, 'address-account');
  const byAccount = counter(acrossAddresses, 'account');
  // Hashed: the table holds no address and no account name (domain/platform/sign-in-keys.ts).
  const keys = (req: Request) => signInCounterKeys(address(req), accountOf(req));
  return {
    guard: (req: Request, res: Response, next: NextFunction) => {
      const k = keys(req);
      Promise.all([byAddress.penalty(k.address, 1), byAddressAndAccount.penalty(k.addressAndAccount, 1)])
        .then(([a, b]) => {
          const blocked = a.consumedPoints > perAddress[0] ? a : b.consumedPoints > perAddressAndAccount[0] ? b : null;
          if (!blocked) return next();
          res.locals.retryMinutes = Math.max(1, Math.ceil(blocked.msBeforeNext / 60_000));
          res.set('Retry-After', String(Math.max(1, Math.ceil(blocked.msBeforeNext / 1000))));
          tooMany(req, res);
        })
        .catch(next);
    },
    failed: async (req) => {
      await byAccount.penalty(keys(req).account, 1);
    },
    succeeded: async (req) => {
      const k = keys(req);
      // A kiosk's many families signing in do not use up its address's allowance.
      await Promise.all([byAddressAndAccount.delete(k.addressAndAccount), byAddress.reward(k.address, 1)]);
    },
    addressHasFailed: async (req) => {
      // The guard counted this try on arrival: anything beyond it is an earlier failure from here.
      const res = await byAddressAndAccount.get(keys(req).addressAndAccount);
      return res !== null && res.consumedPoints > 1;
    },
    accountOverLimit: async (req) => {
      const res = await byAccount.get(keys(req).account);
      return res !== null && res.consumedPoints >= acrossAddresses[0];
    },
  };
}

/** The family sign-in's counters: the account is the e-mail address as the lookup normalises it. */
export const applicantSignInCounters = (pool: pg.Pool, l: RateLimits) =>
  signInCounters(pool, [l.signInPerAddress, l.signInPerAccount, l.signInPerEmail], 'applicant', account);

/** The back office's counters: the account name as staff type it, in any case. */
export const staffSignInCounters = (pool: pg.Pool, l: RateLimits) =>
  signInCounters(pool, [l.signInPerAddress, l.signInPerAccount, l.staffSignInPerAccount], 'staff', (req) =>
    String(req.body?.account ?? '')
      .trim()
      .toLowerCase(),
  );
