import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { clientAddress, limiter, type Limit } from './middleware/rate-limits.ts';
import { listFaq, listGuide } from '../domain/help.ts';
import {
  FEEDBACK_TOPICS,
  MESSAGE_MAX,
  NAME_MAX,
  newCaseNumber,
  submitFeedback,
  type FeedbackProblems,
} from '../domain/feedback.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { nameCharacterProblem } from '../domain/shared/names.ts';

// GET  /faq        常見問題集: published questions grouped by service (anchors: the group codes)
// GET  /guide      操作教學
// GET  /feedback   意見信箱: the form
// POST /feedback   stores it (rate-limited per address; a filled honeypot is thanked and dropped) and
//                  sends the browser on to the thank-you page (a reload there files nothing again)
// GET  /feedback/sent  the case number with its secret, for this session, within SENT_SHOWN_MINUTES and
//                      until the form is opened again

declare module 'express-session' {
  interface SessionData {
    /** The message just sent, for its thank-you page (the secret is shown nowhere else). */
    feedbackSent?: { number: string; secret: string; mailed: boolean; at: number };
  }
}

/** Messages per address: a waiting room shares one address, so a few a person, not a flood. */
export const FEEDBACK_PER_ADDRESS: Limit = [10, 60];
/** The honeypot: a field people never see; scripts fill it. */
export const HONEYPOT = 'website';
/** The form's value for a message to the agency (矯正署) itself. */
export const AGENCY = 'agency';
/**
 * How long the thank-you page can be shown again (a reload, the back button) before it sends to the form.
 * Short: the case's secret waits in the session meanwhile (the database keeps only its hash).
 */
const SENT_SHOWN_MINUTES = 15;
const FIELDS = ['topic', 'institution', 'message', 'name', 'email'] as const;

function messages(problems: FeedbackProblems, name: string): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (field === 'message' && problem === 'too_long')
      out.message = { key: 'feedback.error.messageTooLong', params: { max: MESSAGE_MAX } };
    else if (field === 'name' && problem === 'invalid') out.name = nameCharacterProblem(name.trim())!;
    else if (field === 'name') out.name = { key: 'feedback.error.nameTooLong', params: { max: NAME_MAX } };
    else out[field] = `feedback.error.${field as 'topic' | 'institution' | 'message' | 'email'}`;
  }
  return out;
}

export function helpRoutes(d: RouteDeps): Router {
  const r = Router();
  // Counted in PostgreSQL as it arrives, honeypot or not, like every limit (rate-limits.ts); keys are hashes.
  const limit = limiter(d.pool, 'feedback', FEEDBACK_PER_ADDRESS, (req) => clientAddress(req));

  r.get('/faq', async (req, res) => {
    res.render('help/faq', { groups: await listFaq(d.pool, req.locale) });
  });

  r.get('/guide', async (req, res) => {
    res.render('help/guide', { sections: await listGuide(d.pool, req.locale) });
  });

  const renderForm = async (
    req: Request,
    res: Response,
    values: Record<string, string>,
    errors: Record<string, FieldMessage> = {},
  ) => {
    res.status(Object.keys(errors).length ? 422 : 200).render('help/feedback', {
      values,
      topics: FEEDBACK_TOPICS,
      institutions: await listInstitutions(d.pool, req.locale),
      messageMax: MESSAGE_MAX,
      nameMax: NAME_MAX,
      honeypot: HONEYPOT,
      ...errorView(res.locals.t, errors, FIELDS, { topic: `topic-${FEEDBACK_TOPICS[0]}` }),
    });
  };

  r.get('/feedback', async (req, res) => {
    // A new message: the last one's thank-you page (and its secret) is not kept any longer.
    delete req.session.feedbackSent;
    const institution = typeof req.query.institution === 'string' ? req.query.institution : '';
    await renderForm(req, res, { topic: '', institution, message: '', name: '', email: '' });
  });

  r.post('/feedback', limit, async (req, res) => {
    const f = formFields(req, [...FIELDS, HONEYPOT]);
    const body = (req.body ?? {}) as Record<string, unknown>;
    // The message may be long: kept whole well past the limit, so "too long" is said rather than cut.
    const message = typeof body.message === 'string' ? body.message.slice(0, MESSAGE_MAX * 4) : '';
    const values = { ...f, message };
    const thank = (sent: { number: string; secret: string; mailed: boolean }) => {
      req.session.feedbackSent = { ...sent, at: d.clock().getTime() };
      res.redirect(303, '/feedback/sent');
    };
    // A script: thanked like anyone, nothing stored, nothing mailed.
    if (f[HONEYPOT] !== '') return thank({ ...newCaseNumber(d.clock()), mailed: values.email !== '' });
    const outcome = await submitFeedback(
      d.pool,
      {
        topic: f.topic,
        institutionCode: f.institution === AGENCY ? null : f.institution.trim() || 'none',
        message,
        name: f.name,
        email: f.email,
        locale: req.locale,
      },
      d.clock(),
    );
    if (outcome.kind === 'invalid') return renderForm(req, res, values, messages(outcome.problems, f.name));
    thank({ number: outcome.number, secret: outcome.secret, mailed: f.email.trim() !== '' });
  });

  r.get('/feedback/sent', (req, res) => {
    const sent = req.session.feedbackSent;
    if (!sent || d.clock().getTime() - sent.at > SENT_SHOWN_MINUTES * 60_000) {
      delete req.session.feedbackSent;
      return res.redirect(303, '/feedback');
    }
    res.set('Cache-Control', 'no-store');
    res.render('help/feedback-sent', { number: sent.number, secret: sent.secret, mailed: sent.mailed });
  });

  return r;
}
