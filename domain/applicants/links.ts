import type pg from 'pg';
import { endSessions, findByEmail, getApplicantRow } from './accounts.ts';
import {
  type FieldErrors,
  type PasswordField,
  RESET_LINK_MINUTES,
  SIGN_IN_LINK_MINUTES,
  VERIFY_LINK_MINUTES,
  unverifiedExpiredBefore,
  checkNewPassword,
} from './vocabulary.ts';
import { passwordResetMail, signInLinkMail, verificationMail } from '../mails.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { hashPassword } from '../platform/passwords.ts';
import { hashToken, newToken } from '../platform/tokens.ts';
import type { Locale } from '../shared/locale.ts';
import { enqueueMail } from '../shared/outbox.ts';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'sign_in';

/** The links mailed to an applicant: verify the address, reset the password, sign in. Single use, short-lived. */

export type LinkContext = { now: Date; publicUrl: string; locale: Locale };

export async function issueToken(
  db: Db,
  applicantId: number,
  purpose: TokenPurpose,
  now: Date,
  minutes: number,
): Promise<string> {
  // A new link replaces the earlier ones of the same purpose.
  await db.query(
    `UPDATE applicant_token SET used_at = $3 WHERE applicant_id = $1 AND purpose = $2 AND used_at IS NULL`,
    [applicantId, purpose, now],
  );
  const { token, hash } = newToken();
  await db.query(
    `INSERT INTO applicant_token (applicant_id, purpose, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [applicantId, purpose, hash, now, new Date(now.getTime() + minutes * 60_000)],
  );
  return token;
}

export type TokenState = 'valid' | 'expired' | 'used' | 'invalid';

export async function tokenState(db: Db, token: string, purpose: TokenPurpose, now: Date) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'invalid' as TokenState };
  const { rows } = await db.query<{
    id: number;
    applicant_id: number;
    expires_at: Date;
    used_at: Date | null;
    closed: boolean;
  }>(
    `SELECT t.id, t.applicant_id, t.expires_at, t.used_at, a.disabled_at IS NOT NULL AS closed
       FROM applicant_token t JOIN applicant a ON a.id = t.applicant_id
      WHERE t.token_hash = $1 AND t.purpose = $2 FOR UPDATE OF t`,
    [hashToken(token), purpose],
  );
  const row = rows[0];
  // A link mailed before the account was closed or disabled opens nothing: no password, no sign-in.
  if (!row || row.closed) return { state: 'invalid' as TokenState };
  if (row.used_at) return { state: 'used' as TokenState, row };
  if (row.expires_at.getTime() <= now.getTime()) return { state: 'expired' as TokenState, row };
  return { state: 'valid' as TokenState, row };
}

/** Follows a verification link: single use, valid VERIFY_LINK_MINUTES. */
export async function verifyEmail(pool: pg.Pool, token: string, now: Date): Promise<TokenState> {
  return withTransaction(pool, async (tx) => {
    const { state, row } = await tokenState(tx, token, 'verify_email', now);
    if (state !== 'valid' || !row) return state;
    await tx.query('UPDATE applicant_token SET used_at = $2 WHERE id = $1', [row.id, now]);
    await tx.query('UPDATE applicant SET email_verified_at = coalesce(email_verified_at, $2) WHERE id = $1', [
      row.applicant_id,
      now,
    ]);
    return 'valid';
  });
}

/** Mails a reset link when the address has an account; silent otherwise. */
export const requestPasswordReset = (pool: pg.Pool, email: string, ctx: Omit<LinkContext, 'locale'>) =>
  mailLink(pool, email, ctx, 'reset_password');

async function mailLink(
  pool: pg.Pool,
  email: string,
  ctx: Omit<LinkContext, 'locale'>,
  purpose: 'verify_email' | 'reset_password',
): Promise<void> {
  const verify = purpose === 'verify_email';
  await withTransaction(pool, async (tx) => {
    const a = await findByEmail(tx, email);
    // A closed or disabled account is sent nothing: its owner cannot sign in with a new password, and an
    // account closed at its owner's request is mailed only the outcome of that request.
    if (!a || a.disabled_at || (verify && a.email_verified_at)) return;
    // An unverified account past its day is as good as gone (the purge job deletes it within the hour).
    if (!a.email_verified_at && a.created_at <= unverifiedExpiredBefore(ctx.now)) return;
    const token = await issueToken(tx, a.id, purpose, ctx.now, verify ? VERIFY_LINK_MINUTES : RESET_LINK_MINUTES);
    const mail = verify ? verificationMail : passwordResetMail;
    await enqueueMail(tx, mail(a.locale, a.id, a.email, a.name, ctx.publicUrl, token));
  });
}

/**
 * The job behind "forgot password" and "send the link again". The request only queues this job, the
 * same one whether or not the address has an account, so its answer and its timing tell nothing; the
 * lookup and the mail happen in the worker (mailQueuedLink).
 */
export const LINK_REQUEST_TASK = 'mail_link_request';
export const LINK_REQUEST_DELAY_SECONDS = 1;
export type LinkRequest = { email: string; purpose: 'verify_email' | 'reset_password'; publicUrl: string };

export async function queueLinkRequest(db: Db, request: LinkRequest): Promise<void> {
  // Due a moment later, not at once: the worker runs in the web process too, and a job started while the
  // answer is still being written would make the answer slower for a registered address.
  await db.query(
    `SELECT graphile_worker.add_job($1, $2::json, run_at => now() + make_interval(secs => $3), max_attempts => 5)`,
    [LINK_REQUEST_TASK, JSON.stringify(request), LINK_REQUEST_DELAY_SECONDS],
  );
}

/** Runs a queued link request (in the worker): a mail for an account that should have one, nothing otherwise. */
export async function mailQueuedLink(pool: pg.Pool, request: LinkRequest, now: Date): Promise<void> {
  await mailLink(pool, request.email, { now, publicUrl: request.publicUrl }, request.purpose);
}

/**
 * The slower path of a sign-in while the account is over its failure limit across addresses: the right
 * password alone does not sign in; the owner is mailed a one-time link (SIGN_IN_LINK_MINUTES, single
 * use, only its hash stored) that does.
 */
export async function mailSignInLink(
  pool: pg.Pool,
  applicantId: number,
  ctx: Omit<LinkContext, 'locale'>,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const a = await getApplicantRow(tx, applicantId);
    if (!a || a.disabled_at) return;
    // One link in force at a time: a sign-in tried again while it is still valid (by the owner, or by
    // someone who knows the password) neither floods the mailbox nor replaces the link being opened.
    await tx.query('SELECT id FROM applicant WHERE id = $1 FOR UPDATE', [a.id]);
    const inForce = await tx.query(
      `SELECT 1 FROM applicant_token WHERE applicant_id = $1 AND purpose = 'sign_in' AND used_at IS NULL AND expires_at > $2`,
      [a.id, ctx.now],
    );
    if (inForce.rowCount) return;
    const token = await issueToken(tx, a.id, 'sign_in', ctx.now, SIGN_IN_LINK_MINUTES);
    await enqueueMail(tx, signInLinkMail(a.locale, a.id, a.email, a.name, ctx.publicUrl, token));
  });
}

export async function checkSignInLink(pool: pg.Pool, token: string, now: Date): Promise<TokenState> {
  return withTransaction(pool, async (tx) => (await tokenState(tx, token, 'sign_in', now)).state);
}

/** Uses up a sign-in link; the applicant it signs in, or why not. */
export async function useSignInLink(
  pool: pg.Pool,
  token: string,
  now: Date,
): Promise<{ state: 'valid'; applicantId: number } | { state: Exclude<TokenState, 'valid'> }> {
  return withTransaction(pool, async (tx) => {
    const { state, row } = await tokenState(tx, token, 'sign_in', now);
    if (state !== 'valid' || !row) return { state: state as Exclude<TokenState, 'valid'> };
    await tx.query('UPDATE applicant_token SET used_at = $2 WHERE id = $1', [row.id, now]);
    return { state: 'valid', applicantId: row.applicant_id };
  });
}

export async function checkResetToken(pool: pg.Pool, token: string, now: Date): Promise<TokenState> {
  return withTransaction(pool, async (tx) => (await tokenState(tx, token, 'reset_password', now)).state);
}

/** Sets a new password from a reset link; the link is used up, and every session of the account ends. */
export async function resetPassword(
  pool: pg.Pool,
  token: string,
  password: string,
  confirm: string,
  now: Date,
): Promise<
  { kind: 'done' } | { kind: 'token'; state: TokenState } | { kind: 'errors'; errors: FieldErrors<PasswordField> }
> {
  const errors = checkNewPassword(password, confirm);
  if (Object.keys(errors).length) return { kind: 'errors', errors };
  const hash = await hashPassword(password);
  return withTransaction(pool, async (tx) => {
    const { state, row } = await tokenState(tx, token, 'reset_password', now);
    if (state !== 'valid' || !row) return { kind: 'token', state } as const;
    await tx.query('UPDATE applicant_token SET used_at = $2 WHERE applicant_id = $1 AND used_at IS NULL', [
      row.applicant_id,
      now,
    ]);
    // Following the link proves the address, so an unverified account becomes verified too.
    await tx.query(
      'UPDATE applicant SET password_hash = $2, email_verified_at = coalesce(email_verified_at, $3) WHERE id = $1',
      [row.applicant_id, hash, now],
    );
    await endSessions(tx, row.applicant_id);
    return { kind: 'done' } as const;
  });
}
