import type pg from 'pg';
import {
  type ContactField,
  type FieldErrors,
  type PasswordField,
  checkMobile,
  checkNewPassword,
  checkPhone,
  normalizeEmail,
} from './vocabulary.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../platform/passwords.ts';
import type { Locale } from '../shared/locale.ts';

export type Applicant = {
  id: number;
  name: string;
  nationalId: string;
  email: string;
  birthday: string; // YYYY-MM-DD
  mobile: string | null;
  phone: string | null;
  locale: Locale;
  emailVerified: boolean;
  createdAt: Date;
};

export type ApplicantRow = {
  id: number;
  name: string;
  national_id: string;
  email: string;
  birthday: string;
  mobile: string | null;
  phone: string | null;
  locale: Locale;
  email_verified_at: Date | null;
  created_at: Date;
  password_hash: string;
  disabled_at: Date | null;
};

export const APPLICANT_COLUMNS =
  'id, name, national_id, email, birthday, mobile, phone, locale, email_verified_at, created_at, password_hash, disabled_at';

export function toApplicant(r: ApplicantRow): Applicant {
  return {
    id: r.id,
    name: r.name,
    nationalId: r.national_id,
    email: r.email,
    birthday: r.birthday,
    mobile: r.mobile,
    phone: r.phone,
    locale: r.locale,
    emailVerified: r.email_verified_at !== null,
    createdAt: r.created_at,
  };
}

export async function findByEmail(db: Db, email: string): Promise<ApplicantRow | null> {
  const { rows } = await db.query<ApplicantRow>(
    `SELECT ${APPLICANT_COLUMNS} FROM applicant WHERE lower(email) = lower($1)`,
    [normalizeEmail(email)],
  );
  return rows[0] ?? null;
}

export type SignInOutcome =
  | { kind: 'ok'; applicant: Applicant }
  | { kind: 'unverified'; applicant: Applicant }
  | { kind: 'disabled' }
  /** closed at the family's own request (刪除帳號): not 'disabled by staff' */
  | { kind: 'closed' }
  | { kind: 'invalid' };

/** Whether the account was closed at its owner's request (a deletion request, decided or not, not erased). */
export async function closedAtOwnRequest(db: Db, applicantId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM applicant_deletion_request WHERE applicant_id = $1 AND status IN ('pending', 'kept')`,
    [applicantId],
  );
  return (rowCount ?? 0) > 0;
}

export async function authenticate(db: Db, email: string, password: string): Promise<SignInOutcome> {
  const row = await findByEmail(db, email);
  if (!row) {
    await burnPasswordCheck(password);
    return { kind: 'invalid' };
  }
  if (!(await verifyPassword(row.password_hash, password))) return { kind: 'invalid' };
  // Disabled by staff (家屬資料查詢修改): only someone who knows the password learns it, and whom to ask.
  if (row.disabled_at) return (await closedAtOwnRequest(db, row.id)) ? { kind: 'closed' } : { kind: 'disabled' };
  // Only someone who knows the password learns that the address still needs verifying.
  return row.email_verified_at
    ? { kind: 'ok', applicant: toApplicant(row) }
    : { kind: 'unverified', applicant: toApplicant(row) };
}

export async function getApplicantRow(db: Db, id: number): Promise<ApplicantRow | null> {
  const { rows } = await db.query<ApplicantRow>(`SELECT ${APPLICANT_COLUMNS} FROM applicant WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** A signed-in applicant as the pages see them: a disabled account is nobody (its sessions end at once). */
export async function getApplicant(db: Db, id: number): Promise<Applicant | null> {
  const row = await getApplicantRow(db, id);
  return row && !row.disabled_at ? toApplicant(row) : null;
}

/** Ends the applicant's sessions, except `keepSid` (the one changing the password). */
export async function endSessions(db: Db, applicantId: number, keepSid?: string): Promise<void> {
  await db.query(
    `DELETE FROM session WHERE sess->'passport'->'user'->>'kind' = 'applicant'
       AND (sess->'passport'->'user'->>'id')::bigint = $1 AND sid IS DISTINCT FROM $2`,
    [applicantId, keepSid ?? null],
  );
}

// ---- profile: only mobile, phone and the password may change ----

export async function updateContact(
  db: Db,
  applicantId: number,
  input: { mobile: string; phone: string },
): Promise<{ ok: true } | { ok: false; errors: FieldErrors<ContactField> }> {
  const mobile = checkMobile(input.mobile);
  const phone = checkPhone(input.phone);
  const errors: FieldErrors<ContactField> = {};
  if (mobile.error) errors.mobile = mobile.error;
  if (phone.error) errors.phone = phone.error;
  if (Object.keys(errors).length) return { ok: false, errors };
  await db.query('UPDATE applicant SET mobile = $2, phone = $3 WHERE id = $1', [
    applicantId,
    mobile.value,
    phone.value,
  ]);
  return { ok: true };
}

export async function changePassword(
  pool: pg.Pool,
  applicantId: number,
  input: { currentPassword: string; password: string; passwordConfirm: string },
  currentSid: string,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors<PasswordField> }> {
  const errors: FieldErrors<PasswordField> = checkNewPassword(input.password, input.passwordConfirm);
  const { rows } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM applicant WHERE id = $1', [
    applicantId,
  ]);
  if (!rows[0]) throw new Error('applicant not found');
  if (input.currentPassword === '') errors.currentPassword = 'error.currentPassword.required';
  else if (!(await verifyPassword(rows[0].password_hash, input.currentPassword)))
    errors.currentPassword = 'error.currentPassword.wrong';
  if (Object.keys(errors).length) return { ok: false, errors };
  const hash = await hashPassword(input.password);
  await withTransaction(pool, async (tx) => {
    await tx.query('UPDATE applicant SET password_hash = $2 WHERE id = $1', [applicantId, hash]);
    await endSessions(tx, applicantId, currentSid);
  });
  return { ok: true };
}

/** The language the applicant chose last: their pages and every mail to them follow it. */
export async function setLocale(db: Db, applicantId: number, locale: Locale): Promise<void> {
  await db.query('UPDATE applicant SET locale = $2 WHERE id = $1 AND locale <> $2', [applicantId, locale]);
}
