import type pg from 'pg';
import { closedAtOwnRequest, findByEmail } from './accounts.ts';
import { type LinkContext, issueToken } from './links.ts';
import {
  EMAIL_RE,
  type FieldErrors,
  type FieldProblem,
  VERIFY_LINK_MINUTES,
  type Validated,
  checkMobile,
  checkNewPassword,
  checkPhone,
  normalizeEmail,
  unverifiedExpiredBefore,
} from './vocabulary.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { accountClosedMail, accountExistsMail, nationalIdTakenMail, verificationMail } from '../mails.ts';
import { identityKind, normalizeIdentityNumber } from '../national-id.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { hashPassword } from '../platform/passwords.ts';
import { taipeiToday } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { nameCharacterProblem } from '../shared/names.ts';
import { enqueueMail } from '../shared/outbox.ts';

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

/** A name as registration takes it (and a staff correction too): one space between words, 50 characters at most. */
export function checkName(raw: string): { value: string; error?: FieldProblem } {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') return { value: name, error: 'error.name.required' };
  if ([...name].length > 50) return { value: name, error: 'error.name.long' };
  const refused = nameCharacterProblem(name);
  return refused ? { value: name, error: refused } : { value: name };
}

/** An identity number as registration takes it (and a staff correction too): its shape and check digit. */
export function checkNationalId(raw: string): { value: string; error?: MessageKey } {
  const nationalId = normalizeIdentityNumber(raw);
  if (nationalId === '') return { value: nationalId, error: 'error.nationalId.required' };
  if (!/^[A-Z][A-Z0-9]\d{8}$/.test(nationalId)) return { value: nationalId, error: 'error.nationalId.format' };
  if (!identityKind(nationalId)) return { value: nationalId, error: 'error.nationalId.checksum' };
  return { value: nationalId };
}

export function validateRegistration(input: RegistrationInput, now: Date): Validated<Registration, RegistrationField> {
  const errors: FieldErrors<RegistrationField> = {};
  const { value: name, error: nameError } = checkName(input.name);
  if (nameError) errors.name = nameError;

  const { value: nationalId, error: idError } = checkNationalId(input.nationalId);
  if (idError) errors.nationalId = idError;

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

/**
 * Whatever the outcome, the page says the same "check your e-mail": a taken address or ID number is
 * told only to the owner, by mail, so the form tells nobody which addresses or ID numbers have accounts.
 */
export type RegisterOutcome =
  | { kind: 'created'; applicantId: number }
  /** The address already has an account: that address is mailed instead. */
  | { kind: 'email_taken' }
  /** The ID number already has an account: its owner is mailed at their address instead. */
  | { kind: 'national_id_taken' };

export async function register(
  pool: pg.Pool,
  reg: Registration,
  ctx: LinkContext & { consentAt: Date },
): Promise<RegisterOutcome> {
  const passwordHash = await hashPassword(reg.password);
  try {
    return await withTransaction(pool, async (tx) => {
      await freeExpiredRegistrations(tx, reg, ctx.now);
      const taken = await tellOwner(tx, reg, ctx.publicUrl);
      if (taken) return { kind: taken } as const;
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
    // Two registrations racing for the same address or number: the loser is treated as if it came second.
    if (!isUniqueViolation(err, 'applicant_national_id_key') && !isUniqueViolation(err, 'applicant_email_key'))
      throw err;
    const taken = await withTransaction(pool, (tx) => tellOwner(tx, reg, ctx.publicUrl));
    return { kind: taken ?? 'email_taken' };
  }
}

/** Mails the owner of the address or ID number, if either has an account; says which was taken. */
async function tellOwner(
  tx: Db,
  reg: Registration,
  publicUrl: string,
): Promise<'email_taken' | 'national_id_taken' | null> {
  // An account closed at its owner's request gets the one mail that says so, not a sign-in link.
  const closed = async (o: { id: number; locale: Locale; email: string }) =>
    (await closedAtOwnRequest(tx, o.id))
      ? (await enqueueMail(tx, accountClosedMail(o.locale, o.id, o.email)), true)
      : false;
  const byEmail = await findByEmail(tx, reg.email);
  if (byEmail) {
    if (!(await closed(byEmail)))
      await enqueueMail(tx, accountExistsMail(byEmail.locale, byEmail.id, byEmail.email, publicUrl));
    return 'email_taken';
  }
  const { rows } = await tx.query<{ id: number; email: string; locale: Locale }>(
    'SELECT id, email, locale FROM applicant WHERE national_id = $1',
    [reg.nationalId],
  );
  const owner = rows[0];
  if (!owner) return null;
  if (!(await closed(owner)))
    await enqueueMail(tx, nationalIdTakenMail(owner.locale, owner.id, owner.email, publicUrl));
  return 'national_id_taken';
}

/**
 * An account never confirmed within UNVERIFIED_ACCOUNT_HOURS has expired: its ID number and address are
 * free again, here at once and for everyone through the purge job. One that something refers to (which an
 * unconfirmed account should never have) stays.
 */
async function freeExpiredRegistrations(tx: Db, reg: Registration, now: Date): Promise<void> {
  await tx.query('SAVEPOINT free_expired');
  try {
    await tx.query(
      `DELETE FROM applicant WHERE email_verified_at IS NULL AND created_at <= $3
         AND (lower(email) = lower($1) OR national_id = $2)`,
      [reg.email, reg.nationalId, unverifiedExpiredBefore(now)],
    );
    await tx.query('RELEASE SAVEPOINT free_expired');
  } catch (err) {
    if ((err as { code?: string }).code !== '23503') throw err;
    await tx.query('ROLLBACK TO SAVEPOINT free_expired');
  }
}

/** The purge job's part: deletes every expired unconfirmed account; returns how many. */
export async function purgeExpiredRegistrations(pool: pg.Pool, now: Date): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'SELECT id FROM applicant WHERE email_verified_at IS NULL AND created_at <= $1',
    [unverifiedExpiredBefore(now)],
  );
  let purged = 0;
  for (const { id } of rows) {
    try {
      const res = await pool.query(
        'DELETE FROM applicant WHERE id = $1 AND email_verified_at IS NULL AND created_at <= $2',
        [id, unverifiedExpiredBefore(now)],
      );
      purged += res.rowCount ?? 0;
    } catch (err) {
      // Referred to by something (never expected of an unconfirmed account): kept, never a failed job.
      if ((err as { code?: string }).code !== '23503') throw err;
    }
  }
  return purged;
}
