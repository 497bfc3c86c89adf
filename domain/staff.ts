import type { Db } from './platform/db.ts';
import { burnPasswordCheck, verifyPassword } from './platform/passwords.ts';
import type { StaffRole } from './shared/staff-actor.ts';
import type { Locale } from './shared/locale.ts';

/** 承辦人員: a back-office user, bound to one institution unless an agency administrator. */
export type StaffMember = {
  id: number;
  account: string;
  name: string;
  role: StaffRole;
  /** null only for agency administrators, who see every institution */
  institutionCode: string | null;
  /** where password-set links go; null only for accounts made before issue 12 */
  email: string | null;
  /** the language they chose last: their mails are in it */
  locale: Locale;
};

type StaffRow = {
  id: number;
  account: string;
  name: string;
  role: StaffRole;
  institution_code: string | null;
  email: string | null;
  /** null until the owner follows their password-set link */
  password_hash: string | null;
  active: boolean;
  locale: Locale;
};

const toStaffMember = (r: StaffRow): StaffMember => ({
  id: Number(r.id),
  account: r.account,
  name: r.name,
  role: r.role,
  institutionCode: r.institution_code,
  email: r.email,
  locale: r.locale,
});

const COLUMNS = 'id, account, name, role, institution_code, email, password_hash, active, locale';

/** An unknown account, a wrong password and a deactivated account look the same, and take as long. */
export async function authenticateStaff(db: Db, account: string, password: string): Promise<StaffMember | null> {
  const { rows } = await db.query<StaffRow>(`SELECT ${COLUMNS} FROM staff WHERE lower(account) = lower($1)`, [
    account.trim(),
  ]);
  const row = rows[0];
  // An account whose owner has not set a password yet takes as long as any other.
  if (!row || row.password_hash === null) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(row.password_hash, password)) || !row.active) return null;
  return toStaffMember(row);
}

/** Read afresh on every request, so a deactivated account loses its session at once. */
export async function getStaffMember(db: Db, id: number): Promise<StaffMember | null> {
  const { rows } = await db.query<StaffRow>(`SELECT ${COLUMNS} FROM staff WHERE id = $1 AND active`, [id]);
  return rows[0] ? toStaffMember(rows[0]) : null;
}

/** The institution a staff member's queries are limited to; null means every institution. */
export function scopeOf(staff: StaffMember): string | null {
  return staff.role === 'agency_admin' ? null : staff.institutionCode;
}

/** The language a staff member chose last, stored at once so the next mail to them is in it. */
export async function setStaffLocale(db: Db, staffId: number, locale: Locale): Promise<void> {
  await db.query('UPDATE staff SET locale = $2 WHERE id = $1 AND locale <> $2', [staffId, locale]);
}
