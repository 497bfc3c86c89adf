import { randomBytes, randomInt } from 'node:crypto';
import type pg from 'pg';
import { conditions, isCheckViolation, isUniqueViolation, pageOf, withTransaction, type Db } from './platform/db.ts';
import { taipeiToday } from './shared/dates.ts';
import type { Relationship, VisitKind } from './applications/vocabulary.ts';
import { VISIT_KINDS } from './applications/vocabulary.ts';
import { maskName } from './shared/masking.ts';
import { maskIdentityNumber } from './shared/masking.ts';
import { recordStaffAction } from './shared/audit.ts';
import { notifyCompanionLeft, notifyVisitors } from './visit-booking-notices.ts';
import { DEFAULT_VIDEO_SERVICE_URL } from './platform/config.ts';
import type { BookingNoticeEvent } from './mails.ts';

/**
 * Visit booking (預約接見, seed 003; lawyers and staff, seed 002). The rules that must never break
 * (capacity, nobody in two visits at once, the 2–7 day window, blocked dates, approved visitors, the
 * reason) are enforced by migrations/006_visit_bookings.sql; the checks here come first only to
 * name the problem, and a refusal by the database is turned into the same codes.
 */

export type BookingService = 'visit' | 'lawyer_visit';
export type BookingStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type Locale = 'zh-TW' | 'en';

export const BOOKING_STATUSES: readonly BookingStatus[] = ['pending', 'approved', 'rejected', 'cancelled'];
/** Bookable dates: from 2 to 7 days after today in Asia/Taipei. */
export const FIRST_BOOKABLE_DAY = 2;
export const LAST_BOOKABLE_DAY = 7;
/** 第二、第三接見人. */
export const MAX_COMPANIONS = 2;
export const REASON_MAX = 500;
/** How long a lawyer's on-site visit holds the lawyer and the inmate (the law's limit per visit). */
export const LAWYER_VISIT_MINUTES = 60;
/** Arrival times offered to lawyers inside the windows. */
export const ARRIVAL_STEP_MINUTES = 10;

/**
 * Seed 003: 「最近親屬、家屬、律師、辯護人無須填寫相當理由」. Every family relationship the portal
 * accepts is a closest relative (spouse, lineal, collateral within 3 degrees, in-laws within 2) or a
 * household member; agency workers, trainee lawyers, litigation agents and interpreters give a reason.
 * The same list is in the visit_booking_reason_required constraint.
 */
export const REASON_EXEMPT: readonly Relationship[] = [
  'spouse',
  'father',
  'mother',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'in_law',
  'collateral_relative',
  'household_member',
  'lawyer',
  'defender',
];

export function reasonRequired(relationship: string): boolean {
  return !(REASON_EXEMPT as readonly string[]).includes(relationship);
}

/** The lawyer arrival bands of seed 002's 各時段預約律師現場接見人數一覽表. */
export const LAWYER_BANDS: ReadonlyArray<{ from: string; to: string }> = [
  { from: '08:30', to: '09:00' },
  { from: '09:00', to: '10:00' },
  { from: '10:00', to: '11:00' },
  { from: '11:00', to: '12:00' },
  { from: '13:30', to: '14:00' },
  { from: '14:00', to: '15:00' },
  { from: '15:00', to: '16:00' },
];

// ---- dates ----

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday, 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The dates that can be booked at `now`: 2 to 7 days ahead in Asia/Taipei. */
export function bookableDates(now: Date): string[] {
  const today = taipeiToday(now);
  return Array.from({ length: LAST_BOOKABLE_DAY - FIRST_BOOKABLE_DAY + 1 }, (_, i) =>
    addDays(today, FIRST_BOOKABLE_DAY + i),
  );
}

export function inBookingWindow(date: string, now: Date): boolean {
  if (!isDate(date)) return false;
  const n = daysBetween(taipeiToday(now), date);
  return n >= FIRST_BOOKABLE_DAY && n <= LAST_BOOKABLE_DAY;
}

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// ---- timetable ----

export type Batch = {
  id: number;
  kind: VisitKind;
  weekday: number;
  startsAt: string;
  endsAt: string;
  /** the batch's length, or for mobile visits the institution's parameter A */
  minutes: number;
  capacity: number;
  /** 第N梯: the rank of its start time among the kind's start times */
  ordinal: number;
};

/** The institution's weekly timetable, every kind (機關接見時段查詢). */
export async function listTimetable(db: Db, institutionCode: string): Promise<Batch[]> {
  const { rows } = await db.query(
    `SELECT b.id, b.visit_kind, b.weekday, to_char(b.starts_at, 'HH24:MI') AS starts_at,
            coalesce(b.length_minutes, i.mobile_visit_minutes) AS minutes, b.capacity,
            dense_rank() OVER (PARTITION BY b.visit_kind ORDER BY b.starts_at)::int AS ordinal
       FROM visit_batch b JOIN institution i ON i.code = b.institution_code
      WHERE b.institution_code = $1 AND b.retired_at IS NULL
      ORDER BY array_position($2::text[], b.visit_kind), b.starts_at, b.weekday`,
    [institutionCode, VISIT_KINDS],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.visit_kind,
    weekday: r.weekday,
    startsAt: r.starts_at,
    endsAt: hhmm(minutesOf(r.starts_at) + r.minutes),
    minutes: r.minutes,
    capacity: r.capacity,
    ordinal: r.ordinal,
  }));
}

export type BlockedDate = { date: string; reason: string };

export async function listBlockedDates(db: Db, institutionCode: string, from: string): Promise<BlockedDate[]> {
  const { rows } = await db.query(
    `SELECT to_char(blocked_on, 'YYYY-MM-DD') AS date, reason FROM visit_blocked_date WHERE institution_code = $1 AND blocked_on >= $2 ORDER BY blocked_on`,
    [institutionCode, from],
  );
  return rows.map((r) => ({ date: r.date, reason: r.reason }));
}

/** A staff member acting: their scope (institution, or null for the agency) and address. */
export type BookingStaff = { staffId: number; institutionCode: string | null; ip: string | null };

const inScope = (who: BookingStaff, institutionCode: string) =>
  who.institutionCode === null || who.institutionCode === institutionCode;

export type BatchInput = {
  institutionCode: string;
  kind: VisitKind;
  weekday: number;
  startsAt: string;
  lengthMinutes: number | null;
  capacity: number;
};

/** 公告時段管理: adds a batch to the timetable. Mobile batches take no length (parameter A applies). */
export async function addBatch(
  pool: pg.Pool,
  b: BatchInput,
  who: BookingStaff,
  now: Date,
): Promise<{ kind: 'added'; batchId: number } | { kind: 'invalid' | 'duplicate' | 'outside_scope' }> {
  if (!inScope(who, b.institutionCode)) return { kind: 'outside_scope' };
  const lengthOk =
    b.kind === 'mobile'
      ? b.lengthMinutes === null
      : Number.isInteger(b.lengthMinutes) && b.lengthMinutes! >= 5 && b.lengthMinutes! <= 240;
  if (
    !VISIT_KINDS.includes(b.kind) ||
    !Number.isInteger(b.weekday) ||
    b.weekday < 1 ||
    b.weekday > 7 ||
    !TIME.test(b.startsAt) ||
    !lengthOk ||
    !Number.isInteger(b.capacity) ||
    b.capacity < 1 ||
    b.capacity > 500
  )
    return { kind: 'invalid' };
  try {
    return await withTransaction(pool, async (tx) => {
      // The same time taken off before comes back as the same batch: its places already booked on
      // coming dates (counted per batch) still count against the new capacity.
      const revived = await tx.query<{ id: number }>(
        `UPDATE visit_batch SET retired_at = NULL, length_minutes = $5, capacity = $6
          WHERE id = (SELECT id FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = $3 AND starts_at = $4
                        AND retired_at IS NOT NULL ORDER BY retired_at DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = $3 AND starts_at = $4 AND retired_at IS NULL)
          RETURNING id`,
        [b.institutionCode, b.kind, b.weekday, b.startsAt, b.lengthMinutes, b.capacity],
      );
      const { rows } = revived.rows[0]
        ? revived
        : await tx.query<{ id: number }>(
            `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [b.institutionCode, b.kind, b.weekday, b.startsAt, b.lengthMinutes, b.capacity],
          );
      const batchId = rows[0]!.id;
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'visit_batch.added',
        objectType: 'visit_batch',
        objectId: batchId,
        institutionCode: b.institutionCode,
        ip: who.ip,
        details: b,
        at: now,
      });
      return { kind: 'added', batchId } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'visit_batch_slot')) return { kind: 'duplicate' };
    throw err;
  }
}

/** A lower capacity refuses new bookings beyond it; bookings already made stay. */
export async function setBatchCapacity(
  pool: pg.Pool,
  batchId: number,
  capacity: number,
  who: BookingStaff,
  now: Date,
): Promise<boolean> {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 500) return false;
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string }>(
      `UPDATE visit_batch SET capacity = $2 WHERE id = $1 AND retired_at IS NULL AND ($3::char(4) IS NULL OR institution_code = $3) RETURNING institution_code`,
      [batchId, capacity, who.institutionCode],
    );
    if (!rows[0]) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'visit_batch.capacity',
      objectType: 'visit_batch',
      objectId: batchId,
      institutionCode: rows[0].institution_code,
      ip: who.ip,
      details: { capacity },
      at: now,
    });
    return true;
  });
}

/** Takes a batch off the timetable; bookings already made in it stay. */
export async function retireBatch(pool: pg.Pool, batchId: number, who: BookingStaff, now: Date): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string }>(
      `UPDATE visit_batch SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL AND ($3::char(4) IS NULL OR institution_code = $3) RETURNING institution_code`,
      [batchId, now, who.institutionCode],
    );
    if (!rows[0]) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'visit_batch.retired',
      objectType: 'visit_batch',
      objectId: batchId,
      institutionCode: rows[0].institution_code,
      ip: who.ip,
      at: now,
    });
    return true;
  });
}

/**
 * Closes a date for visits. Bookings already made on it are not cancelled by this: their number is
 * returned so staff cancel them (with a reason every visitor reads).
 */
export async function blockDate(
  pool: pg.Pool,
  b: { institutionCode: string; date: string; reason: string },
  who: BookingStaff,
  now: Date,
): Promise<{ kind: 'blocked'; activeBookings: number } | { kind: 'invalid' | 'duplicate' | 'outside_scope' }> {
  if (!inScope(who, b.institutionCode)) return { kind: 'outside_scope' };
  const reason = b.reason.trim();
  if (!isDate(b.date) || reason.length > 200) return { kind: 'invalid' };
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query(
        `INSERT INTO visit_blocked_date (institution_code, blocked_on, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [b.institutionCode, b.date, reason, who.staffId, now],
      );
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'visit_date.blocked',
        objectType: 'visit_blocked_date',
        institutionCode: b.institutionCode,
        ip: who.ip,
        details: { date: b.date, reason },
        at: now,
      });
      const { rows } = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM visit_booking WHERE institution_code = $1 AND visit_date = $2 AND status IN ('pending', 'approved')`,
        [b.institutionCode, b.date],
      );
      return { kind: 'blocked', activeBookings: rows[0]!.n } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'visit_blocked_date_pkey')) return { kind: 'duplicate' };
    throw err;
  }
}

export async function unblockDate(
  pool: pg.Pool,
  institutionCode: string,
  date: string,
  who: BookingStaff,
  now: Date,
): Promise<boolean> {
  if (!inScope(who, institutionCode) || !isDate(date)) return false;
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(
      'DELETE FROM visit_blocked_date WHERE institution_code = $1 AND blocked_on = $2',
      [institutionCode, date],
    );
    if (!rowCount) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'visit_date.unblocked',
      objectType: 'visit_blocked_date',
      institutionCode,
      ip: who.ip,
      details: { date },
      at: now,
    });
    return true;
  });
}

// ---- what an applicant may book ----

/** An inmate the applicant may book for, under one approved service, with the kinds it allows. */
export type BookingOption = {
  service: BookingService;
  inmateId: number;
  maskedInmate: string;
  institutionCode: string;
  institutionName: string;
  relationship: Relationship;
  kinds: VisitKind[];
  reasonRequired: boolean;
};

/** Step 1 and 2 of the wizard: the kinds and inmates the applicant holds an approved service for. */
export async function bookingOptions(db: Db, applicantId: number, locale: Locale): Promise<BookingOption[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT ON (a.inmate_id, a.service) a.inmate_id, a.service, a.relationship, a.institution_code, i.name_zh, i.name_en, m.name,
            CASE WHEN a.service = 'lawyer_visit' THEN ARRAY['onsite', 'mobile']
                 ELSE ARRAY(SELECT DISTINCT k FROM service_application x, unnest(x.visit_kinds) k
                             WHERE x.applicant_id = a.applicant_id AND x.inmate_id = a.inmate_id AND x.service = 'visit'
                               AND x.status IN ('approved', 'auto_approved')) END AS kinds
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN institution i ON i.code = a.institution_code
      WHERE a.applicant_id = $1 AND a.service IN ('visit', 'lawyer_visit') AND a.status IN ('approved', 'auto_approved') AND m.restriction IS NULL
      ORDER BY a.inmate_id, a.service, a.id DESC`,
    [applicantId],
  );
  return rows.map((r) => ({
    service: r.service,
    inmateId: Number(r.inmate_id),
    maskedInmate: maskName(r.name),
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    relationship: r.relationship,
    kinds: VISIT_KINDS.filter((k) => (r.kinds as string[]).includes(k)),
    reasonRequired: reasonRequired(r.relationship),
  }));
}

type Entitlement = { applicationId: number; relationship: Relationship; institutionCode: string; restricted: boolean };

/** The approved service under which `applicantId` may make this kind of visit to this inmate. */
async function entitlement(
  db: Db,
  applicantId: number,
  inmateId: number,
  service: BookingService,
  kind: VisitKind,
): Promise<Entitlement | null> {
  const { rows } = await db.query(
    `SELECT a.id, a.relationship, a.institution_code, m.restriction IS NOT NULL AS restricted
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND a.inmate_id = $2 AND a.service = $3 AND a.status IN ('approved', 'auto_approved')
        AND (CASE WHEN a.service = 'lawyer_visit' THEN $4::text IN ('onsite', 'mobile') ELSE $4::text = ANY (a.visit_kinds) END)
      ORDER BY a.id DESC LIMIT 1`,
    [applicantId, inmateId, service, kind],
  );
  const r = rows[0];
  return r
    ? {
        applicationId: Number(r.id),
        relationship: r.relationship,
        institutionCode: r.institution_code,
        restricted: r.restricted,
      }
    : null;
}

export type Companion = { applicantId: number; maskedName: string; relationship: Relationship };

/**
 * Step 3: the other applicants who may come along (an approved service of the same kind for the same
 * inmate; a lawyer's, an approved lawyer service). Nothing is shown to someone not entitled themselves.
 */
export async function eligibleCompanions(
  db: Db,
  bookerId: number,
  inmateId: number,
  kind: VisitKind,
  service: BookingService = 'visit',
): Promise<Companion[]> {
  if (!(await entitlement(db, bookerId, inmateId, service, kind))) return [];
  const { rows } = await db.query(
    `SELECT DISTINCT ON (p.id) p.id, p.name, a.relationship
       FROM service_application a JOIN applicant p ON p.id = a.applicant_id
      WHERE a.inmate_id = $1 AND a.service = $2 AND a.status IN ('approved', 'auto_approved') AND a.applicant_id <> $3
        AND (a.service = 'lawyer_visit' OR $4::text = ANY (a.visit_kinds))
      ORDER BY p.id, a.id DESC`,
    [inmateId, service, bookerId, kind],
  );
  return rows.map((r) => ({ applicantId: Number(r.id), maskedName: maskName(r.name), relationship: r.relationship }));
}

// ---- the grid ----

export type GridCell = { batchId: number; remaining: number; endsAt: string };
export type BookableGrid = {
  institutionCode: string;
  kind: VisitKind;
  service: BookingService;
  dates: { date: string; weekday: number; blocked: boolean }[];
  /** one row per start time of the kind's timetable; a cell per date, null when not offered */
  rows: { ordinal: number; startsAt: string; cells: (GridCell | null)[] }[];
  /** how many cells are offered: none means every bookable batch is full */
  open: number;
};

/**
 * Step 4: the dates 2 to 7 days ahead × the batches, offering only those with room, not on a blocked
 * date, and when neither the inmate nor any of the visitors is already in a visit at that time.
 * Null when the applicant holds no approved service for this kind of visit to this inmate.
 */
export async function bookableGrid(
  db: Db,
  q: { applicantId: number; inmateId: number; kind: VisitKind; service?: BookingService; companionIds?: number[] },
  now: Date,
): Promise<BookableGrid | null> {
  const service = q.service ?? 'visit';
  if (service === 'lawyer_visit' && q.kind === 'onsite') return null; // lawyers choose an arrival time instead
  const ent = await entitlement(db, q.applicantId, q.inmateId, service, q.kind);
  if (!ent || ent.restricted) return null;
  const dates = bookableDates(now);
  const people = [q.applicantId, ...(q.companionIds ?? [])];
  const { rows } = await db.query(
    `WITH days AS (SELECT d::date AS day FROM unnest($3::date[]) d),
          slots AS (
            SELECT days.day, b.id, b.starts_at, b.capacity,
                   coalesce(b.length_minutes, i.mobile_visit_minutes) AS minutes,
                   tstzrange((days.day + b.starts_at) AT TIME ZONE 'Asia/Taipei',
                             (days.day + b.starts_at + make_interval(mins => coalesce(b.length_minutes, i.mobile_visit_minutes))) AT TIME ZONE 'Asia/Taipei') AS during
              FROM days JOIN visit_batch b ON b.weekday = extract(isodow FROM days.day)
              JOIN institution i ON i.code = b.institution_code
             WHERE b.institution_code = $1 AND b.visit_kind = $2 AND b.retired_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM visit_blocked_date x WHERE x.institution_code = $1 AND x.blocked_on = days.day))
     SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.id, to_char(s.starts_at, 'HH24:MI') AS starts_at, s.minutes,
            s.capacity - (SELECT count(*) FROM visit_booking v WHERE v.batch_id = s.id AND v.visit_date = s.day AND v.status IN ('pending', 'approved'))::int AS remaining
       FROM slots s
      WHERE NOT EXISTS (SELECT 1 FROM visit_booking_visitor p WHERE p.active AND p.applicant_id = ANY ($4::bigint[]) AND p.during && s.during)
        AND NOT EXISTS (SELECT 1 FROM visit_booking v WHERE v.inmate_id = $5 AND v.status IN ('pending', 'approved') AND v.during && s.during)
        AND ($7::text <> 'visit' OR NOT EXISTS (SELECT 1 FROM visit_booking_visitor p JOIN visit_booking v ON v.id = p.booking_id
                                                 WHERE p.applicant_id = $6 AND p.active AND v.inmate_id = $5 AND v.visit_date = s.day AND v.service = 'visit'))`,
    [ent.institutionCode, q.kind, dates, people, q.inmateId, q.applicantId, service],
  );
  const blocked = new Set((await listBlockedDates(db, ent.institutionCode, dates[0]!)).map((b) => b.date));
  const starts = await db.query<{ starts_at: string }>(
    `SELECT DISTINCT to_char(starts_at, 'HH24:MI') AS starts_at FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND retired_at IS NULL ORDER BY 1`,
    [ent.institutionCode, q.kind],
  );
  let open = 0;
  const grid = starts.rows.map((s, i) => ({
    ordinal: i + 1,
    startsAt: s.starts_at,
    cells: dates.map((date) => {
      const r = rows.find((x) => x.day === date && x.starts_at === s.starts_at && x.remaining > 0);
      if (!r) return null;
      open += 1;
      return { batchId: Number(r.id), remaining: r.remaining, endsAt: hhmm(minutesOf(r.starts_at) + r.minutes) };
    }),
  }));
  return {
    institutionCode: ent.institutionCode,
    kind: q.kind,
    service,
    dates: dates.map((date) => ({ date, weekday: isoWeekday(date), blocked: blocked.has(date) })),
    rows: grid,
    open,
  };
}

// ---- lawyers ----

export type LawyerWindows = { morning: { start: string; end: string }; afternoon: { start: string; end: string } };

/** RAS–RAE and RFS–RFE. An arrival is inside a window from its start up to, not including, its end. */
export async function lawyerWindows(db: Db, institutionCode: string): Promise<LawyerWindows | null> {
  const { rows } = await db.query(
    `SELECT to_char(lawyer_morning_start, 'HH24:MI') AS ms, to_char(lawyer_morning_end, 'HH24:MI') AS me,
            to_char(lawyer_afternoon_start, 'HH24:MI') AS fs, to_char(lawyer_afternoon_end, 'HH24:MI') AS fe
       FROM institution WHERE code = $1`,
    [institutionCode],
  );
  const r = rows[0];
  return r ? { morning: { start: r.ms, end: r.me }, afternoon: { start: r.fs, end: r.fe } } : null;
}

export function insideLawyerWindows(w: LawyerWindows, time: string): boolean {
  if (!TIME.test(time)) return false;
  const t = minutesOf(time);
  return [w.morning, w.afternoon].some((x) => t >= minutesOf(x.start) && t < minutesOf(x.end));
}

/** The arrival times to offer, every ARRIVAL_STEP_MINUTES inside the windows. */
export function lawyerArrivalTimes(w: LawyerWindows, step = ARRIVAL_STEP_MINUTES): string[] {
  const out: string[] = [];
  for (const x of [w.morning, w.afternoon]) {
    for (let t = minutesOf(x.start); t < minutesOf(x.end); t += step) out.push(hhmm(t));
  }
  return out;
}

/** The lawyer's date and time step: the bookable dates (blocked ones marked), the windows and the times. */
export async function lawyerArrivalOptions(
  db: Db,
  q: { applicantId: number; inmateId: number },
  now: Date,
): Promise<{
  institutionCode: string;
  dates: { date: string; weekday: number; blocked: boolean }[];
  windows: LawyerWindows;
  times: string[];
} | null> {
  const ent = await entitlement(db, q.applicantId, q.inmateId, 'lawyer_visit', 'onsite');
  if (!ent || ent.restricted) return null;
  const windows = (await lawyerWindows(db, ent.institutionCode))!;
  const dates = bookableDates(now);
  const blocked = new Set((await listBlockedDates(db, ent.institutionCode, dates[0]!)).map((b) => b.date));
  return {
    institutionCode: ent.institutionCode,
    windows,
    times: lawyerArrivalTimes(windows),
    dates: dates.map((date) => ({ date, weekday: isoWeekday(date), blocked: blocked.has(date) })),
  };
}

/** 各時段預約律師現場接見人數一覽表: active lawyer on-site bookings per arrival band on a date. */
export async function lawyerBandCounts(
  db: Db,
  institutionCode: string,
  date: string,
): Promise<{ from: string; to: string; count: number }[]> {
  if (!isDate(date)) return LAWYER_BANDS.map((b) => ({ ...b, count: 0 }));
  const { rows } = await db.query<{ arrival: string; n: number }>(
    `SELECT to_char(arrival_time, 'HH24:MI') AS arrival, count(*)::int AS n FROM visit_booking
      WHERE institution_code = $1 AND visit_date = $2 AND arrival_time IS NOT NULL AND status IN ('pending', 'approved')
      GROUP BY arrival_time`,
    [institutionCode, date],
  );
  return LAWYER_BANDS.map((b) => ({
    ...b,
    count: rows.filter((r) => r.arrival >= b.from && r.arrival < b.to).reduce((sum, r) => sum + r.n, 0),
  }));
}

// ---- booking ----

export type BookingInput = {
  /** the wizard's one-time key: the same key books once */
  submissionKey: string;
  bookerId: number;
  inmateId: number;
  service: BookingService;
  kind: VisitKind;
  /** YYYY-MM-DD */
  date: string;
  /** the batch, except for a lawyer's on-site visit */
  batchId: number | null;
  /** HH:MM, a lawyer's on-site visit only */
  arrivalTime: string | null;
  companionIds: number[];
  reason: string;
  /** set when staff enter the booking for a caller (電話預約) */
  phone?: BookingStaff;
};

export type BookingErrorCode =
  | 'notEligible'
  | 'inmateRestricted'
  | 'outsideScope'
  | 'outsideWindow'
  | 'blockedDate'
  | 'noSuchBatch'
  | 'full'
  | 'arrivalRequired'
  | 'outsideLawyerWindow'
  | 'bookerBusy'
  | 'inmateBusy'
  | 'sameDay'
  | 'tooManyCompanions'
  | 'companionNotEligible'
  | 'companionBusy'
  | 'companionSameDay'
  | 'reasonRequired'
  | 'reasonTooLong'
  | 'formUsed';
/** Where the route shows the problem: 'slot' sends the user back to the grid with the rest kept. */
export type BookingField = 'form' | 'kind' | 'inmate' | 'slot' | 'companions' | 'reason';
export type BookingErrors = Partial<Record<BookingField, BookingErrorCode>>;
export type BookingOutcome =
  { kind: 'booked'; bookingId: number; number: string } | { kind: 'errors'; errors: BookingErrors };

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newBookingNumber(now: Date): string {
  const tail = Array.from({ length: 6 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `V${taipeiToday(now).replace(/-/g, '')}-${tail}`;
}

/** Of these people, those already visitors (booker or other) of an active family visit to the inmate that day. */
async function visitingThatDay(db: Db, people: number[], inmateId: number, date: string): Promise<number[]> {
  const { rows } = await db.query<{ applicant_id: string }>(
    `SELECT DISTINCT v.applicant_id FROM visit_booking_visitor v JOIN visit_booking b ON b.id = v.booking_id
      WHERE v.applicant_id = ANY ($1::bigint[]) AND v.active AND b.inmate_id = $2 AND b.visit_date = $3 AND b.service = 'visit'`,
    [people, inmateId, date],
  );
  return rows.map((r) => Number(r.applicant_id));
}

/** Which statement the database refused in: the booker is inserted with the booking, companions after. */
type Stage = 'booking' | 'companions';

/**
 * 確認: books a visit as 待審核. Everything is checked here first to name the problem; the database
 * checks it again, which is what settles two people confirming the last place at once: one is booked,
 * the other gets { slot: 'full' } and goes back to the grid with the rest of the wizard kept.
 */
export async function bookVisit(pool: pg.Pool, input: BookingInput, now: Date): Promise<BookingOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stage: { at: Stage } = { at: 'booking' };
    try {
      const outcome = await withTransaction(pool, (tx) => bookIn(tx, input, now, stage));
      // A refusal that a twin request of the same form caused (it booked first): show that booking.
      if (outcome.kind === 'errors') return (await bookingBySubmissionKey(pool, input)) ?? outcome;
      return outcome;
    } catch (err) {
      const refused = refusedByDatabase(err, stage.at);
      if (refused) return { kind: 'errors', errors: refused };
      if (
        isUniqueViolation(err, 'visit_booking_submission_key_key') ||
        isUniqueViolation(err, 'visit_booking_one_per_day')
      ) {
        // The same form sent twice at once meets either index first: the booking it made is the answer.
        const previous = await bookingBySubmissionKey(pool, input);
        if (previous) return previous;
        return {
          kind: 'errors',
          errors: isUniqueViolation(err, 'visit_booking_one_per_day') ? { slot: 'sameDay' } : { form: 'formUsed' },
        };
      }
      // A number drawn twice, or two bookings sharing visitors waiting on each other: try again.
      const code = (err as { code?: string }).code;
      if (attempt < 4 && (isUniqueViolation(err, 'visit_booking_number_key') || code === '40P01' || code === '40001'))
        continue;
      throw err;
    }
  }
}

async function bookingBySubmissionKey(db: Db, input: BookingInput): Promise<BookingOutcome | null> {
  const { rows } = await db.query<{ id: number; number: string; booker_id: number }>(
    'SELECT id, number, booker_id FROM visit_booking WHERE submission_key = $1',
    [input.submissionKey],
  );
  const r = rows[0];
  if (!r) return null;
  return r.booker_id === input.bookerId
    ? { kind: 'booked', bookingId: r.id, number: r.number }
    : { kind: 'errors', errors: { form: 'formUsed' } };
}

async function bookIn(
  tx: pg.PoolClient,
  input: BookingInput,
  now: Date,
  stage: { at: Stage },
): Promise<BookingOutcome> {
  const previous = await bookingBySubmissionKey(tx, input);
  if (previous) return previous;
  const errors: BookingErrors = {};
  const ent = await entitlement(tx, input.bookerId, input.inmateId, input.service, input.kind);
  if (!ent) return { kind: 'errors', errors: { kind: 'notEligible' } };
  if (ent.restricted) return { kind: 'errors', errors: { inmate: 'inmateRestricted' } };
  if (input.phone && !inScope(input.phone, ent.institutionCode))
    return { kind: 'errors', errors: { form: 'outsideScope' } };

  const lawyerOnsite = input.service === 'lawyer_visit' && input.kind === 'onsite';
  if (!inBookingWindow(input.date, now)) errors.slot = 'outsideWindow';
  else if (
    (
      await tx.query('SELECT 1 FROM visit_blocked_date WHERE institution_code = $1 AND blocked_on = $2', [
        ent.institutionCode,
        input.date,
      ])
    ).rowCount
  ) {
    errors.slot = 'blockedDate';
  } else if (lawyerOnsite) {
    if (!input.arrivalTime || !TIME.test(input.arrivalTime)) errors.slot = 'arrivalRequired';
    else if (!insideLawyerWindows((await lawyerWindows(tx, ent.institutionCode))!, input.arrivalTime))
      errors.slot = 'outsideLawyerWindow';
  } else {
    const { rows } = await tx.query<{ remaining: number }>(
      `SELECT b.capacity - (SELECT count(*) FROM visit_booking v WHERE v.batch_id = b.id AND v.visit_date = $5 AND v.status IN ('pending', 'approved'))::int AS remaining
         FROM visit_batch b WHERE b.id = $1 AND b.institution_code = $2 AND b.visit_kind = $3 AND b.weekday = $4 AND b.retired_at IS NULL`,
      [
        Number.isSafeInteger(input.batchId) ? input.batchId : 0,
        ent.institutionCode,
        input.kind,
        isoWeekday(input.date),
        input.date,
      ],
    );
    if (!rows[0]) errors.slot = 'noSuchBatch';
    else if (rows[0].remaining <= 0) errors.slot = 'full';
  }

  if (
    !errors.slot &&
    input.service === 'visit' &&
    (await visitingThatDay(tx, [input.bookerId], input.inmateId, input.date)).length
  )
    errors.slot = 'sameDay';

  const companionIds = [...new Set(input.companionIds)];
  if (companionIds.length > MAX_COMPANIONS) errors.companions = 'tooManyCompanions';
  else if (companionIds.length) {
    const allowed = new Set(
      (await eligibleCompanions(tx, input.bookerId, input.inmateId, input.kind, input.service)).map(
        (c) => c.applicantId,
      ),
    );
    if (companionIds.some((id) => !allowed.has(id))) errors.companions = 'companionNotEligible';
    else if (input.service === 'visit' && (await visitingThatDay(tx, companionIds, input.inmateId, input.date)).length)
      errors.companions = 'companionSameDay';
  }

  const reason = input.reason.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (!reason && reasonRequired(ent.relationship)) errors.reason = 'reasonRequired';
  else if ([...reason].length > REASON_MAX) errors.reason = 'reasonTooLong';
  if (Object.keys(errors).length) return { kind: 'errors', errors };

  const number = newBookingNumber(now);
  const videoToken = input.kind === 'onsite' ? null : randomBytes(32).toString('base64url');
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind, visit_date,
                                batch_id, arrival_time, relationship, reason, by_phone, created_by_staff, video_token, booked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
    [
      number,
      input.submissionKey,
      input.bookerId,
      ent.applicationId,
      input.inmateId,
      ent.institutionCode,
      input.service,
      input.kind,
      input.date,
      lawyerOnsite ? null : input.batchId,
      lawyerOnsite ? input.arrivalTime : null,
      ent.relationship,
      reason || null,
      Boolean(input.phone),
      input.phone?.staffId ?? null,
      videoToken,
      now,
    ],
  );
  const bookingId = rows[0]!.id;
  stage.at = 'companions';
  for (const [i, applicantId] of companionIds.entries()) {
    await tx.query('INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, $3)', [
      bookingId,
      applicantId,
      i + 2,
    ]);
  }
  await tx.query(
    `INSERT INTO visit_booking_event (booking_id, action, staff_id, applicant_id, at) VALUES ($1, 'booked', $2, $3, $4)`,
    [bookingId, input.phone?.staffId ?? null, input.phone ? null : input.bookerId, now],
  );
  if (input.phone) {
    await recordStaffAction(tx, {
      staffId: input.phone.staffId,
      action: 'visit_booking.phone_booked',
      objectType: 'visit_booking',
      objectId: bookingId,
      institutionCode: ent.institutionCode,
      ip: input.phone.ip,
      details: { number, bookerId: input.bookerId },
      at: now,
    });
  }
  await notify(tx, bookingId, 'booked');
  return { kind: 'booked', bookingId, number };
}

/** The database's own rules, when a booking got past the checks above in a race (or skipped them). */
function refusedByDatabase(err: unknown, stage: Stage): BookingErrors | null {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23P01' && e.constraint === 'visit_booking_inmate_busy') return { slot: 'inmateBusy' };
  if (e?.code === '23P01' && e.constraint === 'visit_booking_person_busy')
    return stage === 'booking' ? { slot: 'bookerBusy' } : { companions: 'companionBusy' };
  if (isCheckViolation(err, 'visit_person_one_per_day'))
    return stage === 'booking' ? { slot: 'sameDay' } : { companions: 'companionSameDay' };
  const checks: Record<string, BookingErrors> = {
    visit_batch_full: { slot: 'full' },
    visit_booking_window: { slot: 'outsideWindow' },
    visit_blocked_date: { slot: 'blockedDate' },
    visit_booking_batch: { slot: 'noSuchBatch' },
    visit_booking_lawyer_window: { slot: 'outsideLawyerWindow' },
    visit_booking_service: { kind: 'notEligible' },
    visit_booking_inmate: { inmate: 'inmateRestricted' },
    visit_companion_not_eligible: { companions: 'companionNotEligible' },
    visit_booking_reason_required: { reason: 'reasonRequired' },
  };
  for (const [constraint, errors] of Object.entries(checks)) if (isCheckViolation(err, constraint)) return errors;
  return null;
}

// ---- cancelling and deciding ----

export type CancelOutcome = 'cancelled' | 'not_found' | 'too_late' | 'already_cancelled' | 'not_active';

/** The booker cancels, until the day before the visit (Asia/Taipei). The place is free at once. */
export async function cancelBooking(
  pool: pg.Pool,
  bookerId: number,
  bookingId: number,
  now: Date,
): Promise<CancelOutcome> {
  if (!Number.isSafeInteger(bookingId)) return 'not_found';
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: BookingStatus; visit_date: string }>(
      'SELECT status, visit_date FROM visit_booking WHERE id = $1 AND booker_id = $2 FOR UPDATE',
      [bookingId, bookerId],
    );
    const b = rows[0];
    if (!b) return 'not_found';
    if (b.status === 'cancelled') return 'already_cancelled';
    if (b.status === 'rejected') return 'not_active';
    if (taipeiToday(now) >= b.visit_date) return 'too_late';
    await tx.query(
      `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, version = version + 1 WHERE id = $1`,
      [bookingId, now],
    );
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, applicant_id, at) VALUES ($1, 'cancelled', $2, $3)`,
      [bookingId, bookerId, now],
    );
    await notify(tx, bookingId, 'cancelled');
    return 'cancelled';
  });
}

export type LeaveOutcome = 'left' | 'already_left' | 'not_found' | 'too_late' | 'not_active';

/**
 * Another visitor, named by the booker, withdraws from a booking until the day before; the booking
 * stays for the others and the booker is told.
 */
export async function leaveBooking(
  pool: pg.Pool,
  applicantId: number,
  bookingId: number,
  now: Date,
): Promise<LeaveOutcome> {
  if (!Number.isSafeInteger(bookingId) || bookingId <= 0) return 'not_found';
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: BookingStatus; visit_date: string; name: string }>(
      `SELECT b.status, to_char(b.visit_date, 'YYYY-MM-DD') AS visit_date, p.name FROM visit_booking b
         JOIN visit_booking_visitor v ON v.booking_id = b.id JOIN applicant p ON p.id = v.applicant_id
        WHERE b.id = $1 AND v.applicant_id = $2 AND v.position > 1 FOR UPDATE OF b`,
      [bookingId, applicantId],
    );
    const b = rows[0];
    if (!b) {
      // A second press of 退出: they have left already.
      const left = await tx.query(
        `SELECT 1 FROM visit_booking_event WHERE booking_id = $1 AND applicant_id = $2 AND action = 'companion_left'`,
        [bookingId, applicantId],
      );
      return left.rowCount ? 'already_left' : 'not_found';
    }
    if (b.status !== 'pending' && b.status !== 'approved') return 'not_active';
    if (taipeiToday(now) >= b.visit_date) return 'too_late';
    await tx.query('DELETE FROM visit_booking_visitor WHERE booking_id = $1 AND applicant_id = $2', [
      bookingId,
      applicantId,
    ]);
    // A reviewer who saw the booking with this visitor sees that it changed.
    await tx.query('UPDATE visit_booking SET version = version + 1 WHERE id = $1', [bookingId]);
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, applicant_id, at) VALUES ($1, 'companion_left', $2, $3)`,
      [bookingId, applicantId, now],
    );
    await notifyCompanionLeft(tx, (await getBooking(tx, null, bookingId, 'zh-TW'))!, b.name);
    return 'left';
  });
}

export type BookingDecision = { decision: 'approve' } | { decision: 'reject'; reason: string };
export type DecideBookingOutcome = 'decided' | 'already_decided' | 'not_found' | 'reason_required' | 'past' | 'closed';

/**
 * A staff decision on a pending booking, within the staff member's scope, naming the version they
 * saw (a second reviewer deciding at once is told); history and audit log in the same transaction.
 */
export async function decideBooking(
  pool: pg.Pool,
  bookingId: number,
  seenVersion: number,
  d: BookingDecision,
  who: BookingStaff,
  now: Date,
  /** the video service's join address (config VIDEO_SERVICE_URL), for the approval's link */
  videoServiceUrl = DEFAULT_VIDEO_SERVICE_URL,
): Promise<DecideBookingOutcome> {
  const reason = d.decision === 'reject' ? d.reason.trim() : null;
  if (d.decision === 'reject' && (!reason || reason.length > 1000)) return 'reason_required';
  if (!Number.isSafeInteger(bookingId)) return 'not_found';
  return withTransaction(pool, async (tx) => {
    const found = await tx.query<{ institution_code: string; visit_date: string }>(
      'SELECT institution_code, visit_date FROM visit_booking WHERE id = $1 AND ($2::char(4) IS NULL OR institution_code = $2)',
      [bookingId, who.institutionCode],
    );
    const b = found.rows[0];
    if (!b) return 'not_found';
    if (b.visit_date < taipeiToday(now)) return 'past';
    // A date closed, or an inmate restricted, since the booking was made: it can only be rejected or cancelled.
    if (d.decision === 'approve') {
      const closed = await tx.query(
        `SELECT 1 FROM visit_booking v JOIN inmate m ON m.id = v.inmate_id WHERE v.id = $1
            AND (m.restriction IS NOT NULL OR EXISTS (SELECT 1 FROM visit_blocked_date x WHERE x.institution_code = v.institution_code AND x.blocked_on = v.visit_date))`,
        [bookingId],
      );
      if (closed.rowCount) return 'closed';
    }
    const status = d.decision === 'approve' ? 'approved' : 'rejected';
    const updated = await tx.query(
      `UPDATE visit_booking SET status = $3, decided_at = $4, decided_by = $5, rejection_reason = $6, version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'pending'`,
      [bookingId, seenVersion, status, now, who.staffId, reason],
    );
    if (updated.rowCount === 0) return 'already_decided';
    await tx.query(
      'INSERT INTO visit_booking_event (booking_id, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)',
      [bookingId, status, who.staffId, reason, now],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: `visit_booking.${status}`,
      objectType: 'visit_booking',
      objectId: bookingId,
      institutionCode: b.institution_code,
      ip: who.ip,
      details: { reason },
      at: now,
    });
    await notify(tx, bookingId, status, videoServiceUrl);
    return 'decided';
  });
}

/** 全選審核: each selected booking decided on its own, so one already decided does not stop the rest. */
export async function decideBookings(
  pool: pg.Pool,
  items: { id: number; version: number }[],
  d: BookingDecision,
  who: BookingStaff,
  now: Date,
  videoServiceUrl = DEFAULT_VIDEO_SERVICE_URL,
): Promise<Map<number, DecideBookingOutcome>> {
  const out = new Map<number, DecideBookingOutcome>();
  for (const item of items)
    out.set(item.id, await decideBooking(pool, item.id, item.version, d, who, now, videoServiceUrl));
  return out;
}

export type StaffCancelOutcome = 'cancelled' | 'changed' | 'not_found' | 'reason_required' | 'not_active';

/** Staff cancel a pending or approved booking with a reason every visitor reads, at any time. */
export async function staffCancelBooking(
  pool: pg.Pool,
  bookingId: number,
  seenVersion: number,
  reasonText: string,
  who: BookingStaff,
  now: Date,
): Promise<StaffCancelOutcome> {
  const reason = reasonText.trim();
  if (!reason || reason.length > 1000) return 'reason_required';
  if (!Number.isSafeInteger(bookingId)) return 'not_found';
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string; status: BookingStatus; version: number }>(
      'SELECT institution_code, status, version FROM visit_booking WHERE id = $1 AND ($2::char(4) IS NULL OR institution_code = $2) FOR UPDATE',
      [bookingId, who.institutionCode],
    );
    const b = rows[0];
    if (!b) return 'not_found';
    if (b.status !== 'pending' && b.status !== 'approved') return 'not_active';
    if (b.version !== seenVersion) return 'changed';
    await tx.query(
      `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, cancelled_by_staff = $3, cancel_reason = $4, version = version + 1 WHERE id = $1`,
      [bookingId, now, who.staffId, reason],
    );
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, staff_id, reason, at) VALUES ($1, 'cancelled', $2, $3, $4)`,
      [bookingId, who.staffId, reason, now],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'visit_booking.cancelled',
      objectType: 'visit_booking',
      objectId: bookingId,
      institutionCode: b.institution_code,
      ip: who.ip,
      details: { reason },
      at: now,
    });
    await notify(tx, bookingId, 'cancelled');
    return 'cancelled';
  });
}

/** Every visitor is told, in the same transaction as the change. */
async function notify(
  tx: Db,
  bookingId: number,
  event: BookingNoticeEvent,
  videoServiceUrl = DEFAULT_VIDEO_SERVICE_URL,
): Promise<void> {
  const detail = await getBooking(tx, null, bookingId, 'zh-TW');
  if (detail) await notifyVisitors(tx, detail, event, videoServiceUrl);
}

// ---- reading bookings ----

const TIMES = `to_char(lower(b.during) AT TIME ZONE 'Asia/Taipei', 'HH24:MI') AS starts_at,
               to_char(upper(b.during) AT TIME ZONE 'Asia/Taipei', 'HH24:MI') AS ends_at,
               to_char(b.visit_date, 'YYYY-MM-DD') AS visit_date`;

export type ApplicantBooking = {
  id: number;
  number: string;
  status: BookingStatus;
  service: BookingService;
  kind: VisitKind;
  date: string;
  startsAt: string;
  endsAt: string;
  lawyerArrival: boolean;
  institutionCode: string;
  institutionName: string;
  maskedInmate: string;
  isBooker: boolean;
  visitors: { position: number; maskedName: string }[];
  reason: string | null;
  rejectionReason: string | null;
  cancelReason: string | null;
  byPhone: boolean;
  canCancel: boolean;
  /** another visitor may withdraw until the day before */
  canLeave: boolean;
  /** the video link's token, once approved (remote and mobile visits) */
  videoToken: string | null;
};

/** 線上預約接見查詢: the applicant's bookings, as booker or as another visitor, latest date first. */
export async function listApplicantBookings(
  db: Db,
  applicantId: number,
  now: Date,
  locale: Locale,
): Promise<ApplicantBooking[]> {
  const { rows } = await db.query(
    `SELECT b.id, b.number, b.status, b.service, b.visit_kind, ${TIMES}, b.arrival_time IS NOT NULL AS lawyer_arrival,
            b.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, b.booker_id, b.reason, b.rejection_reason, b.cancel_reason,
            b.by_phone, b.video_token,
            (SELECT json_agg(json_build_object('position', v.position, 'name', p.name) ORDER BY v.position)
               FROM visit_booking_visitor v JOIN applicant p ON p.id = v.applicant_id WHERE v.booking_id = b.id) AS visitors
       FROM visit_booking b JOIN institution i ON i.code = b.institution_code JOIN inmate m ON m.id = b.inmate_id
      WHERE EXISTS (SELECT 1 FROM visit_booking_visitor v WHERE v.booking_id = b.id AND v.applicant_id = $1)
      ORDER BY b.visit_date DESC, lower(b.during) DESC, b.id DESC`,
    [applicantId],
  );
  const today = taipeiToday(now);
  return rows.map((r) => {
    const isBooker = Number(r.booker_id) === applicantId;
    const active = r.status === 'pending' || r.status === 'approved';
    return {
      id: Number(r.id),
      number: r.number,
      status: r.status,
      service: r.service,
      kind: r.visit_kind,
      date: r.visit_date,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      lawyerArrival: r.lawyer_arrival,
      institutionCode: r.institution_code,
      institutionName: locale === 'en' ? r.name_en : r.name_zh,
      maskedInmate: maskName(r.inmate_name),
      isBooker,
      visitors: (r.visitors as { position: number; name: string }[]).map((v) => ({
        position: v.position,
        maskedName: maskName(v.name),
      })),
      reason: r.reason,
      rejectionReason: r.rejection_reason,
      cancelReason: r.cancel_reason,
      byPhone: r.by_phone,
      canCancel: isBooker && active && today < r.visit_date,
      canLeave: !isBooker && active && today < r.visit_date,
      videoToken: r.status === 'approved' ? r.video_token : null,
    };
  });
}

export type StaffBookingFilter = {
  institutionCode: string | null;
  kind: VisitKind | null;
  service: BookingService | null;
  status: BookingStatus | null;
  /** visit dates, inclusive, YYYY-MM-DD */
  from: string | null;
  to: string | null;
  page: number;
};
export type StaffBookingRow = {
  id: number;
  number: string;
  version: number;
  status: BookingStatus;
  service: BookingService;
  kind: VisitKind;
  date: string;
  startsAt: string;
  endsAt: string;
  lawyerArrival: boolean;
  institutionCode: string;
  institutionName: string;
  inmateName: string;
  callNumber: string;
  bookerName: string;
  relationship: Relationship;
  visitorCount: number;
  byPhone: boolean;
  bookedAt: Date;
};
export const BOOKINGS_PAGE_SIZE = 50;

/** 預約接見審核: bookings by visit date, kind and status, within the staff member's scope. */
export async function listStaffBookings(
  db: Db,
  scope: string | null,
  f: StaffBookingFilter,
  locale: Locale,
): Promise<{ rows: StaffBookingRow[]; total: number; page: number; pages: number }> {
  const c = conditions();
  if (scope) c.add('b.institution_code = ?', scope);
  if (f.institutionCode) c.add('b.institution_code = ?', f.institutionCode);
  if (f.kind && VISIT_KINDS.includes(f.kind)) c.add('b.visit_kind = ?', f.kind);
  if (f.service === 'visit' || f.service === 'lawyer_visit') c.add('b.service = ?', f.service);
  if (f.status && BOOKING_STATUSES.includes(f.status)) c.add('b.status = ?', f.status);
  if (f.from && isDate(f.from)) c.add('b.visit_date >= ?::date', f.from);
  if (f.to && isDate(f.to)) c.add('b.visit_date <= ?::date', f.to);
  const from = `FROM visit_booking b JOIN institution i ON i.code = b.institution_code JOIN inmate m ON m.id = b.inmate_id
                JOIN applicant p ON p.id = b.booker_id ${c.sql()}`;
  const total = Number((await db.query<{ n: string }>(`SELECT count(*) AS n ${from}`, c.params)).rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, f.page, BOOKINGS_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT b.id, b.number, b.version, b.status, b.service, b.visit_kind, ${TIMES}, b.arrival_time IS NOT NULL AS lawyer_arrival,
            b.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, p.name AS booker_name, b.relationship,
            (SELECT count(*)::int FROM visit_booking_visitor v WHERE v.booking_id = b.id) AS visitor_count, b.by_phone, b.booked_at
       ${from} ORDER BY b.visit_date, lower(b.during), b.id ${limitSql}`,
    c.params,
  );
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => ({
      id: Number(r.id),
      number: r.number,
      version: r.version,
      status: r.status,
      service: r.service,
      kind: r.visit_kind,
      date: r.visit_date,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      lawyerArrival: r.lawyer_arrival,
      institutionCode: r.institution_code,
      institutionName: locale === 'en' ? r.name_en : r.name_zh,
      inmateName: r.inmate_name,
      callNumber: r.call_number,
      bookerName: r.booker_name,
      relationship: r.relationship,
      visitorCount: r.visitor_count,
      byPhone: r.by_phone,
      bookedAt: r.booked_at,
    })),
  };
}

export type BookingVisitor = {
  applicantId: number;
  position: number;
  name: string;
  nationalId: string;
  email: string;
  mobile: string | null;
  locale: Locale;
  relationship: Relationship;
};
export type BookingDetail = StaffBookingRow & {
  institutionNameZh: string;
  institutionNameEn: string;
  reason: string | null;
  rejectionReason: string | null;
  cancelReason: string | null;
  videoToken: string | null;
  decidedAt: Date | null;
  cancelledAt: Date | null;
  visitors: BookingVisitor[];
  history: {
    action: 'booked' | 'approved' | 'rejected' | 'cancelled' | 'companion_left';
    staffName: string | null;
    applicantName: string | null;
    reason: string | null;
    at: Date;
  }[];
};

/**
 * One booking with its visitors and history: for staff within scope (single printout, review), and
 * for the notices to send (every visitor's address and language, the video token).
 */
export async function getBooking(
  db: Db,
  scope: string | null,
  bookingId: number,
  locale: Locale,
): Promise<BookingDetail | null> {
  if (!Number.isSafeInteger(bookingId) || bookingId <= 0) return null;
  const { rows } = await db.query(
    `SELECT b.id, b.number, b.version, b.status, b.service, b.visit_kind, ${TIMES}, b.arrival_time IS NOT NULL AS lawyer_arrival,
            b.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, p.name AS booker_name, b.relationship,
            b.by_phone, b.booked_at, b.reason, b.rejection_reason, b.cancel_reason, b.video_token, b.decided_at, b.cancelled_at
       FROM visit_booking b JOIN institution i ON i.code = b.institution_code JOIN inmate m ON m.id = b.inmate_id
       JOIN applicant p ON p.id = b.booker_id
      WHERE b.id = $1 AND ($2::char(4) IS NULL OR b.institution_code = $2)`,
    [bookingId, scope],
  );
  const r = rows[0];
  if (!r) return null;
  const visitors = await db.query(
    `SELECT v.applicant_id, v.position, p.name, p.national_id, p.email, p.mobile, p.locale, a.relationship
       FROM visit_booking_visitor v JOIN applicant p ON p.id = v.applicant_id JOIN service_application a ON a.id = v.application_id
      WHERE v.booking_id = $1 ORDER BY v.position`,
    [bookingId],
  );
  const events = await db.query(
    `SELECT e.action, s.name AS staff_name, x.name AS applicant_name, e.reason, e.at
       FROM visit_booking_event e LEFT JOIN staff s ON s.id = e.staff_id LEFT JOIN applicant x ON x.id = e.applicant_id
      WHERE e.booking_id = $1 ORDER BY e.at, e.id`,
    [bookingId],
  );
  return {
    id: Number(r.id),
    number: r.number,
    version: r.version,
    status: r.status,
    service: r.service,
    kind: r.visit_kind,
    date: r.visit_date,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    lawyerArrival: r.lawyer_arrival,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    inmateName: r.inmate_name,
    callNumber: r.call_number,
    bookerName: r.booker_name,
    relationship: r.relationship,
    visitorCount: visitors.rows.length,
    byPhone: r.by_phone,
    bookedAt: r.booked_at,
    reason: r.reason,
    rejectionReason: r.rejection_reason,
    cancelReason: r.cancel_reason,
    videoToken: r.video_token,
    decidedAt: r.decided_at,
    cancelledAt: r.cancelled_at,
    institutionNameZh: r.name_zh,
    institutionNameEn: r.name_en,
    visitors: visitors.rows.map((v) => ({
      applicantId: Number(v.applicant_id),
      position: v.position,
      name: v.name,
      nationalId: v.national_id,
      email: v.email,
      mobile: v.mobile,
      locale: v.locale,
      relationship: v.relationship,
    })),
    history: events.rows.map((e) => ({
      action: e.action,
      staffName: e.staff_name,
      applicantName: e.applicant_name,
      reason: e.reason,
      at: e.at,
    })),
  };
}

/** A01234567 → *****4567: rosters show only the last 4 characters of an ID number. */
export function maskNationalId(id: string): string {
  return maskIdentityNumber(id);
}

export type RosterRow = {
  id: number;
  number: string;
  kind: VisitKind;
  startsAt: string;
  endsAt: string;
  ordinal: number | null;
  arrivalTime: string | null;
  inmateName: string;
  callNumber: string;
  byPhone: boolean;
  visitors: { position: number; name: string; maskedNationalId: string; relationship: Relationship }[];
};

/**
 * 預約現場律師接見清冊 and the family equivalent: the approved visits of one institution on one date,
 * in order of time (lawyers by arrival time), to print or export the day before.
 */
export async function roster(
  db: Db,
  scope: string | null,
  q: { institutionCode: string; date: string; service: BookingService; kinds?: VisitKind[] },
): Promise<RosterRow[] | null> {
  if (scope !== null && scope !== q.institutionCode) return null;
  if (!isDate(q.date)) return [];
  const { rows } = await db.query(
    `SELECT b.id, b.number, b.visit_kind, ${TIMES}, to_char(b.arrival_time, 'HH24:MI') AS arrival_time, m.name AS inmate_name, m.call_number, b.by_phone,
            (SELECT r.n FROM (SELECT id, dense_rank() OVER (ORDER BY starts_at)::int AS n FROM visit_batch x
                                      WHERE x.institution_code = b.institution_code AND x.visit_kind = b.visit_kind AND x.retired_at IS NULL) r
              WHERE r.id = b.batch_id) AS ordinal,
            (SELECT json_agg(json_build_object('position', v.position, 'name', p.name, 'nationalId', p.national_id, 'relationship', a.relationship) ORDER BY v.position)
               FROM visit_booking_visitor v JOIN applicant p ON p.id = v.applicant_id JOIN service_application a ON a.id = v.application_id
              WHERE v.booking_id = b.id) AS visitors
       FROM visit_booking b JOIN inmate m ON m.id = b.inmate_id
      WHERE b.institution_code = $1 AND b.visit_date = $2 AND b.service = $3 AND b.visit_kind = ANY ($4::text[]) AND b.status = 'approved'
      ORDER BY lower(b.during), m.call_number, b.id`,
    [q.institutionCode, q.date, q.service, q.kinds ?? VISIT_KINDS],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    number: r.number,
    kind: r.visit_kind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    ordinal: r.ordinal ?? null,
    arrivalTime: r.arrival_time,
    inmateName: r.inmate_name,
    callNumber: r.call_number,
    byPhone: r.by_phone,
    visitors: (r.visitors as { position: number; name: string; nationalId: string; relationship: Relationship }[]).map(
      (v) => ({
        position: v.position,
        name: v.name,
        maskedNationalId: maskNationalId(v.nationalId),
        relationship: v.relationship,
      }),
    ),
  }));
}

/**
 * 電話預約: the registered applicant a caller says they are, by name and national ID together. Every
 * look-up by staff is in the audit log, found or not, since it touches a person's identity.
 */
export async function findApplicantByIdentity(
  db: Db,
  name: string,
  nationalId: string,
  who: BookingStaff,
  now: Date,
): Promise<{ id: number; name: string } | null> {
  const id = nationalId.normalize('NFKC').trim().toUpperCase();
  const { rows } = await db.query<{ id: number; name: string }>(
    'SELECT id, name FROM applicant WHERE national_id = $1 AND name = $2 AND email_verified_at IS NOT NULL',
    [id, name.normalize('NFC').trim()],
  );
  await recordStaffAction(db, {
    staffId: who.staffId,
    action: 'applicant.looked_up',
    objectType: 'applicant',
    objectId: rows[0] ? Number(rows[0].id) : null,
    institutionCode: who.institutionCode,
    ip: who.ip,
    details: { found: Boolean(rows[0]), nationalId: maskNationalId(id) },
    at: now,
  });
  return rows[0] ?? null;
}
