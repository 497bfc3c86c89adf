import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields } from './forms.ts';
import { clientAddress, limiter } from './middleware/rate-limits.ts';
import { checkBirthday } from '../domain/applicants/registration.ts';
import { type FieldErrors } from '../domain/applicants/vocabulary.ts';
import { publicProgress } from '../domain/applications/status.ts';
import { FEEDBACK_NUMBER_RE, lookupFeedback } from '../domain/feedback.ts';

// GET  /progress   申辦進度查詢: application number + the applicant's birthday (seed 004)
// POST /progress   shows the status and dates only
// POST /progress/feedback   意見信箱: case number + the secret shown with it or the reply address
type Field = 'number' | 'birthday';

export function progressRoutes(d: RouteDeps): Router {
  const r = Router();
  // Number and birthday (or case number and secret) together are hard to guess; the limits keep them so.
  // Each try is counted as it arrives (a burst cannot slip past), and given back when it found what it
  // asked for or was refused as malformed: only misses use an address's allowance, so a waiting room's
  // kiosk or a carrier's shared address is not locked out by the families' own lookups.
  const limit = limiter(d.pool, 'progress-address', d.limits.progressPerAddress, clientAddress);
  const feedbackLimit = limiter(d.pool, 'feedback-lookup-address', d.limits.progressPerAddress, clientAddress);
  const FIELDS = ['number', 'birthYear', 'birthMonth', 'birthDay'] as const;

  r.get('/progress', (_req, res) =>
    res.render('public/progress', { values: {}, errorList: [], fieldErrors: {}, result: undefined }),
  );

  r.post('/progress', limit, async (req, res) => {
    const values = formFields(req, FIELDS);
    const errors: FieldErrors<Field> = {};
    if (!/^\s*\d{8}-[0-9A-Za-z]{6}\s*$/.test(values.number.normalize('NFKC'))) errors.number = 'error.progress.number';
    const birthday = checkBirthday(values.birthYear, values.birthMonth, values.birthDay, d.clock());
    if (birthday.error) errors.birthday = birthday.error;
    if (Object.keys(errors).length) {
      await limit.giveBack(req);
      return res.status(422).render('public/progress', {
        values,
        result: undefined,
        ...errorView(res.locals.t, errors, ['number', 'birthday'], { birthday: 'birthYear' }),
      });
    }
    const result = await publicProgress(d.pool, values.number, birthday.value!);
    if (result) await limit.giveBack(req);
    res.render('public/progress', { values, result, errorList: [], fieldErrors: {} });
  });

  r.post('/progress/feedback', feedbackLimit, async (req, res) => {
    const values = formFields(req, ['feedbackNumber', 'feedbackKey'] as const);
    const errors: FieldErrors<'feedbackNumber' | 'feedbackKey'> = {};
    if (!FEEDBACK_NUMBER_RE.test(values.feedbackNumber.normalize('NFKC').trim().toUpperCase()))
      errors.feedbackNumber = 'feedback.error.lookupNumber';
    if (!values.feedbackKey.trim()) errors.feedbackKey = 'feedback.error.lookupKey';
    if (Object.keys(errors).length) {
      await feedbackLimit.giveBack(req);
      return res.status(422).render('public/progress', {
        values,
        result: undefined,
        ...errorView(res.locals.t, errors, ['feedbackNumber', 'feedbackKey']),
      });
    }
    const feedback = await lookupFeedback(d.pool, values.feedbackNumber, values.feedbackKey, req.locale);
    if (feedback) await feedbackLimit.giveBack(req);
    res.set('Cache-Control', 'no-store');
    res.render('public/progress', { values, result: undefined, feedback, errorList: [], fieldErrors: {} });
  });
  return r;
}
