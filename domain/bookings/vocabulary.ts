import { FAMILY_RELATIONSHIPS, type Relationship } from '../applications/vocabulary.ts';

/**
 * Visit booking (預約接見, seed 003; lawyers and staff, seed 002). The rules that must never break
 * (capacity, nobody in two visits at once, the 2–7 day window, blocked dates, approved visitors, the
 * reason) are enforced by migrations/006_visit_bookings.sql; the checks here come first only to
 * name the problem, and a refusal by the database is turned into the same codes.
 */

export type BookingService = 'visit' | 'lawyer_visit';
export type BookingStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export const BOOKING_STATUSES: readonly BookingStatus[] = ['pending', 'approved', 'rejected', 'cancelled'];
export const BOOKING_SERVICES: readonly BookingService[] = ['visit', 'lawyer_visit'];
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
  ...FAMILY_RELATIONSHIPS.filter((r) => r !== 'agency_worker'),
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

/** A batch's length in minutes (mobile batches take none: parameter A applies) and its places. */
export const BATCH_MINUTES = { min: 5, max: 240 } as const;
export const BATCH_PLACES = { min: 1, max: 500 } as const;
/** The same bounds as migration 006's CHECKs, named so the form and the domain say them once. */
export const isBatchLength = (n: number | null): n is number =>
  Number.isInteger(n) && n! >= BATCH_MINUTES.min && n! <= BATCH_MINUTES.max;
export const isBatchCapacity = (n: number): boolean =>
  Number.isInteger(n) && n >= BATCH_PLACES.min && n <= BATCH_PLACES.max;
/** Why a date is closed, as staff write it. */
export const CLOSED_REASON_MAX = 200;
/** A staff decision's or cancellation's reason as the domain keeps it. */
export const DECISION_REASON_MAX = 1000;
/** What staff write to visitors (rejection, cancellation) on the back office forms; the domain allows more. */
export const STAFF_REASON_MAX = 500;
/** At most this many bookings decided by one press: above the largest real selection (300 rows), under the edge's 1000 fields. */
export const BULK_MAX = 500;

/** The booking wizard's steps, one page each (線上預約接見). */
export const WIZARD_STEPS = ['kind', 'inmate', 'companions', 'slot', 'reason', 'confirm'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export type BookingErrorCode =
  | 'notEligible'
  | 'inmateRestricted'
  | 'outsideScope'
  | 'outsideWindow'
  | 'blockedDate'
  | 'closedDay'
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

/**
 * Where each refusal belongs, written once: the part of the booking it is about (the key it has in
 * BookingErrors) and the wizard step whose page shows it, with the rest of the wizard kept.
 */
export const BOOKING_ERRORS: Readonly<Record<BookingErrorCode, { field: BookingField; step: WizardStep }>> = {
  notEligible: { field: 'kind', step: 'kind' },
  inmateRestricted: { field: 'inmate', step: 'inmate' },
  outsideScope: { field: 'form', step: 'inmate' },
  outsideWindow: { field: 'slot', step: 'slot' },
  blockedDate: { field: 'slot', step: 'slot' },
  closedDay: { field: 'slot', step: 'slot' },
  noSuchBatch: { field: 'slot', step: 'slot' },
  full: { field: 'slot', step: 'slot' },
  arrivalRequired: { field: 'slot', step: 'slot' },
  outsideLawyerWindow: { field: 'slot', step: 'slot' },
  bookerBusy: { field: 'slot', step: 'slot' },
  inmateBusy: { field: 'slot', step: 'slot' },
  sameDay: { field: 'slot', step: 'slot' },
  tooManyCompanions: { field: 'companions', step: 'companions' },
  companionNotEligible: { field: 'companions', step: 'companions' },
  companionBusy: { field: 'companions', step: 'companions' },
  companionSameDay: { field: 'companions', step: 'companions' },
  reasonRequired: { field: 'reason', step: 'reason' },
  reasonTooLong: { field: 'reason', step: 'reason' },
  formUsed: { field: 'form', step: 'confirm' },
};

/** The refusals as BookingErrors, each under its field. */
export function bookingErrors(...codes: BookingErrorCode[]): BookingErrors {
  const errors: BookingErrors = {};
  for (const code of codes) errors[BOOKING_ERRORS[code].field] = code;
  return errors;
}

/** The fields of the back office's phone booking form (one form for what the wizard asks in steps). */
export type PhoneFormField = 'form' | 'choice' | 'slot' | 'date' | 'arrival' | 'companions' | 'reason';

/** Where the phone booking form shows a refusal: a lawyer's on-site visit has a date and a time, not a grid. */
export function phoneFormField(code: BookingErrorCode, lawyerOnsite: boolean): PhoneFormField {
  const { field } = BOOKING_ERRORS[code];
  if (field === 'kind' || field === 'inmate') return 'choice';
  if (field === 'slot' && lawyerOnsite)
    return ['outsideWindow', 'blockedDate', 'closedDay'].includes(code) ? 'date' : 'arrival';
  return field;
}
