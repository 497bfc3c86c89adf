import type pg from 'pg';
import { withTransaction, type Db } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { isId } from '../shared/ids.ts';
import { notifyBooking, notifyCompanionLeft } from './notices.ts';
import { getBooking } from './records.ts';
import type { BookingStatus } from './vocabulary.ts';

/**
 * Changes to a booking after it was made: the booker cancelling, another visitor withdrawing, and the
 * lock every change to one booking takes first (staff decisions use it too).
 */

/** A change to one booking in a transaction of its own; an id that cannot be one is not found. */
export function changeBooking<T>(pool: pg.Pool, bookingId: number, change: (tx: pg.PoolClient) => Promise<T>) {
  return isId(bookingId) ? withTransaction(pool, change) : Promise.resolve('not_found' as const);
}

/** The booking's state, locked for a change: as its booker sees it, or as staff within their scope (null: all). */
export async function lockBooking(tx: Db, bookingId: number, by: { bookerId: number } | { scope: string | null }) {
  const mine = 'bookerId' in by;
  const { rows } = await tx.query<{
    status: BookingStatus;
    visit_date: string;
    version: number;
    institution_code: string;
  }>(
    `SELECT status, visit_date, version, institution_code FROM visit_booking
      WHERE id = $1 AND ${mine ? 'booker_id = $2' : '($2::char(4) IS NULL OR institution_code = $2)'} FOR UPDATE`,
    [bookingId, mine ? by.bookerId : by.scope],
  );
  return rows[0] ?? null;
}

/** A line of the booking's history written by one of its visitors. */
async function visitorEvent(
  tx: Db,
  bookingId: number,
  action: 'cancelled' | 'companion_left',
  applicantId: number,
  now: Date,
) {
  await tx.query('INSERT INTO visit_booking_event (booking_id, action, applicant_id, at) VALUES ($1, $2, $3, $4)', [
    bookingId,
    action,
    applicantId,
    now,
  ]);
}

export type CancelOutcome = 'cancelled' | 'not_found' | 'too_late' | 'already_cancelled' | 'not_active';

/** The booker cancels, until the day before the visit (Asia/Taipei). The place is free at once. */
export async function cancelBooking(
  pool: pg.Pool,
  bookerId: number,
  bookingId: number,
  now: Date,
): Promise<CancelOutcome> {
  return changeBooking(pool, bookingId, async (tx) => {
    const b = await lockBooking(tx, bookingId, { bookerId });
    if (!b) return 'not_found';
    if (b.status === 'cancelled') return 'already_cancelled';
    if (b.status === 'rejected') return 'not_active';
    if (taipeiToday(now) >= b.visit_date) return 'too_late';
    await tx.query(
      `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, version = version + 1 WHERE id = $1`,
      [bookingId, now],
    );
    await visitorEvent(tx, bookingId, 'cancelled', bookerId, now);
    await notifyBooking(tx, bookingId, 'cancelled');
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
  return changeBooking(pool, bookingId, async (tx) => {
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
    await visitorEvent(tx, bookingId, 'companion_left', applicantId, now);
    await notifyCompanionLeft(tx, (await getBooking(tx, null, bookingId, 'zh-TW'))!, b.name);
    return 'left';
  });
}
