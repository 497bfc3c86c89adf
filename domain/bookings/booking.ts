import { randomBytes, randomInt } from 'node:crypto';
import type pg from 'pg';
import { isCheckViolation, isUniqueViolation, withTransaction, type Db } from '../platform/db.ts';
import { isoWeekday, isTime, taipeiToday } from '../shared/dates.ts';
import { inScope, type StaffActor } from '../shared/staff-actor.ts';
import type { VisitKind } from '../applications/vocabulary.ts';
import { recordStaffAction } from '../shared/audit.ts';
import {
  ENTITLEMENT_SQL,
  eligibleCompanions,
  inBookingWindow,
  insideLawyerWindows,
  type Entitlement,
} from './availability.ts';
import { notifyBooking } from './notices.ts';
import {
  bookingErrors,
  MAX_COMPANIONS,
  REASON_MAX,
  reasonRequired,
  type BookingErrorCode,
  type BookingOutcome,
  type BookingService,
} from './vocabulary.ts';

/**
 * Visit booking (預約接見, seed 003; lawyers and staff, seed 002): booking (cancelling and withdrawing are
 * in changes.ts). The
 * rules that must never break (capacity, nobody in two visits at once, the 2–7 day window, blocked
 * dates, approved visitors, the reason) are enforced by migrations/006_visit_bookings.sql; the checks
 * here come first only to name the problem, and a refusal by the database is turned into the same codes.
 */

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
  phone?: StaffActor;
};

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newBookingNumber(now: Date): string {
  const tail = Array.from({ length: 6 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `V${taipeiToday(now).replace(/-/g, '')}-${tail}`;
}

/** Which statement the database refused in: the booker is inserted with the booking, companions after. */
type Stage = 'booking' | 'companions';

/**
 * 確認: books a visit as 待審核. Everything is checked first to name the problem, in one statement
 * outside any transaction (a refusal costs one round trip and holds no connection); the database
 * checks it again while booking, which is what settles two people confirming the last place at once:
 * one is booked, the other gets { slot: 'full' } and goes back to the grid with the rest of the wizard kept.
 */
export async function bookVisit(pool: pg.Pool, input: BookingInput, now: Date): Promise<BookingOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stage: { at: Stage } = { at: 'booking' };
    try {
      const checked = await preCheck(pool, input, now);
      if (checked.kind !== 'ok') return checked.outcome;
      return await withTransaction(pool, (tx) => bookIn(tx, input, checked, now, stage));
    } catch (err) {
      const refused = refusedByDatabase(err, stage.at);
      if (refused) return { kind: 'errors', errors: bookingErrors(refused) };
      if (
        isUniqueViolation(err, 'visit_booking_submission_key_key') ||
        isUniqueViolation(err, 'visit_booking_one_per_day')
      ) {
        // The same form sent twice at once meets either index first: the booking it made is the answer.
        const previous = await bookingBySubmissionKey(pool, input);
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
}

async function bookingBySubmissionKey(db: Db, input: BookingInput): Promise<BookingOutcome | null> {
  const { rows } = await db.query<{ id: number; number: string; booker_id: number }>(
    'SELECT id, number, booker_id FROM visit_booking WHERE submission_key = $1',
    [input.submissionKey],
  );
  return rows[0]
    ? earlierBooking(input, { id: rows[0].id, number: rows[0].number, bookerId: rows[0].booker_id })
    : null;
}

/** A form already used: its own booking for the same booker, refused for anyone else. */
function earlierBooking(input: BookingInput, r: { id: number; number: string; bookerId: number }): BookingOutcome {
  return Number(r.bookerId) === input.bookerId
    ? { kind: 'booked', bookingId: Number(r.id), number: r.number }
    : { kind: 'errors', errors: bookingErrors('formUsed') };
}

type PreCheckRow = {
  previous: { id: number; number: string; bookerId: number } | null;
  id: string | null;
  relationship: Entitlement['relationship'] | null;
  institution_code: string | null;
  restricted: boolean | null;
  blocked: boolean;
  remaining: number | null;
  booker_same_day: boolean;
  open_weekdays: number[];
  ms: string | null;
  me: string | null;
  fs: string | null;
  fe: string | null;
};

/**
 * Everything the booking depends on, read at once: the form's earlier booking, the booker's approved
 * service for this visit (ENTITLEMENT_SQL: $1–$4), the date's closure, the batch's remaining places
 * (bookings and others' live holds at $9; this form's own hold is its place),
 * whether the booker already visits the inmate that day, the open weekdays and the lawyer windows.
 */
const PRE_CHECK_SQL = `
SELECT (SELECT json_build_object('id', k.id, 'number', k.number, 'bookerId', k.booker_id)
          FROM visit_booking k WHERE k.submission_key = $7) AS previous,
       e.id, e.relationship, e.institution_code, e.restricted,
       EXISTS (SELECT 1 FROM visit_blocked_date d WHERE d.institution_code = e.institution_code AND d.blocked_on = $5::date) AS blocked,
       (SELECT b.capacity - (SELECT count(*) FROM visit_booking v
                              WHERE v.batch_id = b.id AND v.visit_date = $5::date AND v.status IN ('pending', 'approved'))::int
                          - visit_holds_of_others(b.id, $5::date, $9, $7)
          FROM visit_batch b
         WHERE b.id = $6 AND b.institution_code = e.institution_code AND b.visit_kind = $4::text AND b.weekday = $8
           AND b.retired_at IS NULL) AS remaining,
       EXISTS (SELECT 1 FROM visit_booking_visitor v JOIN visit_booking b ON b.id = v.booking_id
                WHERE v.applicant_id = $1 AND v.active AND b.inmate_id = $2 AND b.visit_date = $5::date AND b.service = 'visit') AS booker_same_day,
       ARRAY(SELECT DISTINCT weekday FROM visit_batch WHERE institution_code = e.institution_code AND retired_at IS NULL) AS open_weekdays,
       to_char(i.lawyer_morning_start, 'HH24:MI') AS ms, to_char(i.lawyer_morning_end, 'HH24:MI') AS me,
       to_char(i.lawyer_afternoon_start, 'HH24:MI') AS fs, to_char(i.lawyer_afternoon_end, 'HH24:MI') AS fe
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (${ENTITLEMENT_SQL}) e ON true
  LEFT JOIN institution i ON i.code = e.institution_code`;

type PreChecked =
  | { kind: 'refused'; outcome: BookingOutcome }
  | { kind: 'ok'; ent: Entitlement; reason: string; companionIds: number[]; lawyerOnsite: boolean };

async function preCheck(pool: pg.Pool, input: BookingInput, now: Date): Promise<PreChecked> {
  const refused = (outcome: BookingOutcome): PreChecked => ({ kind: 'refused', outcome });
  const inWindow = inBookingWindow(input.date, now);
  const { rows } = await pool.query<PreCheckRow>(PRE_CHECK_SQL, [
    input.bookerId,
    input.inmateId,
    input.service,
    input.kind,
    inWindow ? input.date : null,
    Number.isSafeInteger(input.batchId) ? input.batchId : 0,
    input.submissionKey,
    inWindow ? isoWeekday(input.date) : 0,
    now,
  ]);
  const r = rows[0]!;
  if (r.previous) return refused(earlierBooking(input, r.previous));
  if (r.id === null) return refused({ kind: 'errors', errors: bookingErrors('notEligible') });
  const ent: Entitlement = {
    applicationId: Number(r.id),
    relationship: r.relationship!,
    institutionCode: r.institution_code!,
    restricted: r.restricted!,
  };
  if (ent.restricted) return refused({ kind: 'errors', errors: bookingErrors('inmateRestricted') });
  if (input.phone && !inScope(input.phone, ent.institutionCode))
    return refused({ kind: 'errors', errors: bookingErrors('outsideScope') });

  const lawyerOnsite = input.service === 'lawyer_visit' && input.kind === 'onsite';
  let slot: BookingErrorCode | null = null;
  if (!inWindow) slot = 'outsideWindow';
  else if (r.blocked) slot = 'blockedDate';
  else if (lawyerOnsite) {
    const windows = { morning: { start: r.ms!, end: r.me! }, afternoon: { start: r.fs!, end: r.fe! } };
    if (!r.open_weekdays.includes(isoWeekday(input.date))) slot = 'closedDay';
    else if (!input.arrivalTime || !isTime(input.arrivalTime)) slot = 'arrivalRequired';
    else if (!insideLawyerWindows(windows, input.arrivalTime)) slot = 'outsideLawyerWindow';
  } else if (r.remaining === null) slot = 'noSuchBatch';
  else if (r.remaining <= 0) slot = 'full';
  if (!slot && input.service === 'visit' && r.booker_same_day) slot = 'sameDay';

  let companions: BookingErrorCode | null = null;
  const companionIds = [...new Set(input.companionIds)];
  if (companionIds.length > MAX_COMPANIONS) companions = 'tooManyCompanions';
  else if (companionIds.length) {
    const allowed = new Set(
      (await eligibleCompanions(pool, input.bookerId, input.inmateId, input.kind, input.service)).map(
        (c) => c.applicantId,
      ),
    );
    if (companionIds.some((id) => !allowed.has(id))) companions = 'companionNotEligible';
    else if (
      input.service === 'visit' &&
      (await visitingThatDay(pool, companionIds, input.inmateId, input.date)).length
    )
      companions = 'companionSameDay';
  }

  const reason = input.reason.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  const reasonProblem: BookingErrorCode | null =
    !reason && reasonRequired(ent.relationship)
      ? 'reasonRequired'
      : [...reason].length > REASON_MAX
        ? 'reasonTooLong'
        : null;
  const problems = [slot, companions, reasonProblem].filter((c) => c !== null);
  if (problems.length) return refused({ kind: 'errors', errors: bookingErrors(...problems) });
  return { kind: 'ok', ent, reason, companionIds, lawyerOnsite };
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

/** The booking itself, once the pre-check passed: the database's rules decide from here. */
async function bookIn(
  tx: pg.PoolClient,
  input: BookingInput,
  checked: Extract<PreChecked, { kind: 'ok' }>,
  now: Date,
  stage: { at: Stage },
): Promise<BookingOutcome> {
  const { ent, reason, companionIds, lawyerOnsite } = checked;
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
  // The other visitors (positions 2, 3, …; the booker is 1) and the history's first line, in one statement.
  await tx.query(
    `WITH companions AS (
       INSERT INTO visit_booking_visitor (booking_id, applicant_id, position)
       SELECT $1, c.id, (c.n + 1)::int FROM unnest($2::bigint[]) WITH ORDINALITY AS c(id, n))
     INSERT INTO visit_booking_event (booking_id, action, staff_id, applicant_id, at) VALUES ($1, 'booked', $3, $4, $5)`,
    [bookingId, companionIds, input.phone?.staffId ?? null, input.phone ? null : input.bookerId, now],
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
  await notifyBooking(tx, bookingId, 'booked');
  return { kind: 'booked', bookingId, number };
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
