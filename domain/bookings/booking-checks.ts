import type { Db } from '../platform/db.ts';
import { isoWeekday, isTime } from '../shared/dates.ts';
import { isId } from '../shared/ids.ts';
import type { Locale } from '../shared/locale.ts';
import { inScope, type StaffActor } from '../shared/staff-actor.ts';
import type { VisitKind } from '../applications/vocabulary.ts';
import {
  ENTITLEMENT_SQL,
  bookableDates,
  eligibleCompanions,
  inBookingWindow,
  insideLawyerWindows,
  type Entitlement,
} from './availability.ts';
import type { NoticeBooking } from './notices.ts';
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
 * The booking's checks before it is written (booking.ts books): they only name the problem; the
 * database's rules (migrations/006_visit_bookings.sql and after) decide.
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

/** A form already used: its own booking for the same booker, refused for anyone else. */
export function earlierBooking(
  input: BookingInput,
  r: { id: number; number: string; bookerId: number },
): BookingOutcome {
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
  name_zh: string | null;
  name_en: string | null;
  inmate_name: string | null;
  starts_at: string | null;
  ends_at: string | null;
  people: { id: number; name: string; email: string; locale: Locale }[] | null;
};

/**
 * Everything the booking depends on, read at once: the form's earlier booking, the booker's approved
 * service for this visit (ENTITLEMENT_SQL: $1–$4), the date's closure, the batch's remaining places
 * (bookings and others' live holds at $9; this form's own hold is its place),
 * whether the booker already visits the inmate that day, the open weekdays and the lawyer windows; and
 * what the mails will say (the institution, the inmate, the batch's times and the visitors, $10).
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
       to_char(i.lawyer_afternoon_start, 'HH24:MI') AS fs, to_char(i.lawyer_afternoon_end, 'HH24:MI') AS fe,
       i.name_zh, i.name_en, (SELECT m.name FROM inmate m WHERE m.id = $2) AS inmate_name,
       to_char(t.starts_at, 'HH24:MI') AS starts_at,
       to_char(t.starts_at + make_interval(mins => coalesce(t.length_minutes, i.mobile_visit_minutes)), 'HH24:MI') AS ends_at,
       (SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'email', p.email, 'locale', p.locale))
          FROM applicant p WHERE p.id = ANY ($10::bigint[])) AS people
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (${ENTITLEMENT_SQL}) e ON true
  LEFT JOIN institution i ON i.code = e.institution_code
  LEFT JOIN visit_batch t ON t.id = $6`;

export type PreChecked =
  | { kind: 'refused'; outcome: BookingOutcome }
  | {
      kind: 'ok';
      ent: Entitlement;
      reason: string;
      companionIds: number[];
      lawyerOnsite: boolean;
      notice: Omit<NoticeBooking, 'number'>;
    };

/**
 * Readies one new connection for a rush of bookings (issue 14): the pre-check run six times with a
 * booking that matches nobody (no applicant, inmate or batch 0; a read, nothing is written). PostgreSQL
 * then has the catalogs of the tables it reads loaded and its plan settled (five custom plans, then the
 * generic one it keeps), which otherwise the connection's first bookings pay: about half of the 40 ms a
 * new connection costs in its first six bookings.
 */
export async function warmUpPreCheck(db: Db, now: Date): Promise<void> {
  const nobody: BookingInput = {
    submissionKey: '00000000-0000-4000-8000-000000000000',
    bookerId: 0,
    inmateId: 0,
    service: 'visit',
    kind: 'onsite',
    date: bookableDates(now)[0]!,
    batchId: 0,
    arrivalTime: null,
    companionIds: [],
    reason: '',
  };
  for (let i = 0; i < 6; i++) await preCheck(db, nobody, now);
}

export async function preCheck(db: Db, input: BookingInput, now: Date): Promise<PreChecked> {
  const refused = (outcome: BookingOutcome): PreChecked => ({ kind: 'refused', outcome });
  const inWindow = inBookingWindow(input.date, now);
  const companionIds = [...new Set(input.companionIds)];
  // Named, so each connection parses and plans it once (a third of its time when planned every call).
  const { rows } = await db.query<PreCheckRow>({
    name: 'visit_booking_pre_check',
    text: PRE_CHECK_SQL,
    values: [
      input.bookerId,
      input.inmateId,
      input.service,
      input.kind,
      inWindow ? input.date : null,
      Number.isSafeInteger(input.batchId) ? input.batchId : 0,
      input.submissionKey,
      inWindow ? isoWeekday(input.date) : 0,
      now,
      [input.bookerId, ...companionIds.slice(0, MAX_COMPANIONS)].filter((id) => isId(id)),
    ],
  });
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
  if (companionIds.length > MAX_COMPANIONS) companions = 'tooManyCompanions';
  else if (companionIds.length) {
    const allowed = new Set(
      (await eligibleCompanions(db, input.bookerId, input.inmateId, input.kind, input.service)).map(
        (c) => c.applicantId,
      ),
    );
    if (companionIds.some((id) => !allowed.has(id))) companions = 'companionNotEligible';
    else if (input.service === 'visit' && (await visitingThatDay(db, companionIds, input.inmateId, input.date)).length)
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
  // The mails' visitors in the order the booking numbers them: the booker 1, the others 2, 3.
  const people = new Map((r.people ?? []).map((p) => [Number(p.id), p]));
  const visitors = [input.bookerId, ...companionIds].map((id, i) => {
    const p = people.get(id)!;
    return { applicantId: id, position: i + 1, name: p.name, email: p.email, locale: p.locale };
  });
  const notice = {
    institutionCode: ent.institutionCode,
    institutionNameZh: r.name_zh!,
    institutionNameEn: r.name_en!,
    kind: input.kind,
    service: input.service,
    date: input.date,
    // A lawyer's on-site visit holds an hour from the arrival (visit_booking_rules); a batch, its times.
    startsAt: lawyerOnsite ? input.arrivalTime! : r.starts_at!,
    endsAt: lawyerOnsite ? hourAfter(input.arrivalTime!) : r.ends_at!,
    lawyerArrival: lawyerOnsite,
    inmateName: r.inmate_name!,
    visitors,
  };
  return { kind: 'ok', ent, reason, companionIds, lawyerOnsite, notice };
}

/** HH:MM an hour after HH:MM, on the clock (as PostgreSQL's time + interval). */
function hourAfter(time: string): string {
  const [h, m] = time.split(':').map(Number);
  return `${String((h! + 1) % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
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
