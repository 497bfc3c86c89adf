import type { QueryResultRow } from 'pg';
import type { Db } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { isId } from '../shared/ids.ts';
import type { Locale } from '../shared/locale.ts';
import { reasonIn } from '../shared/reasons.ts';
import { maskName } from '../shared/masking.ts';
import type { Relationship, VisitKind } from '../applications/vocabulary.ts';
import type { BookingService, BookingStatus } from './vocabulary.ts';

/** How bookings read back: for the applicant (their own), and one booking in full for staff and notices. */

/** The visit's date and times in Asia/Taipei, as every booking query selects them. */
export const TIMES = `to_char(lower(b.during) AT TIME ZONE 'Asia/Taipei', 'HH24:MI') AS starts_at,
               to_char(upper(b.during) AT TIME ZONE 'Asia/Taipei', 'HH24:MI') AS ends_at,
               to_char(b.visit_date, 'YYYY-MM-DD') AS visit_date`;

/** What every reading of a booking holds: which visit, when, where. */
export type BookingSummary = {
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
  byPhone: boolean;
};

/** Columns selected with SUMMARY_COLUMNS (and the institution's names) as a BookingSummary. */
function summaryOf(r: QueryResultRow, locale: Locale): BookingSummary {
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
    byPhone: r.by_phone,
  };
}

const SUMMARY_COLUMNS = `b.id, b.number, b.status, b.service, b.visit_kind, ${TIMES}, b.arrival_time IS NOT NULL AS lawyer_arrival,
            b.institution_code, i.name_zh, i.name_en, b.by_phone`;

export type ApplicantBooking = BookingSummary & {
  maskedInmate: string;
  isBooker: boolean;
  /** in full: the person is one of the visitors (PRODUCT.md, who sees which name) */
  visitors: { position: number; name: string }[];
  reason: string | null;
  rejectionReason: string | null;
  /** in the reader's language when the system wrote it */
  cancelReason: string | null;
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
    `SELECT ${SUMMARY_COLUMNS}, m.name AS inmate_name, b.booker_id, b.reason, b.rejection_reason, b.cancel_reason, b.video_token,
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
      ...summaryOf(r, locale),
      maskedInmate: maskName(r.inmate_name),
      isBooker,
      visitors: (r.visitors as { position: number; name: string }[]).map((v) => ({
        position: v.position,
        name: v.name,
      })),
      reason: r.reason,
      rejectionReason: r.rejection_reason,
      cancelReason: reasonIn(r.cancel_reason, locale),
      canCancel: isBooker && active && today < r.visit_date,
      canLeave: !isBooker && active && today < r.visit_date,
      videoToken: r.status === 'approved' ? r.video_token : null,
    };
  });
}

export type StaffBookingRow = BookingSummary & {
  version: number;
  inmateName: string;
  callNumber: string;
  bookerName: string;
  relationship: Relationship;
  visitorCount: number;
  bookedAt: Date;
};
/** What staff see of a booking in a list (staffRowOf reads it), selected from BOOKING_ROWS. */
export const STAFF_ROW_COLUMNS = `${SUMMARY_COLUMNS}, b.version, m.name AS inmate_name, m.call_number, p.name AS booker_name,
            b.relationship, b.booked_at`;
export const BOOKING_ROWS = `visit_booking b JOIN institution i ON i.code = b.institution_code JOIN inmate m ON m.id = b.inmate_id
       JOIN applicant p ON p.id = b.booker_id`;

export function staffRowOf(r: QueryResultRow, locale: Locale, visitorCount: number): StaffBookingRow {
  return {
    ...summaryOf(r, locale),
    version: r.version,
    inmateName: r.inmate_name,
    callNumber: r.call_number,
    bookerName: r.booker_name,
    relationship: r.relationship,
    visitorCount,
    bookedAt: r.booked_at,
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
  /** in `locale` when the system wrote it (a notice puts it in each visitor's language) */
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
  /** false: without the history (a notice needs none; one round trip fewer) */
  withHistory = true,
): Promise<BookingDetail | null> {
  if (!isId(bookingId)) return null;
  const { rows } = await db.query(
    `SELECT ${STAFF_ROW_COLUMNS}, b.reason, b.rejection_reason, b.cancel_reason, b.video_token, b.decided_at,
            b.cancelled_at
       FROM ${BOOKING_ROWS}
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
  const events = !withHistory
    ? { rows: [] }
    : await db.query(
        `SELECT e.action, s.name AS staff_name, x.name AS applicant_name, e.reason, e.at
       FROM visit_booking_event e LEFT JOIN staff s ON s.id = e.staff_id LEFT JOIN applicant x ON x.id = e.applicant_id
      WHERE e.booking_id = $1 ORDER BY e.at, e.id`,
        [bookingId],
      );
  return {
    ...staffRowOf(r, locale, visitors.rows.length),
    reason: r.reason,
    rejectionReason: r.rejection_reason,
    cancelReason: reasonIn(r.cancel_reason, locale),
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
      reason: reasonIn(e.reason, locale),
      at: e.at,
    })),
  };
}
