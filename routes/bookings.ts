import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './deps.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { errorView, type FieldMessage } from './forms.ts';
import { VISIT_KINDS, type VisitKind } from '../domain/applications/vocabulary.ts';
import {
  bookableGrid,
  bookingOptions,
  bookVisit,
  cancelBooking,
  eligibleCompanions,
  LAWYER_BANDS,
  lawyerArrivalOptions,
  lawyerBandCounts,
  leaveBooking,
  listApplicantBookings,
  listTimetable,
  MAX_COMPANIONS,
  REASON_MAX,
  reasonRequired,
  type BookingErrorCode,
  type BookingOption,
  type BookingService,
} from '../domain/visit-bookings.ts';
import { visitWhen } from '../domain/mails.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';

// The booking wizard (線上預約接見, seed 003): one page per step, each a plain form that works without
// JavaScript; answers are kept in the session, so 上一步 and a refused confirmation lose nothing.
// GET  /bookings                        線上預約接見查詢: bookings as booker or other visitor
// GET  /bookings/new                    starts a new booking
// GET|POST /bookings/new/kind           1 接見類型
// GET|POST /bookings/new/inmate         2 接見對象 (inmate and relationship)
// GET|POST /bookings/new/companions     3 其他接見人 (up to two)
// GET|POST /bookings/new/slot           4 預約時段挑選 (a week grid of batches; lawyers on site: date and arrival time)
// GET|POST /bookings/new/reason         5 相當理由 (only when the relationship needs one)
// GET|POST /bookings/new/confirm        6 確認預約接見資訊
// GET  /bookings/:id                    one booking (its visitors only)
// GET|POST /bookings/:id/cancel         the booker cancels, until the day before
// GET|POST /bookings/:id/leave          another visitor withdraws, until the day before
const STEPS = ['kind', 'inmate', 'companions', 'slot', 'reason', 'confirm'] as const;
type Step = (typeof STEPS)[number];

type Wizard = {
  key: string;
  kind?: VisitKind;
  /** `${service}:${inmateId}` */
  option?: string;
  companions?: number[];
  date?: string;
  batchId?: number;
  arrival?: string;
  reason?: string;
  /** a problem found at confirmation, shown on the step it belongs to */
  problem?: { step: Step; code: BookingErrorCode };
};

declare module 'express-session' {
  interface SessionData {
    bookingWizard?: Wizard;
    /** A one-off notice for the bookings list, with its parameters. */
    bookingNotice?: { key: MessageKey; params?: Record<string, string> };
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Which step's page shows a problem found when confirming. */
const STEP_OF: Record<BookingErrorCode, Step> = {
  notEligible: 'kind',
  inmateRestricted: 'inmate',
  outsideScope: 'inmate',
  outsideWindow: 'slot',
  blockedDate: 'slot',
  noSuchBatch: 'slot',
  full: 'slot',
  arrivalRequired: 'slot',
  outsideLawyerWindow: 'slot',
  bookerBusy: 'slot',
  inmateBusy: 'slot',
  sameDay: 'slot',
  tooManyCompanions: 'companions',
  companionNotEligible: 'companions',
  companionBusy: 'companions',
  companionSameDay: 'companions',
  reasonRequired: 'reason',
  reasonTooLong: 'reason',
  formUsed: 'confirm',
};

export function bookingRoutes(d: RouteDeps): Router {
  const r = Router();
  const me = (req: Request) => req.user!.applicant;
  const wizardOf = (req: Request): Wizard => (req.session.bookingWizard ??= { key: randomUUID() });

  /** The applicant's options, the one chosen, and the first step still unanswered. */
  async function stateOf(req: Request) {
    const w = wizardOf(req);
    const options = await bookingOptions(d.pool, me(req).id, req.locale);
    const kinds = VISIT_KINDS.filter((k) => options.some((o) => o.kinds.includes(k)));
    const option =
      options.find((o) => `${o.service}:${o.inmateId}` === w.option && w.kind && o.kinds.includes(w.kind)) ?? null;
    const lawyerOnsite = option?.service === 'lawyer_visit' && w.kind === 'onsite';
    // A choice made earlier that is no longer open (the inmate restricted, a service withdrawn): say so.
    if (w.option && w.kind && !option && !w.problem) {
      w.problem = { step: kinds.includes(w.kind) ? 'inmate' : 'kind', code: 'notEligible' };
      w.option = undefined;
    }
    let missing: Step | null = null;
    if (!w.kind || !kinds.includes(w.kind)) missing = 'kind';
    else if (!option) missing = 'inmate';
    else if (w.companions === undefined) missing = 'companions';
    else if (!w.date || (lawyerOnsite ? !w.arrival : !w.batchId)) missing = 'slot';
    else if (reasonRequired(option.relationship) && !w.reason) missing = 'reason';
    return { w, options, kinds, option, lawyerOnsite, missing };
  }

  /** Sends the person back to the first unanswered step before `step`, if any. */
  const before = (step: Step, missing: Step | null) => missing !== null && STEPS.indexOf(missing) < STEPS.indexOf(step);

  const render = (
    req: Request,
    res: Response,
    step: Step,
    data: object,
    errors: Record<string, FieldMessage> = {},
    status?: number,
  ) => {
    const w = wizardOf(req);
    // A problem found at confirmation is shown once, on its own step.
    const problem = w.problem?.step === step ? w.problem : null;
    if (problem) {
      delete w.problem;
      errors = {
        [step === 'slot' ? 'slot' : step === 'companions' ? 'companions' : step === 'reason' ? 'reason' : 'form']:
          `booking.error.${problem.code}` as MessageKey,
        ...errors,
      };
    }
    const hasErrors = Object.keys(errors).length > 0;
    res.status(status ?? (hasErrors ? 422 : 200)).render(`bookings/${step}`, {
      step,
      steps: STEPS,
      stepNumber: STEPS.indexOf(step) + 1,
      ...data,
      ...errorView(
        res.locals.t,
        errors,
        ['form', 'kind', 'option', 'companions', 'slot', 'date', 'arrival', 'reason'],
        {
          kind: 'kind-0',
          option: 'option-0',
          companions: 'companions-0',
          slot: 'slot-grid',
          date: 'date-0',
        },
      ),
    });
  };

  r.get('/bookings', requireApplicant, async (req, res) => {
    const notice = req.session.bookingNotice ?? null;
    delete req.session.bookingNotice;
    res.render('bookings/list', {
      bookings: await listApplicantBookings(d.pool, me(req).id, d.clock(), req.locale),
      notice,
      when: whenOf(req),
    });
  });

  r.get('/bookings/new', requireApplicant, (req, res) => {
    req.session.bookingWizard = { key: randomUUID() };
    res.redirect(303, '/bookings/new/kind');
  });

  // ---- 1 接見類型 ----
  r.get('/bookings/new/kind', requireApplicant, async (req, res) => {
    const { w, kinds, options } = await stateOf(req);
    render(req, res, 'kind', {
      kinds,
      value: w.kind ?? (kinds.length === 1 ? kinds[0] : ''),
      hasLawyer: options.some((o) => o.service === 'lawyer_visit'),
    });
  });
  r.post('/bookings/new/kind', requireApplicant, async (req, res) => {
    const { w, kinds, options } = await stateOf(req);
    const kind = String(req.body?.kind ?? '') as VisitKind;
    if (!kinds.includes(kind))
      return render(
        req,
        res,
        'kind',
        { kinds, value: '', hasLawyer: options.some((o) => o.service === 'lawyer_visit') },
        { kind: 'booking.error.kindRequired' },
      );
    if (w.kind !== kind)
      Object.assign(w, {
        kind,
        option: undefined,
        companions: undefined,
        date: undefined,
        batchId: undefined,
        arrival: undefined,
      });
    res.redirect(303, '/bookings/new/inmate');
  });

  // ---- 2 接見對象 ----
  const inmateChoices = (options: BookingOption[], kind: VisitKind) => options.filter((o) => o.kinds.includes(kind));
  r.get('/bookings/new/inmate', requireApplicant, async (req, res) => {
    const { w, options, missing } = await stateOf(req);
    if (before('inmate', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const choices = inmateChoices(options, w.kind!);
    render(req, res, 'inmate', {
      choices,
      kind: w.kind,
      value: w.option ?? (choices.length === 1 ? `${choices[0]!.service}:${choices[0]!.inmateId}` : ''),
    });
  });
  r.post('/bookings/new/inmate', requireApplicant, async (req, res) => {
    const { w, options, missing } = await stateOf(req);
    if (before('inmate', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const choices = inmateChoices(options, w.kind!);
    const value = String(req.body?.option ?? '');
    if (!choices.some((o) => `${o.service}:${o.inmateId}` === value))
      return render(
        req,
        res,
        'inmate',
        { choices, kind: w.kind, value: '' },
        { option: 'booking.error.inmateRequired' },
      );
    if (w.option !== value)
      Object.assign(w, {
        option: value,
        companions: undefined,
        date: undefined,
        batchId: undefined,
        arrival: undefined,
        reason: undefined,
      });
    res.redirect(303, '/bookings/new/companions');
  });

  // ---- 3 其他接見人 ----
  r.get('/bookings/new/companions', requireApplicant, async (req, res) => {
    const { w, option, missing } = await stateOf(req);
    if (before('companions', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const companions = await eligibleCompanions(d.pool, me(req).id, option!.inmateId, w.kind!, option!.service);
    render(req, res, 'companions', { companions, chosen: w.companions ?? [], max: MAX_COMPANIONS, option });
  });
  r.post('/bookings/new/companions', requireApplicant, async (req, res) => {
    const { w, option, missing } = await stateOf(req);
    if (before('companions', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const companions = await eligibleCompanions(d.pool, me(req).id, option!.inmateId, w.kind!, option!.service);
    const chosen = [...new Set(([] as unknown[]).concat(req.body?.companion ?? []).map(Number))].filter((id) =>
      companions.some((c) => c.applicantId === id),
    );
    if (chosen.length > MAX_COMPANIONS) {
      return render(
        req,
        res,
        'companions',
        { companions, chosen, max: MAX_COMPANIONS, option },
        { companions: { key: 'booking.error.tooManyCompanions', params: { max: MAX_COMPANIONS } } },
      );
    }
    // Other visitors change who must be free at a time: a time chosen before is checked again.
    if (String(w.companions ?? []) !== String(chosen))
      Object.assign(w, { date: undefined, batchId: undefined, arrival: undefined });
    w.companions = chosen;
    res.redirect(303, '/bookings/new/slot');
  });

  // ---- 4 預約時段挑選 ----
  async function slotData(req: Request, w: Wizard, option: BookingOption, lawyerOnsite: boolean) {
    const now = d.clock();
    if (lawyerOnsite) {
      const arrival = await lawyerArrivalOptions(d.pool, { applicantId: me(req).id, inmateId: option.inmateId }, now);
      const counts = arrival
        ? await Promise.all(
            arrival.dates.map(async (x) => ({
              ...x,
              bands: await lawyerBandCounts(d.pool, arrival.institutionCode, x.date),
            })),
          )
        : [];
      return {
        lawyer: true,
        arrival,
        counts,
        bands: LAWYER_BANDS,
        value: { date: w.date ?? '', arrival: w.arrival ?? '' },
      };
    }
    const grid = await bookableGrid(
      d.pool,
      {
        applicantId: me(req).id,
        inmateId: option.inmateId,
        kind: w.kind!,
        service: option.service,
        companionIds: w.companions,
      },
      now,
    );
    return { lawyer: false, grid, value: { slot: w.date && w.batchId ? `${w.date}|${w.batchId}` : '' } };
  }
  r.get('/bookings/new/slot', requireApplicant, async (req, res) => {
    const { w, option, lawyerOnsite, missing } = await stateOf(req);
    if (before('slot', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    render(req, res, 'slot', {
      ...(await slotData(req, w, option!, lawyerOnsite)),
      option,
      kind: w.kind,
      when: whenOf(req),
    });
  });
  r.post('/bookings/new/slot', requireApplicant, async (req, res) => {
    const { w, option, lawyerOnsite, missing } = await stateOf(req);
    if (before('slot', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const data = await slotData(req, w, option!, lawyerOnsite);
    const again = (errors: Record<string, FieldMessage>, value: object) =>
      render(req, res, 'slot', { ...data, value, option, kind: w.kind, when: whenOf(req) }, errors);
    if (lawyerOnsite) {
      const date = String(req.body?.date ?? '');
      const arrival = String(req.body?.arrival ?? '');
      const errors: Record<string, FieldMessage> = {};
      const dates = data.arrival?.dates.filter((x) => !x.blocked).map((x) => x.date) ?? [];
      if (!DATE_RE.test(date) || !dates.includes(date)) errors.date = 'booking.error.dateRequired';
      if (!TIME_RE.test(arrival) || !(data.arrival?.times ?? []).includes(arrival))
        errors.arrival = 'booking.error.arrivalRequired';
      if (Object.keys(errors).length) return again(errors, { date, arrival });
      Object.assign(w, { date, arrival, batchId: undefined });
    } else {
      const [date, batch] = String(req.body?.slot ?? '').split('|');
      const offered = data.grid?.rows.some((row) =>
        row.cells.some((c, i) => c && c.batchId === Number(batch) && data.grid!.dates[i]!.date === date),
      );
      if (!offered) return again({ slot: 'booking.error.slotRequired' }, { slot: '' });
      Object.assign(w, { date, batchId: Number(batch), arrival: undefined });
    }
    res.redirect(303, reasonRequired(option!.relationship) ? '/bookings/new/reason' : '/bookings/new/confirm');
  });

  // ---- 5 相當理由 ----
  r.get('/bookings/new/reason', requireApplicant, async (req, res) => {
    const { w, option, missing } = await stateOf(req);
    if (before('reason', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    if (!reasonRequired(option!.relationship)) return res.redirect(303, '/bookings/new/confirm');
    render(req, res, 'reason', { value: w.reason ?? '', max: REASON_MAX, option });
  });
  r.post('/bookings/new/reason', requireApplicant, async (req, res) => {
    const { w, option, missing } = await stateOf(req);
    if (before('reason', missing)) return res.redirect(303, `/bookings/new/${missing}`);
    const value = typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 5000) : '';
    const trimmed = value.trim();
    if (!trimmed)
      return render(req, res, 'reason', { value, max: REASON_MAX, option }, { reason: 'booking.error.reasonRequired' });
    if ([...trimmed].length > REASON_MAX)
      return render(
        req,
        res,
        'reason',
        { value, max: REASON_MAX, option },
        { reason: { key: 'booking.error.reasonTooLongMax', params: { max: REASON_MAX } } },
      );
    w.reason = trimmed;
    res.redirect(303, '/bookings/new/confirm');
  });

  // ---- 6 確認預約接見資訊 ----
  const confirmData = async (req: Request, s: Awaited<ReturnType<typeof stateOf>>) => {
    const companions = await eligibleCompanions(d.pool, me(req).id, s.option!.inmateId, s.w.kind!, s.option!.service);
    const batch = s.lawyerOnsite
      ? null
      : ((await listTimetable(d.pool, s.option!.institutionCode)).find((b) => b.id === s.w.batchId) ?? null);
    return {
      w: s.w,
      option: s.option,
      applicantName: me(req).name,
      reasonNeeded: reasonRequired(s.option!.relationship),
      companions: (s.w.companions ?? []).map((id) => companions.find((c) => c.applicantId === id)).filter(Boolean),
      when: visitWhen({
        locale: req.locale,
        date: s.w.date!,
        lawyerArrival: s.lawyerOnsite,
        startsAt: s.lawyerOnsite ? s.w.arrival! : (batch?.startsAt ?? ''),
        endsAt: batch?.endsAt ?? '',
      }),
      ordinal: batch?.ordinal ?? null,
    };
  };
  r.get('/bookings/new/confirm', requireApplicant, async (req, res) => {
    const s = await stateOf(req);
    if (s.missing) return res.redirect(303, `/bookings/new/${s.missing}`);
    render(req, res, 'confirm', await confirmData(req, s));
  });
  r.post('/bookings/new/confirm', requireApplicant, async (req, res) => {
    const s = await stateOf(req);
    if (s.missing) return res.redirect(303, `/bookings/new/${s.missing}`);
    const outcome = await bookVisit(
      d.pool,
      {
        submissionKey: s.w.key,
        bookerId: me(req).id,
        inmateId: s.option!.inmateId,
        service: s.option!.service as BookingService,
        kind: s.w.kind!,
        date: s.w.date!,
        batchId: s.lawyerOnsite ? null : s.w.batchId!,
        arrivalTime: s.lawyerOnsite ? s.w.arrival! : null,
        companionIds: s.w.companions ?? [],
        reason: reasonRequired(s.option!.relationship) ? (s.w.reason ?? '') : '',
      },
      d.clock(),
    );
    if (outcome.kind === 'booked') {
      delete req.session.bookingWizard;
      return res.redirect(303, `/bookings/${outcome.bookingId}?booked=1`);
    }
    const code = Object.values(outcome.errors)[0]!;
    const step = STEP_OF[code];
    if (code === 'formUsed') {
      // This form was already used for a booking: start afresh, keeping nothing secret.
      s.w.key = randomUUID();
      return render(req, res, 'confirm', await confirmData(req, s), { form: `booking.error.${code}` as MessageKey });
    }
    // Everything else is kept; the person fixes the one step (for a full batch: back to the grid).
    s.w.problem = { step, code };
    if (step === 'slot') Object.assign(s.w, { date: undefined, batchId: undefined, arrival: undefined });
    res.redirect(303, `/bookings/new/${step}`);
  });

  // ---- one booking, and cancelling it ----
  const ownBooking = async (req: Request) =>
    (await listApplicantBookings(d.pool, me(req).id, d.clock(), req.locale)).find(
      (b) => b.id === Number(req.params.id),
    ) ?? null;

  r.get('/bookings/:id', requireApplicant, async (req, res, next) => {
    const booking = await ownBooking(req);
    if (!booking) return next();
    res.render('bookings/show', {
      booking,
      justBooked: req.query.booked === '1',
      when: whenOf(req),
      videoUrl: d.config.videoServiceUrl,
    });
  });

  r.get('/bookings/:id/cancel', requireApplicant, async (req, res, next) => {
    const booking = await ownBooking(req);
    if (!booking) return next();
    if (!booking.canCancel) return res.redirect(303, `/bookings/${booking.id}`);
    res.render('bookings/cancel', { booking, when: whenOf(req), action: 'cancel' });
  });

  // Another visitor, named by the booker, may withdraw (the booking stays for the others).
  r.get('/bookings/:id/leave', requireApplicant, async (req, res, next) => {
    const booking = await ownBooking(req);
    if (!booking) return next();
    if (!booking.canLeave) return res.redirect(303, `/bookings/${booking.id}`);
    res.render('bookings/cancel', { booking, when: whenOf(req), action: 'leave' });
  });

  r.post('/bookings/:id/leave', requireApplicant, async (req, res, next) => {
    const outcome = await leaveBooking(d.pool, me(req).id, Number(req.params.id), d.clock());
    if (outcome === 'not_found') return next();
    req.session.bookingNotice = {
      key:
        outcome === 'left' || outcome === 'already_left'
          ? 'booking.notice.left'
          : outcome === 'too_late'
            ? 'booking.notice.tooLateLeave'
            : 'booking.notice.notActive',
    };
    res.redirect(303, '/bookings');
  });

  r.post('/bookings/:id/cancel', requireApplicant, async (req, res, next) => {
    const outcome = await cancelBooking(d.pool, me(req).id, Number(req.params.id), d.clock());
    if (outcome === 'not_found') {
      // A companion may see the booking but not cancel it; anyone else sees nothing.
      return (await ownBooking(req)) ? res.status(403).render('errors/generic', { status: 403 }) : next();
    }
    req.session.bookingNotice = {
      key:
        outcome === 'cancelled'
          ? 'booking.notice.cancelled'
          : outcome === 'too_late'
            ? 'booking.notice.tooLate'
            : 'booking.notice.notActive',
    };
    res.redirect(303, '/bookings');
  });

  return r;
}

/** A booking's date and time as the views show it. */
function whenOf(req: Request) {
  return (b: { date: string; startsAt: string; endsAt: string; lawyerArrival: boolean }) =>
    visitWhen({ locale: req.locale, ...b });
}
