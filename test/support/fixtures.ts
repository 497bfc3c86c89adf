/**
 * Builders for the rows most tests start from: institutions, staff, inmates, applicants, approved
 * services and visit batches. Each inserts one row with plain SQL and returns its key; what a test
 * does not name gets a dull default that no assertion depends on.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { hashPassword } from '../../domain/platform/passwords.ts';
import type { StaffRole } from '../../domain/shared/staff-actor.ts';
import type { Locale } from '../../domain/shared/locale.ts';

/** A pool, a client or a transaction: anything that runs a query. */
export type Db = Pick<pg.Pool, 'query'>;

/** The two institutions most tests use, as the seed names them. */
export const INSTITUTIONS = {
  '2477': { nameZh: '桃園女子監獄', nameEn: "Taoyuan Women's Prison" },
  '2411': { nameZh: '基隆監獄', nameEn: 'Keelung Prison' },
} as const;

type TimeRange = readonly [start: string, end: string];

/** An institution; 2477 and 2411 get their real names unless told otherwise. Returns its code. */
export async function institution(
  db: Db,
  spec: {
    code: string;
    nameZh?: string;
    nameEn?: string;
    /** lawyers' morning and afternoon arrival windows (RAS–RAE, RFS–RFE); the schema's defaults if absent */
    lawyerMorning?: TimeRange;
    lawyerAfternoon?: TimeRange;
  },
): Promise<string> {
  const known = INSTITUTIONS[spec.code as keyof typeof INSTITUTIONS];
  const nameZh = spec.nameZh ?? known?.nameZh ?? `第${spec.code}監獄`;
  const nameEn = spec.nameEn ?? known?.nameEn ?? `Prison ${spec.code}`;
  const columns: Record<string, string> = { code: spec.code, name_zh: nameZh, name_en: nameEn };
  if (spec.lawyerMorning) [columns.lawyer_morning_start, columns.lawyer_morning_end] = spec.lawyerMorning;
  if (spec.lawyerAfternoon) [columns.lawyer_afternoon_start, columns.lawyer_afternoon_end] = spec.lawyerAfternoon;
  const names = Object.keys(columns);
  await db.query(
    `INSERT INTO institution (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(columns),
  );
  return spec.code;
}

// argon2 is slow on purpose; a password used by several builders in one process is hashed once.
const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  return hash;
}

/**
 * A staff account. With `password` it can sign in (hashed as the portal hashes); without, its hash is
 * a placeholder for domain tests that never sign in. Returns the staff id.
 */
export async function staff(
  db: Db,
  spec: {
    account: string;
    name: string;
    role: StaffRole;
    /** null for agency administrators, who belong to no institution */
    institutionCode: string | null;
    password?: string;
  },
): Promise<number> {
  const hash = spec.password === undefined ? 'x' : await hashOnce(spec.password);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [spec.account, spec.name, spec.institutionCode, spec.role, hash],
  );
  return Number(rows[0]!.id);
}

/** An inmate of an institution. Returns the inmate id. */
export async function inmate(
  db: Db,
  spec: {
    institutionCode: string;
    callNumber: string;
    name: string;
    restriction?: 'visit_ban' | 'disciplinary_isolation' | 'protective_custody' | 'medical_isolation' | null;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO inmate (institution_code, call_number, name, restriction) VALUES ($1, $2, $3, $4) RETURNING id`,
    [spec.institutionCode, spec.callNumber, spec.name, spec.restriction ?? null],
  );
  return Number(rows[0]!.id);
}

/**
 * An applicant who consented to the privacy notice and, unless `verified` is false, confirmed their
 * e-mail address: able to sign in with `password` if one is given. Returns the applicant id.
 */
export async function applicant(
  db: Db,
  spec: {
    name: string;
    nationalId: string;
    email: string;
    /** YYYY-MM-DD; 1980-01-01 if absent */
    birthday?: string;
    mobile?: string | null;
    locale?: Locale;
    password?: string;
    verified?: boolean;
  },
): Promise<number> {
  const hash = spec.password === undefined ? 'x' : await hashOnce(spec.password);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO applicant (name, national_id, email, birthday, mobile, password_hash, locale, privacy_consent_at, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), CASE WHEN $8 THEN now() END) RETURNING id`,
    [
      spec.name,
      spec.nationalId,
      spec.email,
      spec.birthday ?? '1980-01-01',
      spec.mobile ?? null,
      hash,
      spec.locale ?? 'zh-TW',
      spec.verified ?? true,
    ],
  );
  return Number(rows[0]!.id);
}

type Relationship =
  | 'spouse'
  | 'father'
  | 'mother'
  | 'child'
  | 'sibling'
  | 'grandparent'
  | 'grandchild'
  | 'in_law'
  | 'collateral_relative'
  | 'household_member'
  | 'agency_worker'
  | 'lawyer'
  | 'defender'
  | 'trainee_lawyer'
  | 'litigation_agent'
  | 'interpreter';

/** A number in the portal's shape (YYYYMMDD-XXXXXX) that no other test row has. */
function serviceNumber(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `20261101-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * A service application already decided in the applicant's favour (or, with `status`, still pending
 * or approved automatically), for the inmate's own institution unless told. The applicant is an id or
 * the e-mail of someone registered through the pages; the inmate an id or an institution and call
 * number. Returns the application id.
 */
export async function approvedService(
  db: Db,
  spec: {
    applicant: number | { email: string };
    inmate: number | { institutionCode: string; callNumber: string };
    service: 'contact_book' | 'visit' | 'lawyer_visit';
    relationship: Relationship;
    /** for visits: which kinds are granted */
    visitKinds?: Array<'onsite' | 'remote' | 'mobile'>;
    /** the number people quote; a fresh one if absent */
    number?: string;
    institutionCode?: string;
    status?: 'approved' | 'auto_approved' | 'pending';
  },
): Promise<number> {
  const status = spec.status ?? 'approved';
  const a = spec.applicant;
  const m = spec.inmate;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
     SELECT $1, a.id, m.id, coalesce($2, m.institution_code), $3, $4, $5, $6, now(), $7, CASE WHEN $7 <> 'pending' THEN now() END
       FROM applicant a, inmate m
      WHERE (a.id = $8 OR lower(a.email) = lower($9))
        AND (m.id = $10 OR (m.institution_code = $11 AND m.call_number = $12))
     RETURNING id`,
    [
      spec.number ?? serviceNumber(),
      spec.institutionCode ?? null,
      spec.service,
      spec.visitKinds ?? [],
      spec.relationship,
      randomUUID(),
      status,
      typeof a === 'number' ? a : null,
      typeof a === 'number' ? null : a.email,
      typeof m === 'number' ? m : null,
      typeof m === 'number' ? null : m.institutionCode,
      typeof m === 'number' ? null : m.callNumber,
    ],
  );
  if (rows.length !== 1) throw new Error(`approvedService: no such applicant or inmate (${JSON.stringify(spec)})`);
  return Number(rows[0]!.id);
}

/**
 * A weekly batch of the visit timetable: on ISO `weekday` (1 Monday … 7 Sunday) at `startsAt`, for
 * `lengthMinutes` (null for mobile visits, which last the institution's parameter A). Returns its id.
 */
export async function visitBatch(
  db: Db,
  spec: {
    institutionCode: string;
    kind: 'onsite' | 'remote' | 'mobile';
    weekday: number;
    startsAt: string;
    lengthMinutes: number | null;
    capacity: number;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [spec.institutionCode, spec.kind, spec.weekday, spec.startsAt, spec.lengthMinutes, spec.capacity],
  );
  return Number(rows[0]!.id);
}
