import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { errorView, type FieldMessage } from './forms.ts';
import { parseId } from '../domain/shared/ids.ts';
import { cancelBooking, leaveBooking } from '../domain/bookings/changes.ts';
import { listApplicantBookings } from '../domain/bookings/records.ts';
import {
  LAWYER_BANDS,
  MAX_COMPANIONS,
  REASON_MAX,
  WIZARD_STEPS,
  type WizardStep,
} from '../domain/bookings/vocabulary.ts';
import {
  abandonWizard,
  bookingMadeBy,
  chooseCompanions,
  chooseInmate,
  chooseKind,
  chooseSlot,
  companionChoices,
  confirmWizard,
  giveReason,
  holdChosenSlot,
  holdState,
  inmateChoices,
  newWizard,
  optionValue,
  releaseStaleHold,
  slotValue,
  stepAfterSlot,
  takeProblem,
  unansweredBefore,
  wizardSlots,
  wizardState,
  wizardSummary,
  wizardBatch,
  type Wizard,
  type WizardState,
} from '../domain/bookings/wizard.ts';
import { visitWhen } from '../domain/mails.ts';
import { visitRating } from '../domain/ratings/answers.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';

// The booking wizard (線上預約接見, seed 003): one page per step, each a plain form that works without
// JavaScript; answers are kept in the session, so 上一步 and a refused confirmation lose nothing. The
// steps, what each answer resets and the confirmation are domain/bookings/wizard.ts.
// GET  /bookings                        線上預約接見查詢: bookings as booker or other visitor
// GET  /bookings/new                    starts a new booking (asks first while a place is held for one in progress)
// POST /bookings/new                    gives up the one in progress and starts a new booking
// GET|POST /bookings/new/kind           1 接見類型
// GET|POST /bookings/new/inmate         2 接見對象 (inmate and relationship)
// GET|POST /bookings/new/companions     3 其他接見人 (up to two)
// GET|POST /bookings/new/slot           4 預約時段挑選 (a week grid of batches; lawyers on site: date and arrival time)
// GET|POST /bookings/new/reason         5 相當理由 (only when the relationship needs one)
// GET|POST /bookings/new/confirm        6 確認預約接見資訊
// POST /bookings/new/cancel             gives the wizard up, releasing the place held for it
// GET  /bookings/:id                    one booking (its visitors only)
// GET|POST /bookings/:id/cancel         the booker cancels, until the day before
// GET|POST /bookings/:id/leave          another visitor withdraws, until the day before

declare module 'express-session' {
  interface SessionData {
    bookingWizard?: Wizard;
    /** A one-off notice for the bookings list, with its parameters. */
    bookingNotice?: { key: MessageKey; params?: Record<string, string> };
  }
}

const errorKey = (code: string) => `booking.error.${code}` as MessageKey;

export function bookingRoutes(d: RouteDeps): Router {
  const r = Router();
  const me = (req: Request) => req.user!.applicant;
  const wizardOf = (req: Request): Wizard => (req.session.bookingWizard ??= newWizard());
  const stateOf = (req: Request) => wizardState(d.pool, me(req).id, wizardOf(req), req.locale);

  /** Runs a step's handler once every earlier step is answered; otherwise sends the person there. */
  const step =
    (name: WizardStep, handle: (req: Request, res: Response, s: WizardState) => Promise<unknown> | unknown) =>
    async (req: Request, res: Response) => {
      const s = await stateOf(req);
      if (unansweredBefore(name, s.missing)) return res.redirect(303, `/bookings/new/${s.missing}`);
      await handle(req, res, s);
    };

  const render = (
    req: Request,
    res: Response,
    step: WizardStep,
    data: object,
    errors: Record<string, FieldMessage> = {},
  ) => {
    // A problem found at confirmation is shown once, on its own step.
    const problem = takeProblem(wizardOf(req), step);
    if (problem) errors = { [problem.field]: errorKey(problem.code), ...errors };
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render(`bookings/${step}`, {
      step,
      steps: WIZARD_STEPS,
      stepNumber: WIZARD_STEPS.indexOf(step) + 1,
      ...data,
      ...errorView(
        res.locals.t,
        errors,
        ['form', 'kind', 'option', 'companions', 'slot', 'date', 'arrival', 'reason'],
        { kind: 'kind-0', option: 'option-0', companions: 'companions-0', slot: 'slot-grid', date: 'date-0' },
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

  const startAgain = async (req: Request, res: Response) => {
    await abandonWizard(d.pool, req.session.bookingWizard);
    req.session.bookingWizard = newWizard();
    res.redirect(303, '/bookings/new/kind');
  };
  // 預約接見 starts a new booking. While one is in progress (a step answered, a place perhaps held), it
  // asks first: a click on the menu (or a link from another site) must not throw away the family's
  // answers or give their place away unasked.
  r.get('/bookings/new', requireApplicant, async (req, res) => {
    const w = req.session.bookingWizard;
    if (!w?.kind) return startAgain(req, res);
    const held = holdState(w, d.clock());
    const hold = held?.live ? held : null;
    const s = await stateOf(req);
    // Which booking it is: the visit, whom and when, as the confirmation says them.
    const batch = s.w.date ? await wizardBatch(d.pool, s) : null;
    const startsAt = s.lawyerOnsite ? s.w.arrival : batch?.startsAt;
    res.render('bookings/resume', {
      hold,
      continueTo: `/bookings/new/${s.missing ?? 'confirm'}`,
      kind: s.w.kind,
      option: s.option,
      when:
        s.w.date && startsAt
          ? visitWhen({
              locale: req.locale,
              date: s.w.date,
              lawyerArrival: s.lawyerOnsite,
              startsAt,
              endsAt: batch?.endsAt ?? '',
            })
          : null,
    });
  });
  r.post('/bookings/new', requireApplicant, startAgain);

  // 取消: the place chosen (held for 10 minutes) is given back at once.
  r.post('/bookings/new/cancel', requireApplicant, async (req, res) => {
    await abandonWizard(d.pool, req.session.bookingWizard);
    delete req.session.bookingWizard;
    req.session.bookingNotice = { key: 'booking.notice.wizardCancelled' };
    res.redirect(303, '/bookings');
  });

  // ---- 1 接見類型 ----
  const kindData = (req: Request, s: WizardState, value: string) => ({
    kinds: s.kinds,
    value,
    // A mobile visit needs the booker's mobile number: said beside the choice, with where to add it.
    mobileMissing: !me(req).mobile,
    hasLawyer: s.options.some((o) => o.service === 'lawyer_visit'),
  });
  r.get('/bookings/new/kind', requireApplicant, async (req, res) => {
    const s = await stateOf(req);
    render(req, res, 'kind', kindData(req, s, s.w.kind ?? (s.kinds.length === 1 ? s.kinds[0]! : '')));
  });
  r.post('/bookings/new/kind', requireApplicant, async (req, res) => {
    const s = await stateOf(req);
    const value = String(req.body?.kind ?? '');
    const problem = chooseKind(s, value, me(req));
    if (problem) return render(req, res, 'kind', kindData(req, s, ''), { kind: errorKey(problem) });
    await releaseStaleHold(d.pool, s.w);
    res.redirect(303, '/bookings/new/inmate');
  });

  // ---- 2 接見對象 ----
  r.get(
    '/bookings/new/inmate',
    requireApplicant,
    step('inmate', (req, res, s) => {
      const choices = inmateChoices(s);
      const value = s.w.option ?? (choices.length === 1 ? optionValue(choices[0]!) : '');
      render(req, res, 'inmate', { choices, kind: s.w.kind, value });
    }),
  );
  r.post(
    '/bookings/new/inmate',
    requireApplicant,
    step('inmate', async (req, res, s) => {
      const problem = chooseInmate(s, String(req.body?.option ?? ''));
      if (problem)
        return render(
          req,
          res,
          'inmate',
          { choices: inmateChoices(s), kind: s.w.kind, value: '' },
          { option: errorKey(problem) },
        );
      await releaseStaleHold(d.pool, s.w);
      res.redirect(303, '/bookings/new/companions');
    }),
  );

  // ---- 3 其他接見人 ----
  r.get(
    '/bookings/new/companions',
    requireApplicant,
    step('companions', async (req, res, s) => {
      const companions = await companionChoices(d.pool, me(req).id, s);
      render(req, res, 'companions', {
        companions,
        chosen: s.w.companions ?? [],
        max: MAX_COMPANIONS,
        option: s.option,
      });
    }),
  );
  r.post(
    '/bookings/new/companions',
    requireApplicant,
    step('companions', async (req, res, s) => {
      const companions = await companionChoices(d.pool, me(req).id, s);
      const ids = ([] as unknown[]).concat(req.body?.companion ?? []).map(parseId);
      const { chosen, problem } = chooseCompanions(s, companions, ids);
      if (problem)
        return render(
          req,
          res,
          'companions',
          { companions, chosen, max: MAX_COMPANIONS, option: s.option },
          { companions: { key: errorKey(problem), params: { max: MAX_COMPANIONS } } },
        );
      await releaseStaleHold(d.pool, s.w);
      res.redirect(303, '/bookings/new/slot');
    }),
  );

  // ---- 4 預約時段挑選 ----
  const slotPage = async (req: Request, s: WizardState) => ({
    ...(await wizardSlots(d.pool, me(req).id, s, d.clock())),
    bands: LAWYER_BANDS,
    option: s.option,
    kind: s.w.kind,
    when: whenOf(req),
  });
  r.get(
    '/bookings/new/slot',
    requireApplicant,
    step('slot', async (req, res, s) => render(req, res, 'slot', { ...(await slotPage(req, s)), value: slotValue(s) })),
  );
  r.post(
    '/bookings/new/slot',
    requireApplicant,
    step('slot', async (req, res, s) => {
      const page = await slotPage(req, s);
      const form = {
        date: String(req.body?.date ?? ''),
        arrival: String(req.body?.arrival ?? ''),
        slot: String(req.body?.slot ?? ''),
      };
      const problems = chooseSlot(s, page, form);
      if (!Object.keys(problems).length) {
        // The place chosen is held for 10 minutes; the last one may have just gone to someone else.
        const taken = await holdChosenSlot(d.pool, me(req).id, s, d.clock());
        if (taken)
          return render(
            req,
            res,
            'slot',
            { ...(await slotPage(req, s)), value: { slot: '' } },
            { slot: errorKey(taken) },
          );
      }
      if (Object.keys(problems).length) {
        const errors = Object.fromEntries(Object.entries(problems).map(([k, code]) => [k, errorKey(code)]));
        const value = page.lawyer ? { date: form.date, arrival: form.arrival } : { slot: '' };
        return render(req, res, 'slot', { ...page, value }, errors);
      }
      res.redirect(303, `/bookings/new/${stepAfterSlot(s)}`);
    }),
  );

  // ---- 5 相當理由 ----
  r.get(
    '/bookings/new/reason',
    requireApplicant,
    step('reason', (req, res, s) => {
      if (stepAfterSlot(s) !== 'reason') return res.redirect(303, '/bookings/new/confirm');
      render(req, res, 'reason', { value: s.w.reason ?? '', max: REASON_MAX, option: s.option });
    }),
  );
  r.post(
    '/bookings/new/reason',
    requireApplicant,
    step('reason', (req, res, s) => {
      const { value, problem } = giveReason(s, req.body?.reason);
      if (problem)
        return render(
          req,
          res,
          'reason',
          { value, max: REASON_MAX, option: s.option },
          {
            reason:
              problem === 'reasonTooLongMax'
                ? { key: errorKey(problem), params: { max: REASON_MAX } }
                : errorKey(problem),
          },
        );
      res.redirect(303, '/bookings/new/confirm');
    }),
  );

  // ---- 6 確認預約接見資訊 ----
  const confirmData = async (req: Request, s: WizardState) => {
    const { companions, batch } = await wizardSummary(d.pool, me(req).id, s);
    return {
      w: s.w,
      option: s.option,
      applicantName: me(req).name,
      reasonNeeded: stepAfterSlot(s) === 'reason',
      companions,
      when: visitWhen({
        locale: req.locale,
        date: s.w.date!,
        lawyerArrival: s.lawyerOnsite,
        startsAt: s.lawyerOnsite ? s.w.arrival! : (batch?.startsAt ?? ''),
        endsAt: batch?.endsAt ?? '',
      }),
      ordinal: batch?.ordinal ?? null,
      hold: holdState(s.w, d.clock()),
    };
  };
  r.get(
    '/bookings/new/confirm',
    requireApplicant,
    step('confirm', async (req, res, s) => render(req, res, 'confirm', await confirmData(req, s))),
  );
  r.post(
    '/bookings/new/confirm',
    requireApplicant,
    async (req, res, next) => {
      // This form booked already (a second press, or sent again after the wizard was done): its booking.
      if (req.body?.key === req.session.bookingWizard?.key) return next();
      const made = await bookingMadeBy(d.pool, me(req).id, req.body?.key);
      if (made === null) return next();
      res.redirect(303, `/bookings/${made}?booked=1`);
    },
    step('confirm', async (req, res, s) => {
      const outcome = await confirmWizard(d.pool, me(req), s, d.clock());
      if (outcome.kind === 'booked') {
        delete req.session.bookingWizard;
        return res.redirect(303, `/bookings/${outcome.bookingId}?booked=1`);
      }
      if (outcome.kind === 'formUsed')
        return render(req, res, 'confirm', await confirmData(req, s), { form: errorKey('formUsed') });
      res.redirect(303, `/bookings/new/${outcome.step}`);
    }),
  );

  // ---- one booking, and cancelling it ----
  const ownBooking = async (req: Request) => {
    const id = parseId(req.params.id);
    return (await listApplicantBookings(d.pool, me(req).id, d.clock(), req.locale)).find((b) => b.id === id) ?? null;
  };

  r.get('/bookings/:id', requireApplicant, async (req, res, next) => {
    const booking = await ownBooking(req);
    if (!booking) return next();
    res.render('bookings/show', {
      booking,
      justBooked: req.query.booked === '1',
      when: whenOf(req),
      videoUrl: d.config.videoServiceUrl,
      // 即時評價: once the visit is over, each visitor may rate it (once)
      rating: await visitRating(d.pool, me(req).id, booking.id, d.clock()),
    });
  });

  // The booker may cancel; another visitor, named by the booker, may withdraw (the booking stays for the others).
  for (const action of ['cancel', 'leave'] as const) {
    r.get(`/bookings/:id/${action}`, requireApplicant, async (req, res, next) => {
      const booking = await ownBooking(req);
      if (!booking) return next();
      if (!(action === 'cancel' ? booking.canCancel : booking.canLeave))
        return res.redirect(303, `/bookings/${booking.id}`);
      res.render('bookings/cancel', { booking, when: whenOf(req), action });
    });
  }

  r.post('/bookings/:id/leave', requireApplicant, async (req, res, next) => {
    const id = parseId(req.params.id);
    const outcome = id === null ? 'not_found' : await leaveBooking(d.pool, me(req).id, id, d.clock());
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
    const id = parseId(req.params.id);
    const outcome = id === null ? 'not_found' : await cancelBooking(d.pool, me(req).id, id, d.clock());
    if (outcome === 'not_found') {
      // A companion may see the booking but not cancel it; anyone else sees nothing.
      return (await ownBooking(req)) ? res.status(403).render('errors/generic', { status: 403 }) : next();
    }
    req.session.bookingNotice = {
      key:
        // A second press of 取消預約 (or a stale page) finds it cancelled: it is, as asked.
        outcome === 'cancelled' || outcome === 'already_cancelled'
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
