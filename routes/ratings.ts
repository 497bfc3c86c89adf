import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields } from './forms.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { clientAddress, limiter } from './middleware/rate-limits.ts';
import type { MessageKey, Translate } from '../domain/i18n/i18n.ts';
import { parseId } from '../domain/shared/ids.ts';
import {
  COMMENT_MAX,
  rateApplication,
  rateByToken,
  rateKioskSession,
  rateVisit,
  readAnswer,
  tokenEvent,
  type Answer,
  type RateOutcome,
  type RatingEvent,
} from '../domain/ratings/answers.ts';

// 即時評價 (seed 004, issue 13): one question, five choices, an optional comment; once per event.
// GET  /ratings/answer?token=…             a mailed link's page (no sign-in): the form, or why it takes none
// POST /ratings/answer                     the mailed link's answer (token in the body)
// POST /ratings/applications/:number       the signed-in applicant rates a decided application (its page offers it)
// POST /ratings/bookings/:id               a visitor rates a visit that has ended (the booking's page offers it)
// POST /ratings/kiosk                      the end of a kiosk session, on an enrolled kiosk only (its institution,
//                                          never one the form names): no person, limited per address

type Back = { href: string; label: MessageKey };
const STATE: Record<Exclude<RateOutcome, 'saved'>, string> = {
  already: 'already',
  not_yet: 'notYet',
  not_found: 'invalid',
};

export function ratingRoutes(d: RouteDeps): Router {
  const r = Router();
  const kioskLimit = limiter(d.pool, 'kiosk-rating', d.limits.kioskRatingsPerAddress, (req) => clientAddress(req));

  const result = (res: Response, state: string, back?: Back, status = 200) =>
    res.status(status).render('ratings/result', { state, back });

  /** The form again with what is wrong and what was written, or the outcome's page. */
  const answered = async (
    req: Request,
    res: Response,
    form: { event: RatingEvent; token?: string; number?: string; bookingId?: number },
    back: Back | undefined,
    save: (a: Answer) => Promise<RateOutcome>,
  ) => {
    const f = formFields(req, ['choice', 'comment']);
    const answer = readAnswer(f.choice, f.comment);
    if (typeof answer === 'string') {
      const t = res.locals.t as Translate;
      const problem =
        answer === 'choice'
          ? 'error.ratings.choice'
          : { key: 'error.ratings.comment' as const, params: { max: COMMENT_MAX } };
      return res.status(422).render('ratings/answer', {
        ...form,
        ratingComment: f.comment,
        ratingCommentMax: COMMENT_MAX,
        ...errorView(t, { [answer]: problem }, ['comment', 'choice'], {
          comment: 'rating-comment',
          choice: 'rating-choice',
        }),
      });
    }
    const outcome = await save(answer);
    if (outcome === 'saved') return result(res, 'thanks', back);
    return result(res, STATE[outcome], back, outcome === 'not_found' ? 404 : 409);
  };

  r.get('/ratings/answer', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const found = await tokenEvent(d.pool, token, d.clock());
    if (!found) return result(res, 'invalid', undefined, 404);
    if (found.answered) return result(res, 'already');
    if (found.notYet) return result(res, 'notYet');
    const t = res.locals.t as Translate;
    const serviceLabel =
      found.service === 'kiosk' ? t('ratings.service.kiosk') : t(`service.${found.service}` as MessageKey);
    res.render('ratings/answer', { event: found.event, token, serviceLabel, ratingCommentMax: COMMENT_MAX });
  });

  r.post('/ratings/answer', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const token = typeof req.body?.token === 'string' ? req.body.token.slice(0, 100) : '';
    const found = await tokenEvent(d.pool, token, d.clock());
    if (!found) return result(res, 'invalid', undefined, 404);
    await answered(req, res, { event: found.event, token }, undefined, (a) => rateByToken(d.pool, token, a, d.clock()));
  });

  r.post('/ratings/applications/:number', requireApplicant, async (req, res) => {
    const number = String(req.params.number).slice(0, 40);
    await answered(
      req,
      res,
      { event: 'decision', number },
      { href: `/applications/${encodeURIComponent(number)}`, label: 'ratings.backApplication' },
      (a) => rateApplication(d.pool, req.user!.applicant.id, number, a, d.clock()),
    );
  });

  r.post('/ratings/bookings/:id', requireApplicant, async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    await answered(
      req,
      res,
      { event: 'visit', bookingId: id },
      { href: `/bookings/${id}`, label: 'ratings.backBooking' },
      (a) => rateVisit(d.pool, req.user!.applicant.id, id, a, d.clock()),
    );
  });

  // Any other browser is not found: a kiosk's answers count for its own institution's satisfaction.
  const onKiosk = (req: Request, _res: Response, next: (route?: 'route') => void) =>
    next(req.kiosk ? undefined : 'route');
  r.post('/ratings/kiosk', onKiosk, kioskLimit, async (req, res) => {
    const kiosk = req.kiosk!;
    await answered(req, res, { event: 'kiosk_session' }, undefined, (a) =>
      rateKioskSession(d.pool, kiosk, a, d.clock()),
    );
  });

  return r;
}
