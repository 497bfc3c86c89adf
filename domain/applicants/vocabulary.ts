import type { MessageKey } from '../i18n/i18n.ts';

/** An applicant's account fields: limits and the rules shared by registration and the profile. */

export const VERIFY_LINK_MINUTES = 10;
export const RESET_LINK_MINUTES = 30;
/** The link mailed when an account is over its failed sign-in limit across addresses. */
export const SIGN_IN_LINK_MINUTES = 10;
/** An account whose address is not confirmed this long after registration expires, freeing its ID and e-mail. */
export const UNVERIFIED_ACCOUNT_HOURS = 24;
/** Unverified accounts created at or before this moment have expired. */
export const unverifiedExpiredBefore = (now: Date) => new Date(now.getTime() - UNVERIFIED_ACCOUNT_HOURS * 3_600_000);
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** A field's problem: a message, or a message with what it names (the character refused, a limit). */
export type FieldProblem = MessageKey | { key: MessageKey; params: Record<string, string | number> };
export type FieldErrors<F extends string> = Partial<Record<F, FieldProblem>>;
export type Validated<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

// ---- field rules, shared by registration and the profile ----

export function normalizeMobile(raw: string): string {
  let v = raw.normalize('NFKC').replace(/[\s\-().]/g, '');
  if (v.startsWith('+886')) v = `0${v.slice(4)}`;
  else if (v.startsWith('886') && v.length === 12) v = `0${v.slice(3)}`;
  return v;
}

export function checkMobile(raw: string): { value: string | null; error?: MessageKey } {
  if (raw.trim() === '') return { value: null };
  const v = normalizeMobile(raw);
  return /^09\d{8}$/.test(v) ? { value: v } : { value: null, error: 'error.mobile.format' };
}

export function checkPhone(raw: string): { value: string | null; error?: MessageKey } {
  const v = raw.normalize('NFKC').trim();
  if (v === '') return { value: null };
  const digits = v.replace(/\D/g, '');
  if (!/^[0-9+()#\-\s]+$/.test(v) || digits.length < 7 || v.length > 30)
    return { value: null, error: 'error.phone.format' };
  return { value: v };
}

export function checkNewPassword(
  password: string,
  confirm: string,
): { password?: MessageKey; passwordConfirm?: MessageKey } {
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

export const EMAIL_RE = /^[^@\s"<>,;]+@[^@\s"<>,;]+\.[^@\s"<>,;]+$/;

export type PasswordField = 'password' | 'passwordConfirm' | 'currentPassword';
export type ContactField = 'mobile' | 'phone';
