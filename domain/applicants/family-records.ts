import { normalizeEmail, normalizeMobile } from './vocabulary.ts';
import { normalizeIdentityNumber } from '../national-id.ts';
import type { Db } from '../platform/db.ts';
import { accountCounterRows } from '../platform/sign-in-keys.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { maskIdentityNumber } from '../shared/masking.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import type { Locale } from '../shared/locale.ts';

/**
 * 家屬資料查詢修改: staff find an applicant and see their account and what they did in the staff
 * member's scope. "A family of an institution" is the database view `applicant_institution`
 * (migration 016): an application, a booking (as booker or other visitor) or a post concerning one of
 * its inmates. An institution administrator never finds or opens anyone outside it (not found);
 * the agency administrator sees every applicant.
 */

/** SQL: whether applicant `a` (an alias) is inside the scope given as parameter `$n` (NULL: every applicant). */
export const IN_FAMILY_SCOPE = (alias: string, param: string) =>
  `(${param}::char(4) IS NULL OR EXISTS (SELECT 1 FROM applicant_institution ai WHERE ai.applicant_id = ${alias}.id AND ai.institution_code = ${param}::char(4)))`;

/** Whether the applicant is a family of the actor's institution (always, for the agency). */
export async function isInFamilyScope(db: Db, actor: StaffActor, applicantId: number): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM applicant a WHERE a.id = $1 AND ${IN_FAMILY_SCOPE('a', '$2')}`, [
    applicantId,
    actor.institutionCode,
  ]);
  return (rowCount ?? 0) > 0;
}

export type SearchKind = 'national_id' | 'email' | 'mobile' | 'name';
export const SEARCH_MAX = 100;
export const SEARCH_LIMIT = 50;

/** What a search term is: an ID number, an address or a mobile is matched exactly; anything else is part of a name. */
export function readSearch(raw: string): { kind: SearchKind; value: string } | null {
  const q = raw.normalize('NFKC').trim().slice(0, SEARCH_MAX);
  if (q === '') return null;
  const id = normalizeIdentityNumber(q);
  if (/^[A-Z][A-Z0-9]\d{8}$/.test(id)) return { kind: 'national_id', value: id };
  if (q.includes('@')) return { kind: 'email', value: normalizeEmail(q).toLowerCase() };
  const mobile = normalizeMobile(q);
  if (/^09\d{8}$/.test(mobile)) return { kind: 'mobile', value: mobile };
  return { kind: 'name', value: q.replace(/\s+/g, ' ') };
}

export type FamilyListItem = {
  id: number;
  name: string;
  /** masked to the last 4 in lists */
  nationalIdMasked: string;
  email: string;
  emailVerified: boolean;
  disabled: boolean;
};

/** Finds applicants in the actor's scope; every search is audited with what was searched. */
export async function searchFamilies(
  db: Db,
  actor: StaffActor,
  raw: string,
  now: Date,
): Promise<{ kind: SearchKind; items: FamilyListItem[]; more: boolean } | null> {
  assertMay(actor, 'family_data');
  const search = readSearch(raw);
  if (!search) return null;
  const where = {
    national_id: 'a.national_id = $2',
    email: 'lower(a.email) = $2',
    mobile: 'a.mobile = $2',
    name: `a.name ILIKE '%' || replace(replace(replace($2, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
  }[search.kind];
  const { rows } = await db.query<{
    id: number;
    name: string;
    national_id: string;
    email: string;
    email_verified_at: Date | null;
    disabled_at: Date | null;
  }>(
    `SELECT a.id, a.name, a.national_id, a.email, a.email_verified_at, a.disabled_at FROM applicant a
      WHERE ${where} AND ${IN_FAMILY_SCOPE('a', '$1')}
      ORDER BY a.name, a.id LIMIT ${SEARCH_LIMIT + 1}`,
    [actor.institutionCode, search.value],
  );
  await recordStaffAction(db, {
    staffId: actor.staffId,
    action: 'family.search',
    objectType: 'applicant',
    institutionCode: actor.institutionCode,
    ip: actor.ip,
    details: { query: raw.trim().slice(0, SEARCH_MAX), kind: search.kind, found: Math.min(rows.length, SEARCH_LIMIT) },
    at: now,
  });
  return {
    kind: search.kind,
    more: rows.length > SEARCH_LIMIT,
    items: rows.slice(0, SEARCH_LIMIT).map((r) => ({
      id: r.id,
      name: r.name,
      nationalIdMasked: maskIdentityNumber(r.national_id),
      email: r.email,
      emailVerified: r.email_verified_at !== null,
      disabled: r.disabled_at !== null,
    })),
  };
}

/** Where the family sign-in's failures are counted (domain/platform/sign-in-keys.ts): across addresses, and per address. */
export function familySignInCounterRows(email: string): { account: string; perAddress: string } {
  return accountCounterRows('applicant', normalizeEmail(email).toLowerCase());
}

/** Whether a family account is over its failure limit across addresses (issue 11), and until when. */
export async function signInLock(
  db: Db,
  email: string,
  limit: number,
): Promise<{ locked: boolean; until: Date | null }> {
  const { rows } = await db.query<{ points: number; expire: string | null }>(
    `SELECT points, expire FROM sign_in_failure
      WHERE key = $1 AND (expire IS NULL OR expire > extract(epoch FROM clock_timestamp()) * 1000)`,
    [familySignInCounterRows(email).account],
  );
  const row = rows[0];
  if (!row || row.points < limit) return { locked: false, until: null };
  return { locked: true, until: row.expire === null ? null : new Date(Number(row.expire)) };
}

export type FamilyRecord = {
  id: number;
  name: string;
  nationalId: string;
  email: string;
  birthday: string;
  mobile: string | null;
  phone: string | null;
  locale: Locale;
  createdAt: Date;
  emailVerified: boolean;
  disabled: { at: Date; reason: string } | null;
  locked: { until: Date | null } | null;
  /** the family's correction request waiting for an answer, if any */
  openRequestId: number | null;
  applications: Array<{
    id: number;
    number: string;
    service: string;
    status: string;
    submittedAt: Date;
    inmateName: string;
    callNumber: string;
    institutionName: string;
  }>;
  bookings: Array<{
    id: number;
    number: string;
    visitKind: string;
    visitDate: string;
    status: string;
    booker: boolean;
    callNumber: string;
    institutionName: string;
  }>;
  posts: Array<{
    id: number;
    title: string;
    status: string;
    submittedAt: Date;
    delivered: boolean;
    callNumber: string;
    institutionName: string;
  }>;
};

/** One applicant as staff see them, with only what concerns the actor's institution; null outside the scope. */
export async function getFamilyRecord(
  db: Db,
  actor: StaffActor,
  applicantId: number,
  opts: { locale: Locale; signInLimit: number },
): Promise<FamilyRecord | null> {
  assertMay(actor, 'family_data');
  const { rows } = await db.query(
    `SELECT a.id, a.name, a.national_id, a.email, a.birthday, a.mobile, a.phone, a.locale, a.created_at,
            a.email_verified_at, a.disabled_at, a.disabled_reason
       FROM applicant a WHERE a.id = $1 AND ${IN_FAMILY_SCOPE('a', '$2')}`,
    [applicantId, actor.institutionCode],
  );
  const a = rows[0];
  if (!a) return null;
  const scope = actor.institutionCode;
  const instName = opts.locale === 'en' ? 'i.name_en' : 'i.name_zh';
  const applications = await db.query(
    `SELECT sa.id, sa.number, sa.service, sa.status, sa.submitted_at, m.name AS inmate_name, m.call_number, ${instName} AS institution_name
       FROM service_application sa JOIN inmate m ON m.id = sa.inmate_id JOIN institution i ON i.code = m.institution_code
      WHERE sa.applicant_id = $1 AND ($2::char(4) IS NULL OR m.institution_code = $2)
      ORDER BY sa.submitted_at DESC, sa.id DESC`,
    [applicantId, scope],
  );
  const bookings = await db.query(
    `SELECT b.id, b.number, b.visit_kind, b.visit_date::text AS visit_date, b.status, v.position = 1 AS booker,
            m.call_number, ${instName} AS institution_name
       FROM visit_booking_visitor v JOIN visit_booking b ON b.id = v.booking_id
       JOIN inmate m ON m.id = b.inmate_id JOIN institution i ON i.code = m.institution_code
      WHERE v.applicant_id = $1 AND ($2::char(4) IS NULL OR m.institution_code = $2)
      ORDER BY b.visit_date DESC, b.id DESC`,
    [applicantId, scope],
  );
  const posts = await db.query(
    `SELECT p.id, p.title, p.status, p.submitted_at, p.delivered_at, m.call_number, ${instName} AS institution_name
       FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id JOIN institution i ON i.code = m.institution_code
      WHERE p.applicant_id = $1 AND ($2::char(4) IS NULL OR m.institution_code = $2)
      ORDER BY p.submitted_at DESC, p.id DESC`,
    [applicantId, scope],
  );
  const lock = await signInLock(db, a.email, opts.signInLimit);
  const open = await db.query<{ id: number }>(
    `SELECT id FROM applicant_correction_request WHERE applicant_id = $1 AND status = 'pending'`,
    [applicantId],
  );
  return {
    id: a.id,
    name: a.name,
    nationalId: a.national_id,
    email: a.email,
    birthday: a.birthday,
    mobile: a.mobile,
    phone: a.phone,
    locale: a.locale,
    createdAt: a.created_at,
    emailVerified: a.email_verified_at !== null,
    disabled: a.disabled_at ? { at: a.disabled_at, reason: a.disabled_reason } : null,
    locked: lock.locked ? { until: lock.until } : null,
    openRequestId: open.rows[0]?.id ?? null,
    applications: applications.rows.map((r) => ({
      id: r.id,
      number: r.number,
      service: r.service,
      status: r.status,
      submittedAt: r.submitted_at,
      inmateName: r.inmate_name,
      callNumber: r.call_number,
      institutionName: r.institution_name,
    })),
    bookings: bookings.rows.map((r) => ({
      id: r.id,
      number: r.number,
      visitKind: r.visit_kind,
      visitDate: r.visit_date,
      status: r.status,
      booker: r.booker,
      callNumber: r.call_number,
      institutionName: r.institution_name,
    })),
    posts: posts.rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      submittedAt: r.submitted_at,
      delivered: r.delivered_at !== null,
      callNumber: r.call_number,
      institutionName: r.institution_name,
    })),
  };
}
