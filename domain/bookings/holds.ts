import type pg from 'pg';
import { isCheckViolation, type Db } from '../platform/db.ts';
import { TAIPEI } from '../shared/dates.ts';

/**
 * A place held while booking (issue 13): the batch chosen in the wizard's week grid is held for
 * HOLD_MINUTES under the wizard's submission key (one hold per wizard). A live hold counts as taken for
 * everyone else; the booking made with the same key replaces it in its own transaction. The rule is
 * kept by migrations/021_visit_holds.sql under visit_batch_day's row lock, like capacity.
 */

export const HOLD_MINUTES = 10;

export type HoldOutcome = { kind: 'held'; until: Date } | { kind: 'taken' };

/** Holds a place of the batch on the date for this wizard, moving its earlier hold if it had one. */
export async function holdPlace(
  pool: pg.Pool,
  h: { key: string; applicantId: number; batchId: number; date: string },
  now: Date,
): Promise<HoldOutcome> {
  const until = new Date(now.getTime() + HOLD_MINUTES * 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query(
        `INSERT INTO visit_hold (submission_key, applicant_id, batch_id, visit_date, held_at, held_until)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (submission_key) DO UPDATE
           SET applicant_id = EXCLUDED.applicant_id, batch_id = EXCLUDED.batch_id, visit_date = EXCLUDED.visit_date,
               held_at = EXCLUDED.held_at, held_until = EXCLUDED.held_until`,
        [h.key, h.applicantId, h.batchId, h.date, now, until],
      );
      return { kind: 'held', until };
    } catch (err) {
      if (isCheckViolation(err, 'visit_hold_full') || isCheckViolation(err, 'visit_booking_batch'))
        return { kind: 'taken' };
      if (attempt < 4 && (err as { code?: string }).code === '40P01') continue;
      throw err;
    }
  }
}

/** Gives the wizard's hold back (another batch, a cancelled wizard). */
export async function releaseHold(db: Db, key: string): Promise<void> {
  await db.query('DELETE FROM visit_hold WHERE submission_key = $1', [key]);
}

/** Expired holds count for nobody already; the rows are removed by the hourly purge. */
export async function purgeExpiredHolds(db: Db, now: Date): Promise<number> {
  return (await db.query('DELETE FROM visit_hold WHERE held_until <= $1', [now])).rowCount ?? 0;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TAIPEI,
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** HH:MM in Asia/Taipei, as the summary page says until when the place is held. */
export const heldUntilTime = (until: Date): string => timeFormat.format(until);
