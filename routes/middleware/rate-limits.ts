import type { Request, Response, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { normalizeEmail } from '../../domain/applicants/vocabulary.ts';

/** [requests, per minutes] */
export type Limit = [number, number];
export type RateLimits = {
  signInPerAccount: Limit;
  signInPerAddress: Limit;
  signInPerEmail: Limit;
  registerPerAddress: Limit;
  mailPerAccount: Limit;
  mailPerAddress: Limit;
  lookupPerAccount: Limit;
  progressPerAddress: Limit;
  photoPerAccount: Limit;
};

// A waiting-room kiosk puts many families behind one address, so per-address limits are generous and
// per-account ones strict.
export const defaultLimits: RateLimits = {
  signInPerAccount: [10, 15],
  signInPerAddress: [100, 15],
  // Across addresses too, so rotating addresses does not open an account to guessing.
  signInPerEmail: [30, 15],
  registerPerAddress: [30, 60],
  mailPerAccount: [5, 60],
  mailPerAddress: [30, 60],
  // A family looks up a handful of numbers; walking the register takes thousands.
  lookupPerAccount: [30, 10],
  progressPerAddress: [20, 15],
  // Each contact book photo costs a decode and re-encode; a family sends one every few days.
  photoPerAccount: [30, 60],
};

function tooMany(req: Request, res: Response): void {
  res.status(429).render('errors/too-many', { minutes: res.locals.retryMinutes ?? 15 });
}

export function limiter([limit, minutes]: Limit, key: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs: minutes * 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, res) => {
      res.locals.retryMinutes = minutes;
      tooMany(req, res);
    },
  });
}

const address = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
// The same normalisation as the account lookup, so a full-width look-alike is the same account here too.
const account = (req: Request) => normalizeEmail(String(req.body?.email ?? '')).toLowerCase();
const email = (req: Request) => `email|${account(req)}`;
const addressAndEmail = (req: Request) => `${address(req)}|${account(req)}`;

export function limiters(l: RateLimits) {
  return {
    signIn: [
      limiter(l.signInPerAddress, address),
      limiter(l.signInPerAccount, addressAndEmail),
      limiter(l.signInPerEmail, email),
    ],
    register: [limiter(l.registerPerAddress, address)],
    mail: [limiter(l.mailPerAddress, address), limiter(l.mailPerAccount, addressAndEmail)],
  };
}
