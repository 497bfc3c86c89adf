import type { Db } from '../platform/db.ts';
import { addDays, daysBetween, hhmm, isIsoDate, isoWeekday, isTime, minutesOf, taipeiToday } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { maskName } from '../shared/masking.ts';
import { VISIT_KINDS, type Relationship, type VisitKind } from '../applications/vocabulary.ts';
import { listBlockedDates, openWeekdays } from './timetable.ts';
import {
  ARRIVAL_STEP_MINUTES,
  FIRST_BOOKABLE_DAY,
  LAST_BOOKABLE_DAY,
  LAWYER_BANDS,
  reasonRequired,
  type BookingService,
} from './vocabulary.ts';

/**
 * What an applicant may book: the services they hold, who may come along, the bookable dates and
 * the week grid of batches with places left, and for lawyers on site the arrival windows and counts.
 */

/** The dates that can be booked at `now`: 2 to 7 days ahead in Asia/Taipei. */
export function bookableDates(now: Date): string[] {
  const today = taipeiToday(now);
  return Array.from({ length: LAST_BOOKABLE_DAY - FIRST_BOOKABLE_DAY + 1 }, (_, i) =>
    addDays(today, FIRST_BOOKABLE_DAY + i),
  );
}

export function inBookingWindow(date: string, now: Date): boolean {
  if (!isIsoDate(date)) return false;
  const n = daysBetween(taipeiToday(now), date);
  return n >= FIRST_BOOKABLE_DAY && n <= LAST_BOOKABLE_DAY;
}
// ---- what an applicant may book ----

/** An inmate the applicant may book for, under one approved service, with the kinds it allows. */
export type BookingOption = {
  service: BookingService;
  inmateId: number;
  maskedInmate: string;
  /** in full, for staff booking by phone; the family's pages show maskedInmate */
  inmateName: string;
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
        AND m.removed_on IS NULL
      ORDER BY a.inmate_id, a.service, a.id DESC`,
    [applicantId],
  );
  return rows.map((r) => ({
    service: r.service,
    inmateId: Number(r.inmate_id),
    maskedInmate: maskName(r.name),
    inmateName: r.name,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    relationship: r.relationship,
    kinds: VISIT_KINDS.filter((k) => (r.kinds as string[]).includes(k)),
    reasonRequired: reasonRequired(r.relationship),
  }));
}

export type Entitlement = {
  applicationId: number;
  relationship: Relationship;
  institutionCode: string;
  restricted: boolean;
};

/**
 * The approved service under which applicant $1 may make visit kind $4 ($3: visit or lawyer_visit) to
 * inmate $2: its id, relationship, institution_code and whether the inmate is restricted (or has left). One text for
 * entitlement() and the booking's one-statement pre-check (booking.ts).
 */
export const ENTITLEMENT_SQL = `SELECT a.id, a.relationship, a.institution_code, (m.restriction IS NOT NULL OR m.removed_on IS NOT NULL) AS restricted
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND a.inmate_id = $2 AND a.service = $3 AND a.status IN ('approved', 'auto_approved')
        AND (CASE WHEN a.service = 'lawyer_visit' THEN $4::text IN ('onsite', 'mobile') ELSE $4::text = ANY (a.visit_kinds) END)
      ORDER BY a.id DESC LIMIT 1`;

/** The approved service under which `applicantId` may make this kind of visit to this inmate. */
export async function entitlement(
  db: Db,
  applicantId: number,
  inmateId: number,
  service: BookingService,
  kind: VisitKind,
): Promise<Entitlement | null> {
  const { rows } = await db.query(ENTITLEMENT_SQL, [applicantId, inmateId, service, kind]);
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

/**
 * The choice list shows maskedName (they may be strangers to the booker); once chosen, the booking
 * and staff's phone form show name.
 */
export type Companion = { applicantId: number; maskedName: string; name: string; relationship: Relationship };

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
  return rows.map((r) => ({
    applicantId: Number(r.id),
    maskedName: maskName(r.name),
    name: r.name,
    relationship: r.relationship,
  }));
}

// ---- the grid ----

export type GridCell = { batchId: number; remaining: number; endsAt: string };
export type BookableGrid = {
  institutionCode: string;
  kind: VisitKind;
  service: BookingService;
  /** booked: the applicant visits this inmate that day already (one family visit a day): said on the grid */
  dates: { date: string; weekday: number; blocked: boolean; booked: boolean }[];
  /** one row per start time of the kind's timetable; a cell per date, null when not offered */
  rows: { ordinal: number; startsAt: string; cells: (GridCell | null)[] }[];
  /** how many cells are offered: none means every bookable batch is full */
  open: number;
  /** the cells (`date|batchId`) that would be offered but have no place left, booked or held by others */
  full: string[];
};

/**
 * Step 4: the dates 2 to 7 days ahead × the batches, offering only those with room, not on a blocked
 * date, and when neither the inmate nor any of the visitors is already in a visit at that time.
 * Places held by others' wizards at `now` count as taken; the hold of wizard `holdKey` does not.
 * Null when the applicant holds no approved service for this kind of visit to this inmate.
 */
export async function bookableGrid(
  db: Db,
  q: {
    applicantId: number;
    inmateId: number;
    kind: VisitKind;
    service?: BookingService;
    companionIds?: number[];
    holdKey?: string;
  },
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
            s.capacity - (SELECT count(*) FROM visit_booking v WHERE v.batch_id = s.id AND v.visit_date = s.day AND v.status IN ('pending', 'approved'))::int
              - (SELECT count(*) FROM visit_hold h WHERE h.batch_id = s.id AND h.visit_date = s.day AND h.held_until > $8
                    AND h.submission_key IS DISTINCT FROM $9::uuid)::int AS remaining
       FROM slots s
      WHERE NOT EXISTS (SELECT 1 FROM visit_booking_visitor p WHERE p.active AND p.applicant_id = ANY ($4::bigint[]) AND p.during && s.during)
        AND NOT EXISTS (SELECT 1 FROM visit_booking v WHERE v.inmate_id = $5 AND v.status IN ('pending', 'approved') AND v.during && s.during)
        AND ($7::text <> 'visit' OR NOT EXISTS (SELECT 1 FROM visit_booking_visitor p JOIN visit_booking v ON v.id = p.booking_id
                                                 WHERE p.applicant_id = $6 AND p.active AND v.inmate_id = $5 AND v.visit_date = s.day AND v.service = 'visit'))`,
    [ent.institutionCode, q.kind, dates, people, q.inmateId, q.applicantId, service, now, q.holdKey ?? null],
  );
  const blocked = new Set((await listBlockedDates(db, ent.institutionCode, bookableDates(now)[0]!)).map((b) => b.date));
  // The days this applicant already visits this inmate (a family visit): the grid says why they are empty.
  const booked = new Set(
    service === 'visit'
      ? (
          await db.query<{ day: string }>(
            `SELECT DISTINCT to_char(v.visit_date, 'YYYY-MM-DD') AS day FROM visit_booking_visitor p JOIN visit_booking v ON v.id = p.booking_id
              WHERE p.applicant_id = $1 AND p.active AND v.inmate_id = $2 AND v.service = 'visit' AND v.visit_date = ANY ($3::date[])`,
            [q.applicantId, q.inmateId, dates],
          )
        ).rows.map((r) => r.day)
      : [],
  );
  const starts = await db.query<{ starts_at: string }>(
    `SELECT DISTINCT to_char(starts_at, 'HH24:MI') AS starts_at FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND retired_at IS NULL ORDER BY 1`,
    [ent.institutionCode, q.kind],
  );
  let open = 0;
  const full = rows.filter((x) => x.remaining <= 0).map((x) => `${x.day}|${Number(x.id)}`);
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
    dates: dates.map((date) => ({
      date,
      weekday: isoWeekday(date),
      blocked: blocked.has(date),
      booked: booked.has(date),
    })),
    rows: grid,
    open,
    full,
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
  if (!isTime(time)) return false;
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

/**
 * The lawyer's date and time step: the bookable dates on which the institution opens (closed dates
 * marked), the dates of the window it does not open on, the windows and the times.
 */
export async function lawyerArrivalOptions(
  db: Db,
  q: { applicantId: number; inmateId: number },
  now: Date,
): Promise<{
  institutionCode: string;
  dates: { date: string; weekday: number; blocked: boolean }[];
  /** dates 2 to 7 days ahead on a weekday without any batch: not offered */
  closedDays: string[];
  windows: LawyerWindows;
  times: string[];
} | null> {
  const ent = await entitlement(db, q.applicantId, q.inmateId, 'lawyer_visit', 'onsite');
  if (!ent || ent.restricted) return null;
  const windows = (await lawyerWindows(db, ent.institutionCode))!;
  const open = await openWeekdays(db, ent.institutionCode);
  const dates = bookableDates(now).filter((date) => open.has(isoWeekday(date)));
  const blocked = new Set((await listBlockedDates(db, ent.institutionCode, bookableDates(now)[0]!)).map((b) => b.date));
  return {
    institutionCode: ent.institutionCode,
    windows,
    times: lawyerArrivalTimes(windows),
    dates: dates.map((date) => ({ date, weekday: isoWeekday(date), blocked: blocked.has(date) })),
    closedDays: bookableDates(now).filter((date) => !open.has(isoWeekday(date))),
  };
}

/** 各時段預約律師現場接見人數一覽表: active lawyer on-site bookings per arrival band on a date. */
export async function lawyerBandCounts(
  db: Db,
  institutionCode: string,
  date: string,
): Promise<{ from: string; to: string; count: number }[]> {
  if (!isIsoDate(date)) return LAWYER_BANDS.map((b) => ({ ...b, count: 0 }));
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

export type SlotChoices =
  | {
      lawyer: true;
      arrival: Awaited<ReturnType<typeof lawyerArrivalOptions>>;
      /** every bookable date with its counts per arrival band */
      counts: {
        date: string;
        weekday: number;
        blocked: boolean;
        bands: { from: string; to: string; count: number }[];
      }[];
    }
  | { lawyer: false; grid: BookableGrid | null };

/**
 * The time to choose, as the wizard's step 4 and the phone booking form offer it: a lawyer on site
 * picks a date and an arrival time (seeing how many lawyers come in each band); everyone else a cell
 * of the week grid.
 */
export async function slotChoices(
  db: Db,
  q: {
    applicantId: number;
    inmateId: number;
    kind: VisitKind;
    service: BookingService;
    companionIds?: number[];
    holdKey?: string;
  },
  now: Date,
): Promise<SlotChoices> {
  if (q.service === 'lawyer_visit' && q.kind === 'onsite') {
    const arrival = await lawyerArrivalOptions(db, { applicantId: q.applicantId, inmateId: q.inmateId }, now);
    const counts = arrival
      ? await Promise.all(
          arrival.dates.map(async (x) => ({
            ...x,
            bands: await lawyerBandCounts(db, arrival.institutionCode, x.date),
          })),
        )
      : [];
    return { lawyer: true, arrival, counts };
  }
  return { lawyer: false, grid: await bookableGrid(db, q, now) };
}
