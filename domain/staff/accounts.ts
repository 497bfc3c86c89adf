import type pg from 'pg';
import { EMAIL_RE, normalizeEmail } from '../applicants/vocabulary.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import type { Locale } from '../shared/locale.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, STAFF_ROLES, type StaffActor, type StaffRole } from '../shared/staff-actor.ts';
import { issueStaffToken } from './links.ts';
import { lockedAccounts } from './lock.ts';
import { setPasswordMail } from './mails.ts';
import {
  ACCOUNT_RE,
  checkStaffName,
  type FieldErrors,
  normalizeAccount,
  rolesGivenBy,
  SET_PASSWORD_LINK_HOURS,
  type StaffAccount,
  type StaffFormField,
} from './vocabulary.ts';

/**
 * 帳號管理: the staff accounts an administrator sees and creates. An institution administrator sees only
 * their institution's accounts and creates reviewers and institution administrators there; the agency
 * administrator sees every account and may create agency administrators. No password is typed or shown:
 * a new account's owner is mailed a one-time link to set it.
 */
export type LinkContext = { now: Date; publicUrl: string; locale: Locale };

type AccountRow = {
  id: string;
  account: string;
  name: string;
  email: string | null;
  role: StaffRole;
  institution_code: string | null;
  active: boolean;
  has_password: boolean;
  created_at: Date;
};
const COLUMNS = `id, account, name, email, role, institution_code, active, password_hash IS NOT NULL AS has_password, created_at`;

const toAccount = (r: AccountRow, locked: Set<string>): StaffAccount => ({
  id: Number(r.id),
  account: r.account,
  name: r.name,
  email: r.email,
  role: r.role,
  institutionCode: r.institution_code,
  active: r.active,
  hasPassword: r.has_password,
  locked: locked.has(r.account),
  createdAt: r.created_at,
});

/** The accounts in the actor's scope (agency: every one, or one institution's), by institution, role and account. */
export async function listStaffAccounts(
  db: Db,
  actor: StaffActor,
  filter: { institutionCode: string | null },
  lockLimit: number,
): Promise<StaffAccount[]> {
  assertMay(actor, 'staff_accounts');
  const institution = actor.institutionCode ?? filter.institutionCode;
  const { rows } = await db.query<AccountRow>(
    `SELECT ${COLUMNS} FROM staff WHERE ($1::text IS NULL OR institution_code = $1)
      ORDER BY institution_code NULLS FIRST, array_position($2::text[], role) DESC, account`,
    [institution, STAFF_ROLES],
  );
  const locked = await lockedAccounts(
    db,
    rows.map((r) => r.account),
    lockLimit,
  );
  return rows.map((r) => toAccount(r, locked));
}

/** One account, or null when there is none in the actor's scope (an agency administrator's is outside an institution's). */
export async function getStaffAccount(
  db: Db,
  actor: StaffActor,
  id: number,
  lockLimit: number,
): Promise<StaffAccount | null> {
  assertMay(actor, 'staff_accounts');
  const { rows } = await db.query<AccountRow>(
    `SELECT ${COLUMNS} FROM staff WHERE id = $1 AND ($2::text IS NULL OR institution_code = $2)`,
    [id, actor.institutionCode],
  );
  if (!rows[0]) return null;
  return toAccount(rows[0], await lockedAccounts(db, [rows[0].account], lockLimit));
}

export type NewStaffInput = { name: string; email: string; account: string; institution: string; role: string };
type CheckedStaff = { name: string; email: string; account: string; institutionCode: string | null; role: StaffRole };

/** The form's answers checked against the actor's powers; institution administrators always create in their own. */
async function checkNewStaff(
  db: Db,
  actor: Pick<StaffActor, 'role' | 'institutionCode'>,
  input: NewStaffInput,
): Promise<{ ok: true; staff: CheckedStaff } | { ok: false; errors: FieldErrors<StaffFormField> }> {
  const errors: FieldErrors<StaffFormField> = {};
  const { name, error: nameError } = checkStaffName(input.name);
  if (nameError) errors.name = nameError;
  const email = normalizeEmail(input.email);
  if (!email) errors.email = 'error.email.required';
  else if (!EMAIL_RE.test(email) || email.length > 254) errors.email = 'error.email.format';
  else if ((await db.query('SELECT 1 FROM staff WHERE lower(email) = lower($1)', [email])).rowCount)
    errors.email = 'staff.error.emailTaken';
  const account = normalizeAccount(input.account);
  if (!account) errors.account = 'staff.error.accountRequired';
  else if (!ACCOUNT_RE.test(account)) errors.account = 'staff.error.accountFormat';
  else if ((await db.query('SELECT 1 FROM staff WHERE lower(account) = $1', [account])).rowCount)
    errors.account = 'staff.error.accountTaken';
  const role = rolesGivenBy(actor.role).find((r) => r === input.role);
  if (!role) errors.role = 'staff.error.role';
  let institutionCode: string | null = null;
  if (role !== 'agency_admin') {
    institutionCode = actor.institutionCode ?? input.institution.trim();
    const known = /^\d{4}$/.test(institutionCode)
      ? (await db.query('SELECT 1 FROM institution WHERE code = $1', [institutionCode])).rowCount
      : 0;
    if (!known) errors.institution = 'staff.error.institution';
  }
  if (Object.keys(errors).length || !role) return { ok: false, errors };
  return { ok: true, staff: { name, email, account, institutionCode, role } };
}

/** Inserts the account and mails its password-set link, in the caller's transaction; returns its id and link token. */
async function insertStaff(
  tx: Db,
  s: CheckedStaff,
  by: { staffId: number | null; ip: string | null; via?: string },
  ctx: LinkContext,
): Promise<{ id: number; token: string }> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO staff (account, name, email, institution_code, role, locale) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.account, s.name, s.email, s.institutionCode, s.role, ctx.locale],
  );
  const id = Number(rows[0]!.id);
  const token = await issueStaffToken(tx, id, 'set_password', ctx.now, SET_PASSWORD_LINK_HOURS);
  await enqueueMail(tx, setPasswordMail({ ...s, locale: ctx.locale, to: s.email, publicUrl: ctx.publicUrl, token }));
  await recordStaffAction(tx, {
    staffId: by.staffId,
    action: 'staff.create',
    objectType: 'staff',
    objectId: id,
    institutionCode: s.institutionCode,
    ip: by.ip,
    details: { new: s, ...(by.via ? { via: by.via } : {}) },
    at: ctx.now,
  });
  return { id, token };
}

/** A unique index refused a value another request took a moment ago: the same answer as the check's. */
function takenField(err: unknown): FieldErrors<StaffFormField> | null {
  const e = err as { code?: string; constraint?: string };
  if (e.code !== '23505') return null;
  return e.constraint === 'staff_email_key'
    ? { email: 'staff.error.emailTaken' }
    : { account: 'staff.error.accountTaken' };
}

export type CreateStaffOutcome = { ok: true; id: number } | { ok: false; errors: FieldErrors<StaffFormField> };

/** Creates an account (name, e-mail, login account, institution, role) and mails its owner a password-set link. */
export async function createStaffAccount(
  pool: pg.Pool,
  actor: StaffActor,
  input: NewStaffInput,
  ctx: LinkContext,
): Promise<CreateStaffOutcome> {
  assertMay(actor, 'staff_accounts');
  const checked = await checkNewStaff(pool, actor, input);
  if (!checked.ok) return checked;
  try {
    const { id } = await withTransaction(pool, (tx) =>
      insertStaff(tx, checked.staff, { staffId: actor.staffId, ip: actor.ip }, ctx),
    );
    return { ok: true, id };
  } catch (err) {
    const errors = takenField(err);
    if (errors) return { ok: false, errors };
    throw err;
  }
}

/** A login account made from an address: its part before @, in the characters accounts allow, made unique. */
async function accountFor(db: Db, email: string): Promise<string> {
  const base =
    (email.split('@')[0] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 30) || 'admin';
  const stem = base.length >= 3 ? base : `${base}-admin`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem}${n}`;
    if (!(await db.query('SELECT 1 FROM staff WHERE lower(account) = $1', [candidate])).rowCount) return candidate;
  }
}

export type FirstAdminOutcome =
  | { kind: 'created'; id: number; account: string; link: string }
  | { kind: 'exists'; account: string; role: StaffRole }
  | { kind: 'errors'; errors: FieldErrors<StaffFormField> };

/**
 * The admin command's create-agency-admin (first start in production): an agency administrator made
 * without anyone signed in, its password-set link mailed and returned for printing. An address that
 * already has an account changes nothing.
 */
export async function createAgencyAdminFromCommand(
  pool: pg.Pool,
  input: { email: string; name: string; account?: string },
  ctx: LinkContext,
): Promise<FirstAdminOutcome> {
  return withTransaction(pool, async (tx) => {
    // One at a time, so two runs for one address make one account.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('staff.create-agency-admin'))`);
    const email = normalizeEmail(input.email);
    const { rows } = await tx.query<{ account: string; role: StaffRole }>(
      'SELECT account, role FROM staff WHERE lower(email) = lower($1)',
      [email],
    );
    if (rows[0]) return { kind: 'exists', account: rows[0].account, role: rows[0].role };
    const account = input.account === undefined ? await accountFor(tx, email) : input.account;
    const checked = await checkNewStaff(
      tx,
      { role: 'agency_admin', institutionCode: null },
      { ...input, email, account, institution: '', role: 'agency_admin' },
    );
    if (!checked.ok) return { kind: 'errors', errors: checked.errors };
    const { id, token } = await insertStaff(tx, checked.staff, { staffId: null, ip: null, via: 'admin command' }, ctx);
    return {
      kind: 'created',
      id,
      account: checked.staff.account,
      link: `${ctx.publicUrl}/backoffice/password?token=${token}`,
    };
  });
}

/** Whether any active agency administrator exists (the server says how to create the first one when not). */
export async function hasActiveAgencyAdmin(db: Db): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM staff WHERE role = 'agency_admin' AND active LIMIT 1`);
  return (rowCount ?? 0) > 0;
}
