import type { MessageKey } from '../i18n/i18n.ts';
import type { StaffRole } from '../shared/staff-actor.ts';

/** Staff accounts (帳號管理) and 基本資料修改: the words, limits and problems the pages show. */

/** A password-set link, mailed to a new account or sent again by an administrator: 72 hours. */
export const SET_PASSWORD_LINK_HOURS = 72;
/** A link confirming a new e-mail address of one's own: 24 hours. */
export const CONFIRM_EMAIL_LINK_HOURS = 24;
export const STAFF_NAME_MAX = 50;
/** The login account, as the staff table's check has it (stored in lower case). */
export const ACCOUNT_RE = /^[a-z0-9._-]{3,40}$/;

export type StaffFormField = 'name' | 'email' | 'account' | 'institution' | 'role';
export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

/** An account as an administrator sees it in the list and on its page. */
export type StaffAccount = {
  id: number;
  account: string;
  name: string;
  email: string | null;
  role: StaffRole;
  institutionCode: string | null;
  active: boolean;
  /** false until its owner has followed a password-set link */
  hasPassword: boolean;
  /** over its failure limit across addresses (已鎖定) */
  locked: boolean;
  createdAt: Date;
};

/** Why a change to an account was refused (shown as the page's one problem). */
export type StaffChangeRefusal = 'self' | 'lastAgencyAdmin' | 'roleNotAllowed' | 'disabled' | 'noEmail';

export const REFUSAL_MESSAGE: Record<StaffChangeRefusal, MessageKey> = {
  self: 'staff.refused.self',
  lastAgencyAdmin: 'staff.refused.lastAgencyAdmin',
  roleNotAllowed: 'staff.refused.roleNotAllowed',
  disabled: 'staff.refused.disabled',
  noEmail: 'staff.refused.noEmail',
};

/** The roles an administrator may give: an institution administrator never makes an agency administrator. */
export function rolesGivenBy(actorRole: StaffRole): StaffRole[] {
  if (actorRole === 'agency_admin') return ['reviewer', 'institution_admin', 'agency_admin'];
  if (actorRole === 'institution_admin') return ['reviewer', 'institution_admin'];
  return [];
}

export const normalizeAccount = (raw: string) => raw.normalize('NFKC').trim().toLowerCase();

export function checkStaffName(raw: string): { name: string; error?: MessageKey } {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!name) return { name, error: 'staff.error.nameRequired' };
  if ([...name].length > STAFF_NAME_MAX) return { name, error: 'staff.error.nameLong' };
  return { name };
}
