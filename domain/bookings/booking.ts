import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isCheckViolation, isUniqueViolation, type Db } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { bookableDates } from './availability.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { mailsCte, mailsWritten } from '../shared/outbox.ts';
import { earlierBooking, preCheck, warmUpPreCheck, type BookingInput, type PreChecked } from './booking-checks.ts';
import { bookedMails } from './notices.ts';
import { bookingErrors, type BookingErrorCode, type BookingOutcome } from './vocabulary.ts';

/**
 * Visit booking (預約接見, seed 003; lawyers and staff, seed 002): booking (cancelling and withdrawing are
 * in changes.ts). The
 * rules that must never break (capacity, nobody in two visits at once, the 2–7 day window, blocked
 * dates, approved visitors, the reason) are enforced by migrations/006_visit_bookings.sql; the checks
 * here come first only to name the problem, and a refusal by the database is turned into the same codes.
 */

export type { BookingInput } from './booking-checks.ts';

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newBookingNumber(now: Date): string {
  const tail = Array.from({ length: 6 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `V${taipeiToday(now).replace(/-/g, '')}-${tail}`;
}

/** Which statement the database refused in: the booker is inserted with the booking, companions after. */
type Stage = 'booking' | 'companions';

/**
 * 確認: books a visit as 待審核. Everything is checked first to name the problem, in one statement
 * outside any transaction (a refusal costs one round trip, answered on the connection it already
 * holds); the database checks it again while booking, which is what settles two people confirming the
 * last place at once: one is booked, the other gets { slot: 'full' } and goes back to the grid with the
 * rest of the wizard kept.
 *
 * Speed (issue 14): the batch and date's row lock (visit_batch_day, taken by the booking's triggers) is
 * what serialises bookings of one batch, so it is taken as late as possible and held for no round trip
 * to Node: the mails are built before, and a booking without other visitors or staff is ONE statement
 * (booking, history line, mails waiting for their delivery jobs) committed on its own. With other visitors
 * (their rows need the booking's, which one statement cannot see) or by phone (the audit line), the
 * same statement starts a transaction that one or two more statements finish.
 */
export async function bookVisit(pool: pg.Pool, input: BookingInput, now: Date): Promise<BookingOutcome> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const stage: { at: Stage } = { at: 'booking' };
      try {
        const checked = await preCheck(client, input, now);
        if (checked.kind !== 'ok') return checked.outcome;
        const booked = await bookIn(client, input, checked, now, stage);
        // Committed: the mails written with it get their delivery jobs from the dispatcher.
        mailsWritten();
        return booked;
      } catch (err) {
        if ((err as { broken?: Error }).broken) broken = (err as { broken: Error }).broken;
        if (broken) throw err;
        const refused = refusedByDatabase(err, stage.at);
        if (refused) return { kind: 'errors', errors: bookingErrors(refused) };
        if (
          isUniqueViolation(err, 'visit_booking_submission_key_key') ||
          isUniqueViolation(err, 'visit_booking_one_per_day')
        ) {
          // The same form sent twice at once meets either index first: the booking it made is the answer.
          const previous = await bookingBySubmissionKey(client, input);
          if (previous) return previous;
          return {
            kind: 'errors',
            errors: bookingErrors(isUniqueViolation(err, 'visit_booking_one_per_day') ? 'sameDay' : 'formUsed'),
          };
        }
        // A number drawn twice, or two bookings sharing visitors waiting on each other: try again.
        const code = (err as { code?: string }).code;
        if (attempt < 4 && (isUniqueViolation(err, 'visit_booking_number_key') || code === '40P01' || code === '40001'))
          continue;
        throw err;
      }
    }
  } finally {
    // A connection that could not even roll back is closed rather than given to the next request.
    client.release(broken);
  }
}

/**
 * What the portal runs on each connection of its pool at start (server.ts, openPool), so that a rush of
 * bookings right after a start meets connections as settled as ones that have booked (issue 14).
 */
export async function readyForBookings(client: pg.PoolClient, now: Date): Promise<void> {
  await warmUpPreCheck(client, now);
  await warmUpBooking(client, now);
}

/**
 * Readies one new connection for a rush of bookings (issue 14), after warmUpPreCheck: a connection's
 * first bookings also pay for PostgreSQL compiling the booking's trigger functions and planning their
 * statements and the booking's own (a rush on fresh connections: 15–20 ms more in each one's first
 * bookings; what this warm-up saves at a rush's p95 was within the machine's drift, README).
 * So the connection makes WARM_UP_BOOKINGS whole bookings, each in a transaction it rolls back, for an
 * institution (a free code), batch, family, inmate and approved service made in that transaction:
 * nothing is kept (identity numbers are used up, nothing more) and no row anyone else uses is written or
 * locked. A booking the rules refuse (a code taken meanwhile, say) is a failed warm-up, not a fault.
 */
export async function warmUpBooking(client: pg.PoolClient, now: Date): Promise<void> {
  for (let i = 0; i < WARM_UP_BOOKINGS; i++) {
    await client.query('BEGIN');
    try {
      const date = bookableDates(now)[0]!;
      // WZ: a second letter no national ID or resident certificate number has, so no real person's.
      const tag = String(randomInt(100_000_000)).padStart(8, '0');
      const { rows } = await client.query<{ batch: string; applicant: string; inmate: string }>(
        `WITH i AS (
           INSERT INTO institution (code, name_zh, name_en)
           SELECT c.code, '暖機', 'Warm-up' FROM (SELECT lpad(g::text, 4, '0') AS code FROM generate_series(0, 9999) g) c
            WHERE NOT EXISTS (SELECT 1 FROM institution x WHERE x.code = c.code) ORDER BY random() LIMIT 1 RETURNING code),
         b AS (
           INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
           SELECT code, 'onsite', extract(isodow FROM $1::date), '09:00', 20, 1 FROM i RETURNING id),
         p AS (
           INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
           VALUES ('暖機', 'WZ' || $2, 'warm-up-' || $2 || '@warm-up.invalid', '1980-01-01', '!', $3, $3) RETURNING id),
         m AS (
           INSERT INTO inmate (institution_code, call_number, name) SELECT code, '000001', '暖機' FROM i RETURNING id, institution_code),
         a AS (
           INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                            submission_key, submitted_at, status, decided_at)
           SELECT '19000101-' || substr($2, 1, 6), p.id, m.id, m.institution_code, 'visit', ARRAY['onsite'], 'mother',
                  gen_random_uuid(), $3, 'approved', $3 FROM p, m RETURNING id)
         SELECT (SELECT id FROM b) AS batch, (SELECT id FROM p) AS applicant, (SELECT id FROM m) AS inmate FROM a`,
        [date, tag, now],
      );
      const made = rows[0];
      if (!made) throw new Error('no institution code is free for the warm-up booking');
      const input: BookingInput = {
        submissionKey: randomUUID(),
        bookerId: Number(made.applicant),
        inmateId: Number(made.inmate),
        service: 'visit',
        kind: 'onsite',
        date,
        batchId: Number(made.batch),
        arrivalTime: null,
        companionIds: [],
        reason: '',
      };
      const checked = await preCheck(client, input, now);
      if (checked.kind !== 'ok') throw new Error(`the warm-up booking was refused: ${JSON.stringify(checked.outcome)}`);
      await bookIn(client, input, checked, now, { at: 'booking' });
    } finally {
      await client.query('ROLLBACK');
    }
  }
}

/** Three: what the measurement above needed for a rush right after a start to meet settled connections. */
const WARM_UP_BOOKINGS = 3;

async function bookingBySubmissionKey(db: Db, input: BookingInput): Promise<BookingOutcome | null> {
  const { rows } = await db.query<{ id: number; number: string; booker_id: number }>(
    'SELECT id, number, booker_id FROM visit_booking WHERE submission_key = $1',
    [input.submissionKey],
  );
  return rows[0]
    ? earlierBooking(input, { id: rows[0].id, number: rows[0].number, bookerId: rows[0].booker_id })
    : null;
}

/** The booking itself, once the pre-check passed: the database's rules decide from here. */
async function bookIn(
  client: pg.PoolClient,
  input: BookingInput,
  checked: Extract<PreChecked, { kind: 'ok' }>,
  now: Date,
  stage: { at: Stage },
): Promise<BookingOutcome> {
  const { ent, reason, companionIds, lawyerOnsite } = checked;
  const number = newBookingNumber(now);
  const videoToken = input.kind === 'onsite' ? null : randomBytes(32).toString('base64url');
  const params: unknown[] = [
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
    input.phone ? null : input.bookerId,
  ];
  // The mails come first in the statement's text, the booking (whose triggers take the row lock) last;
  // the history's first line needs the booking's id. Every part is refused together.
  const statement = `WITH ${mailsCte(params, bookedMails({ ...checked.notice, number }))},
     booking AS (
       INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind,
                                  visit_date, batch_id, arrival_time, relationship, reason, by_phone, created_by_staff, video_token, booked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id),
     event AS (
       INSERT INTO visit_booking_event (booking_id, action, staff_id, applicant_id, at) SELECT id, 'booked', $15, $18, $17 FROM booking)
     SELECT (SELECT id FROM booking) AS id, (SELECT count(*) FROM notice_jobs) AS jobs`;
  if (!companionIds.length && !input.phone) {
    // Committed on its own: the row lock is held from the statement's end to its commit, no longer.
    const { rows } = await client.query<{ id: number }>({
      name: 'visit_booking_insert',
      text: statement,
      values: params,
    });
    return { kind: 'booked', bookingId: Number(rows[0]!.id), number };
  }
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ id: number }>({
      name: 'visit_booking_insert',
      text: statement,
      values: params,
    });
    const bookingId = Number(rows[0]!.id);
    stage.at = 'companions';
    if (companionIds.length) {
      // The other visitors, positions 2, 3, … (the booker is 1, added by the booking's trigger).
      await client.query(
        `INSERT INTO visit_booking_visitor (booking_id, applicant_id, position)
         SELECT $1, c.id, (c.n + 1)::int FROM unnest($2::bigint[]) WITH ORDINALITY AS c(id, n)`,
        [bookingId, companionIds],
      );
    }
    if (input.phone) {
      await recordStaffAction(client, {
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
    await client.query('COMMIT');
    return { kind: 'booked', bookingId, number };
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackFailed) {
      throw Object.assign(err as object, { broken: rollbackFailed });
    }
    throw err;
  }
}

/** The database's own rules, when a booking got past the checks above in a race (or skipped them). */
function refusedByDatabase(err: unknown, stage: Stage): BookingErrorCode | null {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23P01' && e.constraint === 'visit_booking_inmate_busy') return 'inmateBusy';
  if (e?.code === '23P01' && e.constraint === 'visit_booking_person_busy')
    return stage === 'booking' ? 'bookerBusy' : 'companionBusy';
  if (isCheckViolation(err, 'visit_person_one_per_day')) return stage === 'booking' ? 'sameDay' : 'companionSameDay';
  const checks: Record<string, BookingErrorCode> = {
    visit_batch_full: 'full',
    visit_booking_window: 'outsideWindow',
    visit_blocked_date: 'blockedDate',
    visit_booking_open_day: 'closedDay',
    visit_booking_batch: 'noSuchBatch',
    visit_booking_lawyer_window: 'outsideLawyerWindow',
    visit_booking_service: 'notEligible',
    visit_booking_inmate: 'inmateRestricted',
    visit_companion_not_eligible: 'companionNotEligible',
    visit_booking_reason_required: 'reasonRequired',
  };
  for (const [constraint, code] of Object.entries(checks)) if (isCheckViolation(err, constraint)) return code;
  return null;
}
