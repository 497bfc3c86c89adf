import { randomUUID } from 'node:crypto';
import { isUuid } from '../shared/ids.ts';
import type pg from 'pg';
import type { Db } from '../platform/db.ts';
import { ISO_DATE_RE, isTime } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { VISIT_KINDS, type VisitKind } from '../applications/vocabulary.ts';
import {
  bookingOptions,
  eligibleCompanions,
  slotChoices,
  type BookingOption,
  type SlotChoices,
} from './availability.ts';
import { bookVisit } from './booking.ts';
import { heldUntilTime, holdPlace, releaseHold } from './holds.ts';
import { listTimetable } from './timetable.ts';
import {
  BOOKING_ERRORS,
  MAX_COMPANIONS,
  REASON_MAX,
  reasonRequired,
  WIZARD_STEPS,
  type BookingErrorCode,
  type WizardStep,
} from './vocabulary.ts';

/**
 * The booking wizard's step machine (線上預約接見, seed 003): the answers so far (kept in the session
 * by the route), which step is still unanswered, what each answer resets, and the confirmation. A
 * refusal at confirmation is kept with the step it belongs to, so the person fixes that one step.
 */

export type Wizard = {
  key: string;
  kind?: VisitKind;
  /** `${service}:${inmateId}` */
  option?: string;
  companions?: number[];
  date?: string;
  batchId?: number;
  arrival?: string;
  reason?: string;
  /** the place held for this wizard (its key) while booking: the batch and date, until (ISO) */
  held?: { batchId: number; date: string; until: string };
  /** a problem found at confirmation, shown on the step it belongs to */
  problem?: { step: WizardStep; code: WizardProblemCode };
};

/**
 * A mobile visit's video link is sent by text message once approved (and by mail): the booker needs a
 * mobile number (PRODUCT: "mobile (required for mobile visits)"). Asked at the first step, and again at
 * confirmation, as the number can be removed from the profile meanwhile.
 */
export type WizardProblemCode = BookingErrorCode | 'mobileRequired';
const needsMobile = (kind: string | undefined, booker: { mobile: string | null }) =>
  kind === 'mobile' && !booker.mobile;

/** A fresh wizard with its one-time key (the same key books once). */
export function newWizard(): Wizard {
  return { key: randomUUID() };
}

export const optionValue = (o: BookingOption): string => `${o.service}:${o.inmateId}`;

export type WizardState = {
  w: Wizard;
  options: BookingOption[];
  kinds: VisitKind[];
  option: BookingOption | null;
  lawyerOnsite: boolean;
  /** the first step still unanswered, or null when the booking can be confirmed */
  missing: WizardStep | null;
};

/** The applicant's options, the one chosen, and the first step still unanswered. */
export async function wizardState(db: Db, applicantId: number, w: Wizard, locale: Locale): Promise<WizardState> {
  const options = await bookingOptions(db, applicantId, locale);
  const kinds = VISIT_KINDS.filter((k) => options.some((o) => o.kinds.includes(k)));
  const option = options.find((o) => optionValue(o) === w.option && w.kind && o.kinds.includes(w.kind)) ?? null;
  const lawyerOnsite = option?.service === 'lawyer_visit' && w.kind === 'onsite';
  // A choice made earlier that is no longer open (the inmate restricted, a service withdrawn): say so.
  if (w.option && w.kind && !option && !w.problem) {
    w.problem = { step: kinds.includes(w.kind) ? 'inmate' : 'kind', code: 'notEligible' };
    w.option = undefined;
  }
  let missing: WizardStep | null = null;
  if (!w.kind || !kinds.includes(w.kind)) missing = 'kind';
  else if (!option) missing = 'inmate';
  else if (w.companions === undefined) missing = 'companions';
  else if (!w.date || (lawyerOnsite ? !w.arrival : !w.batchId)) missing = 'slot';
  else if (reasonRequired(option.relationship) && !w.reason) missing = 'reason';
  return { w, options, kinds, option, lawyerOnsite, missing };
}

/** Whether an earlier step is still unanswered (the person is sent there first). */
export function unansweredBefore(step: WizardStep, missing: WizardStep | null): boolean {
  return missing !== null && WIZARD_STEPS.indexOf(missing) < WIZARD_STEPS.indexOf(step);
}

/** The problem kept for this step's page, taken (shown once), with the field that shows it. */
export function takeProblem(
  w: Wizard,
  step: WizardStep,
): { field: 'slot' | 'companions' | 'reason' | 'form'; code: WizardProblemCode } | null {
  const problem = w.problem?.step === step ? w.problem : null;
  if (!problem) return null;
  delete w.problem;
  const field = step === 'slot' || step === 'companions' || step === 'reason' ? step : 'form';
  return { field, code: problem.code };
}

const clearSlot = (w: Wizard) => Object.assign(w, { date: undefined, batchId: undefined, arrival: undefined });

// ---- 1 接見類型 ----
export function chooseKind(
  s: WizardState,
  value: string,
  booker: { mobile: string | null },
): 'kindRequired' | 'mobileRequired' | null {
  const kind = value as VisitKind;
  if (!s.kinds.includes(kind)) return 'kindRequired';
  if (needsMobile(kind, booker)) return 'mobileRequired';
  if (s.w.kind !== kind) Object.assign(clearSlot(s.w), { kind, option: undefined, companions: undefined });
  return null;
}

// ---- 2 接見對象 ----
export const inmateChoices = (s: WizardState): BookingOption[] => s.options.filter((o) => o.kinds.includes(s.w.kind!));

export function chooseInmate(s: WizardState, value: string): 'inmateRequired' | null {
  if (!inmateChoices(s).some((o) => optionValue(o) === value)) return 'inmateRequired';
  if (s.w.option !== value) Object.assign(clearSlot(s.w), { option: value, companions: undefined, reason: undefined });
  return null;
}

// ---- 3 其他接見人 ----
export function companionChoices(db: Db, applicantId: number, s: WizardState) {
  return eligibleCompanions(db, applicantId, s.option!.inmateId, s.w.kind!, s.option!.service);
}

/** The companions chosen among those offered; more than MAX_COMPANIONS is refused and nothing is kept. */
export function chooseCompanions(
  s: WizardState,
  offered: { applicantId: number }[],
  ids: (number | null)[],
): { chosen: number[]; problem: 'tooManyCompanions' | null } {
  const chosen = [...new Set(ids)].filter((id): id is number => offered.some((c) => c.applicantId === id));
  if (chosen.length > MAX_COMPANIONS) return { chosen, problem: 'tooManyCompanions' };
  // Other visitors change who must be free at a time: a time chosen before is checked again.
  if (String(s.w.companions ?? []) !== String(chosen)) clearSlot(s.w);
  s.w.companions = chosen;
  return { chosen, problem: null };
}

// ---- 4 預約時段挑選 ----
export function wizardSlots(db: Db, applicantId: number, s: WizardState, now: Date): Promise<SlotChoices> {
  return slotChoices(
    db,
    {
      applicantId,
      inmateId: s.option!.inmateId,
      kind: s.w.kind!,
      service: s.option!.service,
      companionIds: s.w.companions,
      holdKey: s.w.key,
    },
    now,
  );
}

/** The chosen time as the slot page's form shows it. */
export function slotValue(s: WizardState): Record<string, string> {
  return s.lawyerOnsite
    ? { date: s.w.date ?? '', arrival: s.w.arrival ?? '' }
    : { slot: s.w.date && s.w.batchId ? `${s.w.date}|${s.w.batchId}` : '' };
}

export type SlotProblems = Partial<
  Record<'date' | 'arrival', 'dateRequired' | 'closedDay' | 'blockedDate' | 'arrivalRequired'>
> & {
  slot?: 'slotRequired' | 'slotTaken';
};

/** A time among those offered: a lawyer's date and arrival time, or a cell of the grid (`date|batchId`). */
export function chooseSlot(
  s: WizardState,
  offered: SlotChoices,
  form: { date: string; arrival: string; slot: string },
): SlotProblems {
  if (offered.lawyer) {
    const problems: SlotProblems = {};
    const dates = offered.arrival?.dates.filter((x) => !x.blocked).map((x) => x.date) ?? [];
    // A date sent that the page did not offer: say why when it is a day the institution is closed.
    if (offered.arrival?.closedDays.includes(form.date)) problems.date = 'closedDay';
    else if (offered.arrival?.dates.some((x) => x.blocked && x.date === form.date)) problems.date = 'blockedDate';
    else if (!ISO_DATE_RE.test(form.date) || !dates.includes(form.date)) problems.date = 'dateRequired';
    if (!isTime(form.arrival) || !(offered.arrival?.times ?? []).includes(form.arrival))
      problems.arrival = 'arrivalRequired';
    if (!Object.keys(problems).length)
      Object.assign(s.w, { date: form.date, arrival: form.arrival, batchId: undefined });
    return problems;
  }
  const [date, batch] = form.slot.split('|');
  const grid = offered.grid;
  const ok = grid?.rows.some((row) =>
    row.cells.some((c, i) => c && c.batchId === Number(batch) && grid.dates[i]!.date === date),
  );
  if (!ok) return { slot: grid?.full.includes(form.slot) ? 'slotTaken' : 'slotRequired' };
  Object.assign(s.w, { date, batchId: Number(batch), arrival: undefined });
  return {};
}

/**
 * The cell chosen is held for this wizard (one hold per wizard: an earlier one moves here). When the
 * last place went to someone else in the meantime, the choice is undone and 'slotTaken' said.
 */
export async function holdChosenSlot(
  pool: pg.Pool,
  applicantId: number,
  s: WizardState,
  now: Date,
): Promise<'slotTaken' | null> {
  // No hold for a lawyer's arrival time: only an earlier hold (another kind chosen before) is given back.
  if (s.lawyerOnsite || !s.w.batchId || !s.w.date) {
    await releaseStaleHold(pool, s.w);
    return null;
  }
  const outcome = await holdPlace(pool, { key: s.w.key, applicantId, batchId: s.w.batchId, date: s.w.date }, now);
  if (outcome.kind === 'taken') {
    clearSlot(s.w);
    await releaseStaleHold(pool, s.w);
    return 'slotTaken';
  }
  s.w.held = { batchId: s.w.batchId, date: s.w.date, until: outcome.until.toISOString() };
  return null;
}

/** Gives back the wizard's hold when its time is no longer the one chosen (another step reset it). */
export async function releaseStaleHold(db: Db, w: Wizard): Promise<void> {
  if (w.held && (w.held.batchId !== w.batchId || w.held.date !== w.date)) {
    await releaseHold(db, w.key);
    delete w.held;
  }
}

/** 取消: the wizard is given up and its hold released. */
export async function abandonWizard(db: Db, w: Wizard | undefined): Promise<void> {
  if (w?.held) await releaseHold(db, w.key);
}

/** Until when the place is held (HH:MM, Taipei), or 'expired'; null when nothing is held. */
export function holdState(w: Wizard, now: Date): { until: string; live: boolean } | null {
  if (!w.held || w.held.batchId !== w.batchId || w.held.date !== w.date) return null;
  const until = new Date(w.held.until);
  return { until: heldUntilTime(until), live: until > now };
}

/** After the time: the reason when the relationship needs one, else the confirmation. */
export const stepAfterSlot = (s: WizardState): WizardStep =>
  reasonRequired(s.option!.relationship) ? 'reason' : 'confirm';

// ---- 5 相當理由 ----
export function giveReason(
  s: WizardState,
  raw: unknown,
): { value: string; problem: 'reasonRequired' | 'reasonTooLongMax' | null } {
  const value = typeof raw === 'string' ? raw.slice(0, 5000) : '';
  const trimmed = value.trim();
  if (!trimmed) return { value, problem: 'reasonRequired' };
  if ([...trimmed].length > REASON_MAX) return { value, problem: 'reasonTooLongMax' };
  s.w.reason = trimmed;
  return { value, problem: null };
}

// ---- 6 確認預約接見資訊 ----
/** The batch the wizard's answers name (none for a lawyer's on-site visit, which gives a time). */
export async function wizardBatch(db: Db, s: WizardState) {
  if (s.lawyerOnsite || !s.option) return null;
  return (await listTimetable(db, s.option.institutionCode)).find((b) => b.id === s.w.batchId) ?? null;
}

/** What the confirmation page lists besides the answers: the companions chosen and the batch. */
export async function wizardSummary(db: Db, applicantId: number, s: WizardState) {
  const companions = await companionChoices(db, applicantId, s);
  const batch = await wizardBatch(db, s);
  return {
    companions: (s.w.companions ?? []).map((id) => companions.find((c) => c.applicantId === id)).filter(Boolean),
    batch,
  };
}

export type ConfirmOutcome =
  | { kind: 'booked'; bookingId: number }
  /** this form was already used for a booking: it gets a new key, keeping nothing secret */
  | { kind: 'formUsed' }
  /** everything else is kept; the person fixes the one step (for a full batch: back to the grid) */
  | { kind: 'fix'; step: WizardStep };

/**
 * The booking a confirmation form already made: the form carries its wizard's key, the booking keeps it
 * as its submission key. A second press of 確認 (or the form sent again from another tab after the
 * wizard was finished) is sent to the booking it made, not to an empty first step.
 */
export async function bookingMadeBy(db: Db, bookerId: number, key: unknown): Promise<number | null> {
  if (!isUuid(key)) return null;
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM visit_booking WHERE submission_key = $1 AND booker_id = $2',
    [key, bookerId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** 確認: books what the wizard holds. */
export async function confirmWizard(
  pool: pg.Pool,
  booker: { id: number; mobile: string | null },
  s: WizardState,
  now: Date,
): Promise<ConfirmOutcome> {
  if (needsMobile(s.w.kind, booker)) {
    s.w.problem = { step: 'kind', code: 'mobileRequired' };
    return { kind: 'fix', step: 'kind' };
  }
  const applicantId = booker.id;
  const outcome = await bookVisit(
    pool,
    {
      submissionKey: s.w.key,
      bookerId: applicantId,
      inmateId: s.option!.inmateId,
      service: s.option!.service,
      kind: s.w.kind!,
      date: s.w.date!,
      batchId: s.lawyerOnsite ? null : s.w.batchId!,
      arrivalTime: s.lawyerOnsite ? s.w.arrival! : null,
      companionIds: s.w.companions ?? [],
      reason: reasonRequired(s.option!.relationship) ? (s.w.reason ?? '') : '',
    },
    now,
  );
  // The booking replaced the hold (migrations/021_visit_holds.sql).
  if (outcome.kind === 'booked') return { kind: 'booked', bookingId: outcome.bookingId };
  const code = Object.values(outcome.errors)[0]!;
  if (code === 'formUsed') {
    s.w.key = randomUUID();
    return { kind: 'formUsed' };
  }
  const { step } = BOOKING_ERRORS[code];
  s.w.problem = { step, code };
  if (step === 'slot') {
    clearSlot(s.w);
    await releaseStaleHold(pool, s.w);
  }
  return { kind: 'fix', step };
}
