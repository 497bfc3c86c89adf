import type pg from 'pg';
import { type IdentityChange, identityCorrectedMail } from './family-mails.ts';
import { IN_FAMILY_SCOPE } from './family-records.ts';
import { checkBirthday, checkName, checkNationalId } from './registration.ts';
import type { FieldErrors } from './vocabulary.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import type { Locale } from '../shared/locale.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';

/**
 * Staff correct an applicant's name, ID number or birthday (家屬資料查詢修改), with a stated reason. The
 * database refuses such a change on every other path (migration 016's trigger): only a transaction
 * that names its staff member in `portal.identity_correction` may make it. Audited with old and new;
 * the applicant is mailed what changed.
 */

export const CORRECTION_REASON_MAX = 500;

/** The identity fields as a form types them (birthday as three numbers, as at registration). */
export type IdentityInput = {
  name: string;
  nationalId: string;
  birthYear: string;
  birthMonth: string;
  birthDay: string;
};
export type CorrectionField = 'name' | 'nationalId' | 'birthday' | 'reason';
export type IdentityValues = { name: string; nationalId: string; birthday: string };

export function checkReason(raw: string): { value: string; error?: MessageKey } {
  const value = raw.normalize('NFC').trim();
  if (value === '') return { value, error: 'error.family.reasonRequired' };
  if ([...value].length > CORRECTION_REASON_MAX) return { value, error: 'error.family.reasonLong' };
  return { value };
}

/**
 * The changes a form asks for against the current values. With `partial`, an empty field (or three
 * empty birthday boxes) means "leave as it is", as on the family's request form.
 */
export function readIdentityChanges(
  current: IdentityValues,
  input: IdentityInput,
  now: Date,
  partial = false,
): { changes: IdentityChange[]; errors: FieldErrors<CorrectionField> } {
  const errors: FieldErrors<CorrectionField> = {};
  const changes: IdentityChange[] = [];
  if (!partial || input.name.trim() !== '') {
    const name = checkName(input.name);
    // Unchanged, a name is kept as it was registered, under whatever rule applied then.
    if (name.value !== current.name) {
      if (name.error) errors.name = name.error;
      else changes.push({ field: 'name', old: current.name, new: name.value });
    }
  }
  if (!partial || input.nationalId.trim() !== '') {
    const id = checkNationalId(input.nationalId);
    if (id.error) errors.nationalId = id.error;
    else if (id.value !== current.nationalId)
      changes.push({ field: 'nationalId', old: current.nationalId, new: id.value });
  }
  if (!partial || [input.birthYear, input.birthMonth, input.birthDay].some((p) => p.trim() !== '')) {
    const b = checkBirthday(input.birthYear, input.birthMonth, input.birthDay, now);
    if (b.error) errors.birthday = b.error;
    else if (b.value !== current.birthday) changes.push({ field: 'birthday', old: current.birthday, new: b.value! });
  }
  return { changes, errors };
}

type LockedApplicant = IdentityValues & { id: number; email: string; locale: Locale };

/** The applicant, locked for the change, when inside the actor's scope. */
export async function lockFamily(tx: pg.PoolClient, actor: StaffActor, applicantId: number) {
  const { rows } = await tx.query<LockedApplicant & { national_id: string }>(
    `SELECT a.id, a.name, a.national_id, a.birthday, a.email, a.locale FROM applicant a
      WHERE a.id = $1 AND ${IN_FAMILY_SCOPE('a', '$2')} FOR UPDATE OF a`,
    [applicantId, actor.institutionCode],
  );
  const r = rows[0];
  return r
    ? { id: r.id, name: r.name, nationalId: r.national_id, birthday: r.birthday, email: r.email, locale: r.locale }
    : null;
}

/**
 * Applies changes inside the caller's transaction: the flag the trigger asks for, the update, the audit
 * entry with old and new values, and the mail. Throws a unique violation when the new ID number is taken.
 */
export async function applyIdentityChanges(
  tx: pg.PoolClient,
  actor: StaffActor,
  a: LockedApplicant,
  changes: readonly IdentityChange[],
  reason: string,
  now: Date,
  request: { id: number; submittedAt: Date } | null = null,
): Promise<void> {
  const next = { ...a };
  for (const c of changes) next[c.field] = c.new;
  await tx.query(`SELECT set_config('portal.identity_correction', $1, true)`, [String(actor.staffId)]);
  await tx.query('UPDATE applicant SET name = $2, national_id = $3, birthday = $4 WHERE id = $1', [
    a.id,
    next.name,
    next.nationalId,
    next.birthday,
  ]);
  await tx.query(`SELECT set_config('portal.identity_correction', '', true)`);
  await recordStaffAction(tx, {
    staffId: actor.staffId,
    action: 'family.identity_corrected',
    objectType: 'applicant',
    objectId: a.id,
    institutionCode: actor.institutionCode,
    ip: actor.ip,
    details: {
      reason,
      ...(request ? { requestId: request.id } : {}),
      old: Object.fromEntries(changes.map((c) => [c.field, c.old])),
      new: Object.fromEntries(changes.map((c) => [c.field, c.new])),
    },
    at: now,
  });
  await enqueueMail(
    tx,
    identityCorrectedMail(
      { locale: a.locale, applicantId: a.id, to: a.email, name: next.name, institutionCode: actor.institutionCode },
      changes,
      reason,
      request?.submittedAt ?? null,
    ),
  );
}

export type CorrectionOutcome =
  | { kind: 'corrected'; changes: IdentityChange[] }
  | { kind: 'errors'; errors: FieldErrors<CorrectionField> }
  | { kind: 'not_found' };

/** A staff correction of name, ID number and birthday (the whole form: each field holds its corrected value). */
export async function correctIdentity(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  input: IdentityInput & { reason: string },
  now: Date,
): Promise<CorrectionOutcome> {
  assertMay(actor, 'family_data');
  try {
    return await withTransaction(pool, async (tx) => {
      const a = await lockFamily(tx, actor, applicantId);
      if (!a) return { kind: 'not_found' } as const;
      const { changes, errors } = readIdentityChanges(a, input, now);
      const reason = checkReason(input.reason);
      if (reason.error) errors.reason = reason.error;
      if (!Object.keys(errors).length && changes.length === 0) errors.name = 'error.family.nothingChanged';
      if (!Object.keys(errors).length && (await idTaken(tx, changes, a.id))) errors.nationalId = 'error.family.idTaken';
      if (Object.keys(errors).length) return { kind: 'errors', errors } as const;
      await applyIdentityChanges(tx, actor, a, changes, reason.value, now);
      return { kind: 'corrected', changes } as const;
    });
  } catch (err) {
    // Another account took the number between the check and the update.
    if (isUniqueViolation(err, 'applicant_national_id_key'))
      return { kind: 'errors', errors: { nationalId: 'error.family.idTaken' } };
    throw err;
  }
}

/** Whether a new ID number in the changes belongs to another account. */
export async function idTaken(db: Db, changes: readonly IdentityChange[], applicantId: number): Promise<boolean> {
  const id = changes.find((c) => c.field === 'nationalId')?.new;
  if (!id) return false;
  const { rowCount } = await db.query('SELECT 1 FROM applicant WHERE national_id = $1 AND id <> $2', [id, applicantId]);
  return (rowCount ?? 0) > 0;
}
