import type pg from 'pg';
import { checkNewPassword, EMAIL_RE, normalizeEmail } from '../applicants/vocabulary.ts';
import { withTransaction } from '../platform/db.ts';
import { hashPassword, verifyPassword } from '../platform/passwords.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import type { LinkContext } from './accounts.ts';
import { endStaffSessions, issueStaffToken } from './links.ts';
import { confirmEmailMail } from './mails.ts';
import { checkStaffName, CONFIRM_EMAIL_LINK_HOURS, type FieldErrors } from './vocabulary.ts';

/**
 * 基本資料修改: every staff member's own name, e-mail address (changed only once a link mailed to the new
 * address is followed) and password (the current one required, the family password rules). Audited.
 */
type Own = {
  account: string;
  name: string;
  email: string | null;
  password_hash: string | null;
  institution_code: string | null;
};

async function own(db: pg.PoolClient, actor: StaffActor): Promise<Own> {
  const { rows } = await db.query<Own>(
    'SELECT account, name, email, password_hash, institution_code FROM staff WHERE id = $1 FOR UPDATE',
    [actor.staffId],
  );
  if (!rows[0]) throw new Error('staff member not found');
  return rows[0];
}

const audit = (tx: pg.PoolClient, actor: StaffActor, o: Own, action: string, details: object, now: Date) =>
  recordStaffAction(tx, {
    staffId: actor.staffId,
    action,
    objectType: 'staff',
    objectId: actor.staffId,
    institutionCode: o.institution_code,
    ip: actor.ip,
    details,
    at: now,
  });

export async function updateOwnName(
  pool: pg.Pool,
  actor: StaffActor,
  raw: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors<'name'> }> {
  assertMay(actor, 'own_profile');
  const { name, error } = checkStaffName(raw);
  if (error) return { ok: false, errors: { name: error } };
  await withTransaction(pool, async (tx) => {
    const o = await own(tx, actor);
    if (o.name === name) return;
    await tx.query('UPDATE staff SET name = $2 WHERE id = $1', [actor.staffId, name]);
    await audit(tx, actor, o, 'staff.name_change', { old: { name: o.name }, new: { name } }, now);
  });
  return { ok: true };
}

/** Mails a confirmation link to the new address; the address changes only when it is followed. */
export async function requestOwnEmailChange(
  pool: pg.Pool,
  actor: StaffActor,
  raw: string,
  ctx: LinkContext,
): Promise<{ ok: true; email: string } | { ok: false; errors: FieldErrors<'email'> }> {
  assertMay(actor, 'own_profile');
  const email = normalizeEmail(raw);
  if (!email) return { ok: false, errors: { email: 'error.email.required' } };
  if (!EMAIL_RE.test(email) || email.length > 254) return { ok: false, errors: { email: 'error.email.format' } };
  return withTransaction(pool, async (tx) => {
    const o = await own(tx, actor);
    if (o.email?.toLowerCase() === email.toLowerCase())
      return { ok: false, errors: { email: 'staff.error.emailSame' } };
    const taken = await tx.query('SELECT 1 FROM staff WHERE lower(email) = lower($1) AND id <> $2', [
      email,
      actor.staffId,
    ]);
    if (taken.rowCount) return { ok: false, errors: { email: 'staff.error.emailTaken' } };
    const token = await issueStaffToken(tx, actor.staffId, 'confirm_email', ctx.now, CONFIRM_EMAIL_LINK_HOURS, email);
    await enqueueMail(
      tx,
      confirmEmailMail({
        locale: ctx.locale,
        to: email,
        name: o.name,
        account: o.account,
        institutionCode: o.institution_code,
        publicUrl: ctx.publicUrl,
        token,
      }),
    );
    await audit(tx, actor, o, 'staff.email_change_requested', { old: { email: o.email }, new: { email } }, ctx.now);
    return { ok: true, email };
  });
}

export type OwnPasswordField = 'currentPassword' | 'password' | 'passwordConfirm';

/** The current password, then a new one by the family rules; the staff member's other sessions end. */
export async function changeOwnPassword(
  pool: pg.Pool,
  actor: StaffActor,
  input: { currentPassword: string; password: string; passwordConfirm: string },
  currentSid: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors<OwnPasswordField> }> {
  assertMay(actor, 'own_profile');
  const errors: FieldErrors<OwnPasswordField> = checkNewPassword(input.password, input.passwordConfirm);
  const { rows } = await pool.query<{ password_hash: string | null }>('SELECT password_hash FROM staff WHERE id = $1', [
    actor.staffId,
  ]);
  if (input.currentPassword === '') errors.currentPassword = 'error.currentPassword.required';
  else if (!rows[0]?.password_hash || !(await verifyPassword(rows[0].password_hash, input.currentPassword)))
    errors.currentPassword = 'error.currentPassword.wrong';
  if (Object.keys(errors).length) return { ok: false, errors };
  const hash = await hashPassword(input.password);
  await withTransaction(pool, async (tx) => {
    const o = await own(tx, actor);
    await tx.query('UPDATE staff SET password_hash = $2 WHERE id = $1', [actor.staffId, hash]);
    await endStaffSessions(tx, actor.staffId, currentSid);
    // The audit log never holds a password or its hash: only that it changed.
    await audit(tx, actor, o, 'staff.password_change', { changed: ['password'] }, now);
  });
  return { ok: true };
}
