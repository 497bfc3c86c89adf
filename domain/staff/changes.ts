import type pg from 'pg';
import { type Db, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor, type StaffRole } from '../shared/staff-actor.ts';
import type { LinkContext } from './accounts.ts';
import { endStaffSessions, issueStaffToken } from './links.ts';
import { clearSignInFailures, lockedAccounts } from './lock.ts';
import { setPasswordMail } from './mails.ts';
import { type FieldErrors, rolesGivenBy, SET_PASSWORD_LINK_HOURS, type StaffChangeRefusal } from './vocabulary.ts';

/**
 * An administrator's changes to one account: disable and re-enable, change the role, send a new
 * password-set link, unlock. Each in one transaction, audited with the old and new values. Nobody
 * disables or demotes themselves, and at least one active agency administrator always remains.
 */
export type ChangeOutcome = 'ok' | 'notFound' | StaffChangeRefusal;

type Target = {
  id: number;
  account: string;
  name: string;
  email: string | null;
  role: StaffRole;
  institution_code: string | null;
  active: boolean;
  locale: 'zh-TW' | 'en';
};

/** The account, locked for the change, when it is in the actor's scope. Agency administrators are locked first. */
async function lockTarget(tx: Db, actor: StaffActor, id: number): Promise<Target | null> {
  // Every change that could remove an agency administrator takes their rows first, in one order, so two
  // administrators demoting each other at once cannot both succeed.
  await tx.query(`SELECT id FROM staff WHERE role = 'agency_admin' AND active ORDER BY id FOR UPDATE`);
  const { rows } = await tx.query<Target>(
    `SELECT id, account, name, email, role, institution_code, active, locale FROM staff
      WHERE id = $1 AND ($2::text IS NULL OR institution_code = $2) FOR UPDATE`,
    [id, actor.institutionCode],
  );
  return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
}

async function otherActiveAgencyAdmins(tx: Db, id: number): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM staff WHERE role = 'agency_admin' AND active AND id <> $1`,
    [id],
  );
  return rows[0]!.n;
}

const audit = (tx: Db, actor: StaffActor, t: Target, action: string, details: object, now: Date) =>
  recordStaffAction(tx, {
    staffId: actor.staffId,
    action,
    objectType: 'staff',
    objectId: t.id,
    institutionCode: t.institution_code,
    ip: actor.ip,
    details,
    at: now,
  });

/** 停用 / 啟用. A disabled account's sessions end at once and its links stop working. */
export async function setStaffActive(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  active: boolean,
  now: Date,
): Promise<ChangeOutcome> {
  assertMay(actor, 'staff_accounts');
  return withTransaction(pool, async (tx) => {
    const t = await lockTarget(tx, actor, id);
    if (!t) return 'notFound';
    if (t.id === actor.staffId) return 'self';
    if (t.active === active) return 'ok';
    if (!active && t.role === 'agency_admin' && (await otherActiveAgencyAdmins(tx, t.id)) === 0)
      return 'lastAgencyAdmin';
    await tx.query('UPDATE staff SET active = $2 WHERE id = $1', [t.id, active]);
    if (!active) await endStaffSessions(tx, t.id);
    await audit(
      tx,
      actor,
      t,
      active ? 'staff.enable' : 'staff.disable',
      { old: { active: t.active }, new: { active } },
      now,
    );
    return 'ok';
  });
}

export type RoleChangeOutcome = ChangeOutcome | { errors: FieldErrors<'role' | 'institution'> };

/**
 * 變更角色. An institution administrator moves accounts of their institution between reviewer and
 * institution administrator; the agency administrator may also make or unmake agency administrators,
 * choosing the institution an account then belongs to.
 */
export async function changeStaffRole(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  input: { role: string; institution: string },
  now: Date,
): Promise<RoleChangeOutcome> {
  assertMay(actor, 'staff_accounts');
  const role = rolesGivenBy(actor.role).find((r) => r === input.role);
  return withTransaction(pool, async (tx) => {
    const t = await lockTarget(tx, actor, id);
    if (!t) return 'notFound';
    if (t.id === actor.staffId) return 'self';
    if (!role) return { errors: { role: 'staff.error.role' } };
    let institutionCode: string | null = null;
    if (role !== 'agency_admin') {
      const wanted = actor.institutionCode ?? (input.institution.trim() || t.institution_code || '');
      const known = /^\d{4}$/.test(wanted)
        ? (await tx.query('SELECT 1 FROM institution WHERE code = $1', [wanted])).rowCount
        : 0;
      if (!known) return { errors: { institution: 'staff.error.institution' } };
      institutionCode = wanted;
    }
    if (role === t.role && institutionCode === t.institution_code) return 'ok';
    if (
      t.active &&
      t.role === 'agency_admin' &&
      role !== 'agency_admin' &&
      (await otherActiveAgencyAdmins(tx, t.id)) === 0
    )
      return 'lastAgencyAdmin';
    await tx.query('UPDATE staff SET role = $2, institution_code = $3 WHERE id = $1', [t.id, role, institutionCode]);
    await audit(
      tx,
      actor,
      t,
      'staff.role_change',
      { old: { role: t.role, institutionCode: t.institution_code }, new: { role, institutionCode } },
      now,
    );
    return 'ok';
  });
}

/** 寄送密碼設定連結: a new one-time link (the earlier ones stop working), mailed to the account's address. */
export async function sendPasswordLink(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  ctx: Omit<LinkContext, 'locale'>,
): Promise<ChangeOutcome> {
  assertMay(actor, 'staff_accounts');
  return withTransaction(pool, async (tx) => {
    const t = await lockTarget(tx, actor, id);
    if (!t) return 'notFound';
    if (!t.active) return 'disabled';
    if (!t.email) return 'noEmail';
    const token = await issueStaffToken(tx, t.id, 'set_password', ctx.now, SET_PASSWORD_LINK_HOURS);
    await enqueueMail(
      tx,
      setPasswordMail({
        locale: t.locale,
        to: t.email,
        name: t.name,
        account: t.account,
        institutionCode: t.institution_code,
        publicUrl: ctx.publicUrl,
        token,
      }),
    );
    await audit(tx, actor, t, 'staff.password_link', { to: t.email }, ctx.now);
    return 'ok';
  });
}

/** 解除鎖定: forgets every sign-in failure counted against the account. */
export async function unlockStaffAccount(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  lockLimit: number,
  now: Date,
): Promise<ChangeOutcome> {
  assertMay(actor, 'staff_accounts');
  return withTransaction(pool, async (tx) => {
    const t = await lockTarget(tx, actor, id);
    if (!t) return 'notFound';
    const locked = (await lockedAccounts(tx, [t.account], lockLimit)).size > 0;
    await clearSignInFailures(tx, t.account);
    await audit(tx, actor, t, 'staff.unlock', { old: { locked }, new: { locked: false } }, now);
    return 'ok';
  });
}
