import type pg from 'pg';
import { decideWithVersion, type DecidedTable } from '../shared/decisions.ts';
import { conditions, pageOf, type Db } from '../platform/db.ts';
import { DEFAULT_VIDEO_SERVICE_URL } from '../platform/config.ts';
import { isIsoDate, taipeiToday } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { VISIT_KINDS, type VisitKind } from '../applications/vocabulary.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { changeBooking, lockBooking } from './changes.ts';
import { notifyBooking } from './notices.ts';
import {
  BOOKING_ROWS,
  STAFF_ROW_COLUMNS,
  getBooking,
  staffRowOf,
  type BookingDetail,
  type StaffBookingRow,
} from './records.ts';
import { BOOKING_STATUSES, DECISION_REASON_MAX, type BookingService, type BookingStatus } from './vocabulary.ts';

/** 預約接見審核: the staff queue of bookings, and what staff decide on them (approve, reject, cancel). */

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
export const BOOKINGS_PAGE_SIZE = 50;

/** Who reads: a staff member's role and scope. */
type Viewer = Pick<StaffActor, 'role' | 'institutionCode'>;

/** 預約接見審核: bookings by visit date, kind and status, within the staff member's scope. */
export async function listStaffBookings(
  db: Db,
  who: Viewer,
  f: StaffBookingFilter,
  locale: Locale,
): Promise<{ rows: StaffBookingRow[]; total: number; page: number; pages: number }> {
  assertMay(who, 'review');
  const c = conditions();
  if (who.institutionCode) c.add('b.institution_code = ?', who.institutionCode);
  if (f.institutionCode) c.add('b.institution_code = ?', f.institutionCode);
  if (f.kind && VISIT_KINDS.includes(f.kind)) c.add('b.visit_kind = ?', f.kind);
  if (f.service === 'visit' || f.service === 'lawyer_visit') c.add('b.service = ?', f.service);
  if (f.status && BOOKING_STATUSES.includes(f.status)) c.add('b.status = ?', f.status);
  if (f.from && isIsoDate(f.from)) c.add('b.visit_date >= ?::date', f.from);
  if (f.to && isIsoDate(f.to)) c.add('b.visit_date <= ?::date', f.to);
  const from = `FROM ${BOOKING_ROWS} ${c.sql()}`;
  const total = Number((await db.query<{ n: string }>(`SELECT count(*) AS n ${from}`, c.params)).rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, f.page, BOOKINGS_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT ${STAFF_ROW_COLUMNS}, (SELECT count(*)::int FROM visit_booking_visitor v WHERE v.booking_id = b.id) AS visitor_count
       ${from} ORDER BY b.visit_date, lower(b.during), b.id ${limitSql}`,
    c.params,
  );
  return { total, page, pages, rows: rows.map((r) => staffRowOf(r, locale, r.visitor_count)) };
}

/** One booking as staff who review bookings see it (single printout, review), or null outside their scope. */
export async function staffBooking(
  db: Db,
  who: Viewer,
  bookingId: number,
  locale: Locale,
): Promise<BookingDetail | null> {
  assertMay(who, 'review');
  return getBooking(db, who.institutionCode, bookingId, locale);
}

export type BookingDecision = { decision: 'approve' } | { decision: 'reject'; reason: string };
export type DecideBookingOutcome = 'decided' | 'already_decided' | 'not_found' | 'reason_required' | 'past' | 'closed';

/** Bookings as the shared decide-with-version transaction (domain/shared/decisions.ts) writes them. */
const BOOKING_DECISIONS: DecidedTable = {
  table: 'visit_booking',
  events: { table: 'visit_booking_event', key: 'booking_id' },
  audit: 'visit_booking',
};

/** A staff change's history line, audit line and every visitor's notice, in the change's transaction. */
async function recordStaffChange(
  tx: Db,
  c: {
    bookingId: number;
    status: 'approved' | 'rejected' | 'cancelled';
    reason: string | null;
    institutionCode: string;
  },
  who: StaffActor,
  now: Date,
  videoServiceUrl: string,
): Promise<void> {
  await tx.query(
    'INSERT INTO visit_booking_event (booking_id, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)',
    [c.bookingId, c.status, who.staffId, c.reason, now],
  );
  await recordStaffAction(tx, {
    staffId: who.staffId,
    action: `visit_booking.${c.status}`,
    objectType: 'visit_booking',
    objectId: c.bookingId,
    institutionCode: c.institutionCode,
    ip: who.ip,
    details: { reason: c.reason },
    at: now,
  });
  await notifyBooking(tx, c.bookingId, c.status, { videoServiceUrl });
}

/**
 * A staff decision on a pending booking, within the staff member's scope, naming the version they
 * saw (a second reviewer deciding at once is told); history and audit log in the same transaction.
 */
export async function decideBooking(
  pool: pg.Pool,
  bookingId: number,
  seenVersion: number,
  d: BookingDecision,
  who: StaffActor,
  now: Date,
  /** the video service's join address (config VIDEO_SERVICE_URL), for the approval's link */
  videoServiceUrl = DEFAULT_VIDEO_SERVICE_URL,
  /** the portal's address (config PUBLIC_URL): the approval mail then carries a rating link (即時評價) */
  publicUrl?: string,
): Promise<DecideBookingOutcome> {
  assertMay(who, 'review');
  const reason = d.decision === 'reject' ? d.reason.trim() : null;
  if (d.decision === 'reject' && (!reason || reason.length > DECISION_REASON_MAX)) return 'reason_required';
  return decideWithVersion<'past' | 'closed'>(pool, BOOKING_DECISIONS, bookingId, seenVersion, who, now, {
    verdict: async (tx) => {
      // A date closed, or an inmate restricted, since the booking was made: it can only be rejected or cancelled.
      const { rows } = await tx.query<{ visit_date: string; closed: boolean }>(
        `SELECT v.visit_date, (m.restriction IS NOT NULL OR EXISTS (SELECT 1 FROM visit_blocked_date x
                 WHERE x.institution_code = v.institution_code AND x.blocked_on = v.visit_date)) AS closed
           FROM visit_booking v JOIN inmate m ON m.id = v.inmate_id WHERE v.id = $1`,
        [bookingId],
      );
      const b = rows[0]!;
      if (b.visit_date < taipeiToday(now)) return 'past';
      if (d.decision === 'approve' && b.closed) return 'closed';
      return { status: d.decision === 'approve' ? 'approved' : 'rejected', reason };
    },
    then: (tx, decided) =>
      notifyBooking(tx, bookingId, decided.status, {
        videoServiceUrl,
        rating: publicUrl ? { publicUrl, now } : undefined,
      }),
  });
}

/** 全選審核: each selected booking decided on its own, so one already decided does not stop the rest. */
export async function decideBookings(
  pool: pg.Pool,
  items: { id: number; version: number }[],
  d: BookingDecision,
  who: StaffActor,
  now: Date,
  videoServiceUrl = DEFAULT_VIDEO_SERVICE_URL,
  publicUrl?: string,
): Promise<Map<number, DecideBookingOutcome>> {
  assertMay(who, 'review');
  const out = new Map<number, DecideBookingOutcome>();
  for (const item of items)
    out.set(item.id, await decideBooking(pool, item.id, item.version, d, who, now, videoServiceUrl, publicUrl));
  return out;
}

export type StaffCancelOutcome = 'cancelled' | 'changed' | 'not_found' | 'reason_required' | 'not_active';

/** Staff cancel a pending or approved booking with a reason every visitor reads, at any time. */
export async function staffCancelBooking(
  pool: pg.Pool,
  bookingId: number,
  seenVersion: number,
  reasonText: string,
  who: StaffActor,
  now: Date,
): Promise<StaffCancelOutcome> {
  assertMay(who, 'review');
  const reason = reasonText.trim();
  if (!reason || reason.length > DECISION_REASON_MAX) return 'reason_required';
  return changeBooking(pool, bookingId, async (tx) => {
    const b = await lockBooking(tx, bookingId, { scope: who.institutionCode });
    if (!b) return 'not_found';
    if (b.status !== 'pending' && b.status !== 'approved') return 'not_active';
    if (b.version !== seenVersion) return 'changed';
    await tx.query(
      `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, cancelled_by_staff = $3, cancel_reason = $4, version = version + 1 WHERE id = $1`,
      [bookingId, now, who.staffId, reason],
    );
    await recordStaffChange(
      tx,
      { bookingId, status: 'cancelled', reason, institutionCode: b.institution_code },
      who,
      now,
      DEFAULT_VIDEO_SERVICE_URL,
    );
    return 'cancelled';
  });
}

/**
 * What one press of 全選審核 did: how many were decided, how many are on a date closed (or for an
 * inmate restricted) since, which need a rejection or a cancellation, and how many were skipped
 * (decided by someone else, changed, past). `noneFound`: nothing asked for was within scope.
 */
export function bulkTally(outcomes: Map<number, DecideBookingOutcome>) {
  const all = [...outcomes.values()];
  const decided = all.filter((o) => o === 'decided').length;
  const closed = all.filter((o) => o === 'closed').length;
  return { noneFound: all.every((o) => o === 'not_found'), decided, closed, skipped: all.length - decided - closed };
}
