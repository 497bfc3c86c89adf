import type pg from 'pg';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../platform/passwords.ts';
import { hashToken, newToken } from '../platform/tokens.ts';
import { taipeiToday } from '../shared/dates.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { Locale } from '../shared/locale.ts';
import { identityKind, normalizeIdentityNumber } from '../national-id.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { accountExistsMail, passwordResetMail, verificationMail } from '../mails.ts';

export const VERIFY_LINK_MINUTES = 10;
export const RESET_LINK_MINUTES = 30;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

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

type ApplicantRow = {
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
};

const COLUMNS =
  'id, name, national_id, email, birthday, mobile, phone, locale, email_verified_at, created_at, password_hash';

function toApplicant(r: ApplicantRow): Applicant {
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

export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;
type Validated<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

// ---- field rules, shared by registration and the profile ----

export function normalizeMobile(raw: string): string {
  let v = raw.normalize('NFKC').replace(/[\s\-().]/g, '');
  if (v.startsWith('+886')) v = `0${v.slice(4)}`;
  else if (v.startsWith('886') && v.length === 12) v = `0${v.slice(3)}`;
  return v;
}

function checkMobile(raw: string): { value: string | null; error?: MessageKey } {
  if (raw.trim() === '') return { value: null };
  const v = normalizeMobile(raw);
  return /^09\d{8}$/.test(v) ? { value: v } : { value: null, error: 'error.mobile.format' };
}

function checkPhone(raw: string): { value: string | null; error?: MessageKey } {
  const v = raw.normalize('NFKC').trim();
  if (v === '') return { value: null };
  const digits = v.replace(/\D/g, '');
  if (!/^[0-9+()#\-\s]+$/.test(v) || digits.length < 7 || v.length > 30)
    return { value: null, error: 'error.phone.format' };
  return { value: v };
}

function checkNewPassword(password: string, confirm: string): { password?: MessageKey; passwordConfirm?: MessageKey } {
  const errors: { password?: MessageKey; passwordConfirm?: MessageKey } = {};
  if (password === '') errors.password = 'error.password.required';
  else if ([...password].length < PASSWORD_MIN) errors.password = 'error.password.short';
  else if ([...password].length > PASSWORD_MAX) errors.password = 'error.password.long';
  if (!errors.password) {
    if (confirm === '') errors.passwordConfirm = 'error.passwordConfirm.required';
    else if (confirm !== password) errors.passwordConfirm = 'error.passwordConfirm.mismatch';
  }
  return errors;
}

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim();
}

const EMAIL_RE = /^[^@\s"<>,;]+@[^@\s"<>,;]+\.[^@\s"<>,;]+$/;

// ---- registration ----

export type RegistrationInput = {
  name: string;
  nationalId: string;
  email: string;
  birthYear: string;
  birthMonth: string;
  birthDay: string;
  mobile: string;
  phone: string;
  password: string;
  passwordConfirm: string;
};
export type RegistrationField =
  'name' | 'nationalId' | 'email' | 'birthday' | 'mobile' | 'phone' | 'password' | 'passwordConfirm';
export type Registration = {
  name: string;
  nationalId: string;
  email: string;
  birthday: string;
  mobile: string | null;
  phone: string | null;
  password: string;
};

/** Checks a birthday typed as three numbers: a real date, after 1900, before today in Taipei. */
export function checkBirthday(y: string, m: string, d: string, now: Date): { value?: string; error?: MessageKey } {
  if ([y, m, d].every((p) => p.trim() === '')) return { error: 'error.birthday.required' };
  if (![y, m, d].every((p) => /^\d{1,4}$/.test(p.trim()))) return { error: 'error.birthday.invalid' };
  const year = Number(y),
    month = Number(m),
    day = Number(d);
  if (y.trim().length !== 4) return { error: 'error.birthday.year' };
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return { error: 'error.birthday.invalid' };
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (year < 1900) return { error: 'error.birthday.tooOld' };
  if (iso >= taipeiToday(now)) return { error: 'error.birthday.future' };
  return { value: iso };
}

export function validateRegistration(input: RegistrationInput, now: Date): Validated<Registration, RegistrationField> {
  const errors: FieldErrors<RegistrationField> = {};
  const name = input.name.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') errors.name = 'error.name.required';
  else if ([...name].length > 50) errors.name = 'error.name.long';
  else if (/[\p{Cc}<>]/u.test(name)) errors.name = 'error.name.invalid';

  const nationalId = normalizeIdentityNumber(input.nationalId);
  if (nationalId === '') errors.nationalId = 'error.nationalId.required';
  else if (!/^[A-Z][A-Z0-9]\d{8}$/.test(nationalId)) errors.nationalId = 'error.nationalId.format';
  else if (!identityKind(nationalId)) errors.nationalId = 'error.nationalId.checksum';

  const email = normalizeEmail(input.email);
  if (email === '') errors.email = 'error.email.required';
  else if (!EMAIL_RE.test(email) || email.length > 254) errors.email = 'error.email.format';

  const birthday = checkBirthday(input.birthYear, input.birthMonth, input.birthDay, now);
  if (birthday.error) errors.birthday = birthday.error;

  const mobile = checkMobile(input.mobile);
  if (mobile.error) errors.mobile = mobile.error;
  const phone = checkPhone(input.phone);
  if (phone.error) errors.phone = phone.error;

  Object.assign(errors, checkNewPassword(input.password, input.passwordConfirm));

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      nationalId,
      email,
      birthday: birthday.value!,
      mobile: mobile.value,
      phone: phone.value,
      password: input.password,
    },
  };
}

export type RegisterOutcome =
  | { kind: 'created'; applicantId: number }
  /** The address already has an account: that address is mailed instead, and the page says the same as for a new one. */
  | { kind: 'email_taken' }
  | { kind: 'national_id_taken' };

type LinkContext = { now: Date; publicUrl: string; locale: Locale };

async function issueToken(
  db: Db,
  applicantId: number,
  purpose: 'verify_email' | 'reset_password',
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

async function findByEmail(db: Db, email: string): Promise<ApplicantRow | null> {
  const { rows } = await db.query<ApplicantRow>(`SELECT ${COLUMNS} FROM applicant WHERE lower(email) = lower($1)`, [
    normalizeEmail(email),
  ]);
  return rows[0] ?? null;
}

export async function register(
  pool: pg.Pool,
  reg: Registration,
  ctx: LinkContext & { consentAt: Date },
): Promise<RegisterOutcome> {
  const passwordHash = await hashPassword(reg.password);
  try {
    return await withTransaction(pool, async (tx) => {
      const existing = await findByEmail(tx, reg.email);
      if (existing) {
        await enqueueMail(tx, accountExistsMail(existing.locale, existing.id, existing.email, ctx.publicUrl));
        return { kind: 'email_taken' } as const;
      }
      const byId = await tx.query('SELECT 1 FROM applicant WHERE national_id = $1', [reg.nationalId]);
      if (byId.rowCount) return { kind: 'national_id_taken' } as const;
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO applicant (name, national_id, email, birthday, mobile, phone, password_hash, locale, privacy_consent_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
        [
          reg.name,
          reg.nationalId,
          reg.email,
          reg.birthday,
          reg.mobile,
          reg.phone,
          passwordHash,
          ctx.locale,
          ctx.consentAt,
          ctx.now,
        ],
      );
      const applicantId = rows[0]!.id;
      const token = await issueToken(tx, applicantId, 'verify_email', ctx.now, VERIFY_LINK_MINUTES);
      await enqueueMail(tx, verificationMail(ctx.locale, applicantId, reg.email, reg.name, ctx.publicUrl, token));
      return { kind: 'created', applicantId } as const;
    });
  } catch (err) {
    // Two registrations racing for the same address or number: the loser is told as if it came second.
    if (isUniqueViolation(err, 'applicant_national_id_key')) return { kind: 'national_id_taken' };
    if (isUniqueViolation(err, 'applicant_email_key')) return { kind: 'email_taken' };
    throw err;
  }
}

export type TokenState = 'valid' | 'expired' | 'used' | 'invalid';

async function tokenState(db: Db, token: string, purpose: 'verify_email' | 'reset_password', now: Date) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'invalid' as TokenState };
  const { rows } = await db.query<{ id: number; applicant_id: number; expires_at: Date; used_at: Date | null }>(
    'SELECT id, applicant_id, expires_at, used_at FROM applicant_token WHERE token_hash = $1 AND purpose = $2 FOR UPDATE',
    [hashToken(token), purpose],
  );
  const row = rows[0];
  if (!row) return { state: 'invalid' as TokenState };
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

/** Sends a new verification link when the address belongs to an unverified account; silent otherwise. */
export async function resendVerification(
  pool: pg.Pool,
  email: string,
  ctx: Omit<LinkContext, 'locale'>,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const a = await findByEmail(tx, email);
    if (!a || a.email_verified_at) return;
    const token = await issueToken(tx, a.id, 'verify_email', ctx.now, VERIFY_LINK_MINUTES);
    await enqueueMail(tx, verificationMail(a.locale, a.id, a.email, a.name, ctx.publicUrl, token));
  });
}

export type SignInOutcome =
  { kind: 'ok'; applicant: Applicant } | { kind: 'unverified'; applicant: Applicant } | { kind: 'invalid' };

export async function authenticate(db: Db, email: string, password: string): Promise<SignInOutcome> {
  const row = await findByEmail(db, email);
  if (!row) {
    await burnPasswordCheck(password);
    return { kind: 'invalid' };
  }
  if (!(await verifyPassword(row.password_hash, password))) return { kind: 'invalid' };
  // Only someone who knows the password learns that the address still needs verifying.
  return row.email_verified_at
    ? { kind: 'ok', applicant: toApplicant(row) }
    : { kind: 'unverified', applicant: toApplicant(row) };
}

export async function getApplicant(db: Db, id: number): Promise<Applicant | null> {
  const { rows } = await db.query<ApplicantRow>(`SELECT ${COLUMNS} FROM applicant WHERE id = $1`, [id]);
  return rows[0] ? toApplicant(rows[0]) : null;
}

/** Mails a reset link when the address has an account; silent otherwise. */
export async function requestPasswordReset(
  pool: pg.Pool,
  email: string,
  ctx: Omit<LinkContext, 'locale'>,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const a = await findByEmail(tx, email);
    if (!a) return;
    const token = await issueToken(tx, a.id, 'reset_password', ctx.now, RESET_LINK_MINUTES);
    await enqueueMail(tx, passwordResetMail(a.locale, a.id, a.email, a.name, ctx.publicUrl, token));
  });
}

export async function checkResetToken(pool: pg.Pool, token: string, now: Date): Promise<TokenState> {
  return withTransaction(pool, async (tx) => (await tokenState(tx, token, 'reset_password', now)).state);
}

export type PasswordField = 'password' | 'passwordConfirm' | 'currentPassword';

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

/** Ends the applicant's sessions, except `keepSid` (the one changing the password). */
async function endSessions(db: Db, applicantId: number, keepSid?: string): Promise<void> {
  await db.query(
    `DELETE FROM session WHERE sess->'passport'->'user'->>'kind' = 'applicant'
       AND (sess->'passport'->'user'->>'id')::bigint = $1 AND sid IS DISTINCT FROM $2`,
    [applicantId, keepSid ?? null],
  );
}

// ---- profile: only mobile, phone and the password may change ----

export type ContactField = 'mobile' | 'phone';

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

export async function setLocale(db: Db, applicantId: number, locale: Locale): Promise<void> {
  await db.query('UPDATE applicant SET locale = $2 WHERE id = $1 AND locale <> $2', [applicantId, locale]);
}
