import type pg from 'pg';
import type { Db } from '../platform/db.ts';
import { isIsoDate, isTime } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import type { VisitKind } from '../applications/vocabulary.ts';
import { bookingOptions, eligibleCompanions, slotChoices, type BookingOption, type Companion } from './availability.ts';
import { bookVisit } from './booking.ts';
import { phoneFormField, type BookingErrorCode, type BookingService, type PhoneFormField } from './vocabulary.ts';

/**
 * 電話預約: staff book for a caller they identified (rosters.ts finds them) on one form, the wizard's
 * steps side by side: the inmate and kind, the time, other visitors and the reason. The booking itself
 * follows every rule of an online one and is marked as made by phone.
 */

/** One inmate and kind the caller may book, as the form's `choice` value `${inmateId}:${service}:${kind}`. */
export type PhoneChoice = { value: string; option: BookingOption; kind: VisitKind };

const CHOICE_RE = /^(\d{1,15}):(visit|lawyer_visit):(onsite|remote|mobile)$/;
const SLOT_RE = /^(\d{4}-\d{2}-\d{2})\|(\d{1,15})$/;

/** What the form offers the caller, within the staff member's scope, for the choice made (or the only one). */
export async function phoneBookingSheet(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  q: { applicantId: number; wanted: string },
  locale: Locale,
  now: Date,
) {
  assertMay(who, 'phone_bookings');
  const options = (await bookingOptions(db, q.applicantId, locale)).filter((o) => inScope(who, o.institutionCode));
  const choices: PhoneChoice[] = options.flatMap((o) =>
    o.kinds.map((kind) => ({ value: `${o.inmateId}:${o.service}:${kind}`, option: o, kind })),
  );
  const choice = choices.find((c) => c.value === q.wanted) ?? (choices.length === 1 ? choices[0]! : null);
  const lawyerOnsite = choice !== null && choice.option.service === 'lawyer_visit' && choice.kind === 'onsite';
  if (!choice) return { choices, choice, lawyerOnsite, grid: null, lawyer: null, bands: [], companions: [] };
  const { inmateId, service } = choice.option;
  const slots = await slotChoices(db, { applicantId: q.applicantId, inmateId, kind: choice.kind, service }, now);
  const companions: Companion[] = await eligibleCompanions(db, q.applicantId, inmateId, choice.kind, service);
  return {
    choices,
    choice,
    lawyerOnsite,
    grid: slots.lawyer ? null : slots.grid,
    lawyer: slots.lawyer ? slots.arrival : null,
    /** the counts per arrival band of each open date */
    bands: slots.lawyer ? slots.counts.filter((x) => !x.blocked).map((x) => ({ date: x.date, counts: x.bands })) : [],
    companions,
  };
}

export type PhoneForm = {
  choice: string;
  slot: string;
  date: string;
  arrival: string;
  reason: string;
  companionIds: number[];
  submissionKey: string;
};
export type PhoneFormProblem = 'choiceRequired' | 'dateRequired' | 'arrivalRequired' | 'slotRequired';

export type PhoneBookingOutcome =
  | { kind: 'booked'; bookingId: number; number: string }
  /** the form is incomplete: nothing was tried */
  | { kind: 'incomplete'; errors: Partial<Record<PhoneFormField, PhoneFormProblem>> }
  /** the booking was refused, each problem under the form field that shows it */
  | { kind: 'refused'; errors: Partial<Record<PhoneFormField, BookingErrorCode>> };

/** Books what the phone form holds for the caller, as the staff member. */
export async function bookByPhone(
  pool: pg.Pool,
  applicantId: number,
  f: PhoneForm,
  who: StaffActor,
  now: Date,
): Promise<PhoneBookingOutcome> {
  assertMay(who, 'phone_bookings');
  const m = CHOICE_RE.exec(f.choice);
  const errors: Partial<Record<PhoneFormField, PhoneFormProblem>> = {};
  if (!m) errors.choice = 'choiceRequired';
  const service = (m?.[2] ?? 'visit') as BookingService;
  const kind = (m?.[3] ?? 'onsite') as VisitKind;
  const lawyerOnsite = service === 'lawyer_visit' && kind === 'onsite';
  let date = '',
    batchId: number | null = null,
    arrivalTime: string | null = null;
  if (m && lawyerOnsite) {
    if (!isIsoDate(f.date)) errors.date = 'dateRequired';
    if (!isTime(f.arrival)) errors.arrival = 'arrivalRequired';
    date = f.date;
    arrivalTime = f.arrival;
  } else if (m) {
    const slot = SLOT_RE.exec(f.slot);
    if (!slot) errors.slot = 'slotRequired';
    date = slot?.[1] ?? '';
    batchId = slot ? Number(slot[2]) : null;
  }
  if (Object.keys(errors).length) return { kind: 'incomplete', errors };
  const outcome = await bookVisit(
    pool,
    {
      submissionKey: f.submissionKey,
      bookerId: applicantId,
      inmateId: Number(m![1]),
      service,
      kind,
      date,
      batchId,
      arrivalTime,
      companionIds: f.companionIds,
      reason: f.reason,
      phone: who,
    },
    now,
  );
  if (outcome.kind === 'booked') return outcome;
  const shown: Partial<Record<PhoneFormField, BookingErrorCode>> = {};
  for (const code of Object.values(outcome.errors)) shown[phoneFormField(code, lawyerOnsite)] = code;
  return { kind: 'refused', errors: shown };
}
