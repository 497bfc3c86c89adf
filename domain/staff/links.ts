import type pg from 'pg';
import { checkNewPassword } from '../applicants/vocabulary.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { hashPassword } from '../platform/passwords.ts';
import { hashToken, newToken } from '../platform/tokens.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { clearSignInFailures } from './lock.ts';
import type { FieldErrors } from './vocabulary.ts';

/**
 * The one-time links mailed to staff (table staff_token): setting a password (a new account, or one an
 * administrator sends again) and confirming a new address. 256 random bits, only the SHA-256 kept,
 * single use; a new link of a kind replaces the earlier ones.
 */
export type StaffTokenPurpose = 'set_password' | 'confirm_email';
export type StaffTokenState = 'valid' | 'expired' | 'used' | 'invalid';

export async function issueStaffToken(
  db: Db,
  staffId: number,
  purpose: StaffTokenPurpose,
  now: Date,
  hours: number,
  newEmail: string | null = null,
): Promise<string> {
  await db.query(`UPDATE staff_token SET used_at = $3 WHERE staff_id = $1 AND purpose = $2 AND used_at IS NULL`, [
    staffId,
    purpose,
    now,
  ]);
  const { token, hash } = newToken();
  await db.query(
    `INSERT INTO staff_token (staff_id, purpose, token_hash, new_email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [staffId, purpose, hash, newEmail, now, new Date(now.getTime() + hours * 3600_000)],
  );
  return token;
}

type TokenRow = { id: number; staff_id: number; new_email: string | null; expires_at: Date; used_at: Date | null };

async function tokenState(
  db: Db,
  token: string,
  purpose: StaffTokenPurpose,
  now: Date,
): Promise<{ state: StaffTokenState; row?: TokenRow }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'invalid' };
  const { rows } = await db.query<TokenRow>(
    `SELECT t.id, t.staff_id, t.new_email, t.expires_at, t.used_at FROM staff_token t JOIN staff s ON s.id = t.staff_id
      WHERE t.token_hash = $1 AND t.purpose = $2 AND s.active FOR UPDATE OF t`,
    [hashToken(token), purpose],
  );
  const row = rows[0];
  if (!row) return { state: 'invalid' };
  if (row.used_at) return { state: 'used', row };
  if (row.expires_at.getTime() <= now.getTime()) return { state: 'expired', row };
  return { state: 'valid', row };
}

/** Whether a link can still be used (the page shows its form, or says why not). A disabled account's is invalid. */
export function checkStaffLink(pool: pg.Pool, token: string, purpose: StaffTokenPurpose, now: Date) {
  return withTransaction(pool, async (tx) => (await tokenState(tx, token, purpose, now)).state);
}

/** Ends every back-office session of a staff member but `keepSid`. */
export async function endStaffSessions(db: Db, staffId: number, keepSid?: string): Promise<void> {
  await db.query(
    `DELETE FROM session WHERE sess->'passport'->'user'->>'kind' = 'staff'
       AND (sess->'passport'->'user'->>'id')::bigint = $1 AND sid IS DISTINCT FROM $2`,
    [staffId, keepSid ?? null],
  );
}

export type SetPasswordOutcome =
  | { kind: 'ok'; account: string }
  | { kind: 'errors'; errors: FieldErrors<'password' | 'passwordConfirm'> }
  | { kind: 'token'; state: StaffTokenState };

/**
 * Follows a password-set link: the family password rules, then the password is set, the link used up,
 * every sign-in failure of the account forgotten (the link unlocks it) and its other sessions ended.
 */
export async function setPasswordWithLink(
  pool: pg.Pool,
  input: { token: string; password: string; passwordConfirm: string; ip: string | null },
  now: Date,
): Promise<SetPasswordOutcome> {
  const errors = checkNewPassword(input.password, input.passwordConfirm);
  const first = await checkStaffLink(pool, input.token, 'set_password', now);
  if (first !== 'valid') return { kind: 'token', state: first };
  if (Object.keys(errors).length) return { kind: 'errors', errors };
  const hash = await hashPassword(input.password);
  return withTransaction(pool, async (tx) => {
    const { state, row } = await tokenState(tx, input.token, 'set_password', now);
    if (state !== 'valid' || !row) return { kind: 'token', state };
    await tx.query('UPDATE staff_token SET used_at = $2 WHERE id = $1', [row.id, now]);
    const { rows } = await tx.query<{ account: string; institution_code: string | null; had: boolean }>(
      `UPDATE staff s SET password_hash = $2 FROM staff old WHERE s.id = $1 AND old.id = s.id
       RETURNING s.account, s.institution_code, old.password_hash IS NOT NULL AS had`,
      [row.staff_id, hash],
    );
    const staff = rows[0]!;
    await clearSignInFailures(tx, staff.account);
    await endStaffSessions(tx, row.staff_id);
    await recordStaffAction(tx, {
      staffId: row.staff_id,
      action: 'staff.password_set',
      objectType: 'staff',
      objectId: row.staff_id,
      institutionCode: staff.institution_code,
      ip: input.ip,
      details: { by: 'link', hadPassword: staff.had, unlocked: true },
      at: now,
    });
    return { kind: 'ok', account: staff.account };
  });
}

export type ConfirmEmailOutcome =
  { kind: 'ok'; email: string } | { kind: 'taken' } | { kind: 'token'; state: StaffTokenState };

/** Follows the link mailed to a new address of one's own: the address becomes the account's, audited. */
export async function confirmEmailWithLink(
  pool: pg.Pool,
  token: string,
  ip: string | null,
  now: Date,
): Promise<ConfirmEmailOutcome> {
  return withTransaction(pool, async (tx) => {
    const { state, row } = await tokenState(tx, token, 'confirm_email', now);
    if (state !== 'valid' || !row) return { kind: 'token', state };
    await tx.query('UPDATE staff_token SET used_at = $2 WHERE id = $1', [row.id, now]);
    const taken = await tx.query('SELECT 1 FROM staff WHERE lower(email) = lower($1) AND id <> $2', [
      row.new_email,
      row.staff_id,
    ]);
    if (taken.rowCount) return { kind: 'taken' };
    const { rows } = await tx.query<{ old: string | null; institution_code: string | null }>(
      `UPDATE staff s SET email = $2 FROM staff old WHERE s.id = $1 AND old.id = s.id RETURNING old.email AS old, s.institution_code`,
      [row.staff_id, row.new_email],
    );
    await recordStaffAction(tx, {
      staffId: row.staff_id,
      action: 'staff.email_change',
      objectType: 'staff',
      objectId: row.staff_id,
      institutionCode: rows[0]!.institution_code,
      ip,
      details: { old: { email: rows[0]!.old }, new: { email: row.new_email } },
      at: now,
    });
    return { kind: 'ok', email: row.new_email! };
  });
}
