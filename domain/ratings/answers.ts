import type { Db } from '../platform/db.ts';
import type { Kiosk } from '../kiosks.ts';
import { hashToken, newToken } from '../platform/tokens.ts';

/**
 * 即時評價 (seed 004): one question, five choices and an optional comment, answered once per event: a
 * decided application (its page or the link in its decision mail), a visit that has ended (the booking's
 * page or the link in its approval mail, per visitor) and a kiosk session (no person at all). A mailed
 * link carries a random token of which only the hash is stored; the first answer counts and every later
 * one is told it was already received.
 */
export const CHOICES = [5, 4, 3, 2, 1] as const;
export type Choice = (typeof CHOICES)[number];
export const COMMENT_MAX = 500;
export type RatingEvent = 'decision' | 'visit' | 'kiosk_session';
export type Answer = { choice: Choice; comment: string | null };
export type RateOutcome = 'saved' | 'already' | 'not_yet' | 'not_found';

/** The form's fields as an answer, or what is wrong with them. */
export function readAnswer(choice: unknown, comment: unknown): Answer | 'choice' | 'comment' {
  const n = Number(choice);
  if (typeof choice !== 'string' || !(CHOICES as readonly number[]).includes(n)) return 'choice';
  const text = typeof comment === 'string' ? comment.replace(/\r\n?/g, '\n').trim() : '';
  if ([...text].length > COMMENT_MAX) return 'comment';
  return { choice: n as Choice, comment: text || null };
}

const DECIDED = `a.status IN ('approved', 'auto_approved', 'rejected')`;
const VISIT_ENDED = `b.status = 'approved' AND upper(b.during) <= $NOW`;
const now$ = (sql: string, n: number) => sql.replace('$NOW', `$${n}`);

/** Whether the applicant has rated their decided application: null when it is not theirs or not decided. */
export async function applicationRating(
  db: Db,
  applicantId: number,
  number: string,
): Promise<{ answered: boolean } | null> {
  const { rows } = await db.query<{ answered: boolean }>(
    `SELECT r.answered_at IS NOT NULL AS answered FROM service_application a
       LEFT JOIN rating r ON r.application_id = a.id
      WHERE a.number = $1 AND a.applicant_id = $2 AND ${DECIDED}`,
    [number, applicantId],
  );
  return rows[0] ? { answered: Boolean(rows[0].answered) } : null;
}

/** Whether this visitor has rated the visit: null unless they are one of its visitors and it is over. */
export async function visitRating(
  db: Db,
  applicantId: number,
  bookingId: number,
  now: Date,
): Promise<{ answered: boolean } | null> {
  const { rows } = await db.query<{ answered: boolean }>(
    `SELECT r.answered_at IS NOT NULL AS answered FROM visit_booking b
       JOIN visit_booking_visitor v ON v.booking_id = b.id AND v.applicant_id = $2
       LEFT JOIN rating r ON r.booking_id = b.id AND r.applicant_id = $2
      WHERE b.id = $1 AND ${now$(VISIT_ENDED, 3)}`,
    [bookingId, applicantId, now],
  );
  return rows[0] ? { answered: Boolean(rows[0].answered) } : null;
}

/** Answers for a decided application of the signed-in applicant, once. */
export async function rateApplication(
  db: Db,
  applicantId: number,
  number: string,
  a: Answer,
  now: Date,
): Promise<RateOutcome> {
  const { rows } = await db.query<{ id: number | null }>(
    `WITH app AS (SELECT id, service, institution_code FROM service_application a
                   WHERE a.number = $1 AND a.applicant_id = $2 AND ${DECIDED}),
          saved AS (
            INSERT INTO rating (event, service, institution_code, application_id, offered_at, answer, comment, answered_at)
            SELECT 'decision', service, institution_code, id, $5, $3, $4, $5 FROM app
            ON CONFLICT (application_id) WHERE application_id IS NOT NULL
            DO UPDATE SET answer = excluded.answer, comment = excluded.comment, answered_at = excluded.answered_at
             WHERE rating.answered_at IS NULL
            RETURNING id)
     SELECT (SELECT id FROM saved) AS id FROM app`,
    [number, applicantId, a.choice, a.comment, now],
  );
  return !rows[0] ? 'not_found' : rows[0].id === null ? 'already' : 'saved';
}

/** Answers for a visit that has ended, by one of its visitors, once per visitor. */
export async function rateVisit(
  db: Db,
  applicantId: number,
  bookingId: number,
  a: Answer,
  now: Date,
): Promise<RateOutcome> {
  const { rows } = await db.query<{ id: number | null; ended: boolean }>(
    `WITH b AS (SELECT b.id, b.service, b.institution_code, b.status = 'approved' AND upper(b.during) <= $5 AS ended
                  FROM visit_booking b JOIN visit_booking_visitor v ON v.booking_id = b.id AND v.applicant_id = $2
                 WHERE b.id = $1),
          saved AS (
            INSERT INTO rating (event, service, institution_code, booking_id, applicant_id, offered_at, answer, comment, answered_at)
            SELECT 'visit', service, institution_code, id, $2, $5, $3, $4, $5 FROM b WHERE ended
            ON CONFLICT (booking_id, applicant_id) WHERE booking_id IS NOT NULL
            DO UPDATE SET answer = excluded.answer, comment = excluded.comment, answered_at = excluded.answered_at
             WHERE rating.answered_at IS NULL
            RETURNING id)
     SELECT (SELECT id FROM saved) AS id, ended FROM b`,
    [bookingId, applicantId, a.choice, a.comment, now],
  );
  const r = rows[0];
  return !r ? 'not_found' : !r.ended ? 'not_yet' : r.id === null ? 'already' : 'saved';
}

/**
 * The token for a decision mail's link, in the transaction that decides: the event is made (or, not yet
 * answered, given a new token: the latest mail's link is the one that works). Null once answered.
 */
export async function decisionToken(tx: Db, applicationId: number, now: Date): Promise<string | null> {
  const { token, hash } = newToken();
  const { rowCount } = await tx.query(
    `INSERT INTO rating (event, service, institution_code, application_id, token_hash, offered_at)
     SELECT 'decision', service, institution_code, id, $2, $3 FROM service_application WHERE id = $1
     ON CONFLICT (application_id) WHERE application_id IS NOT NULL
     DO UPDATE SET token_hash = excluded.token_hash WHERE rating.answered_at IS NULL`,
    [applicationId, hash, now],
  );
  return rowCount ? token : null;
}

/** The token for one visitor's link in the approval mail ("after your visit"). Null once answered. */
export async function visitToken(tx: Db, bookingId: number, applicantId: number, now: Date): Promise<string | null> {
  const { token, hash } = newToken();
  const { rowCount } = await tx.query(
    `INSERT INTO rating (event, service, institution_code, booking_id, applicant_id, token_hash, offered_at)
     SELECT 'visit', service, institution_code, id, $2, $3, $4 FROM visit_booking WHERE id = $1
     ON CONFLICT (booking_id, applicant_id) WHERE booking_id IS NOT NULL
     DO UPDATE SET token_hash = excluded.token_hash WHERE rating.answered_at IS NULL`,
    [bookingId, applicantId, hash, now],
  );
  return rowCount ? token : null;
}

/** The page a mailed rating link opens. */
export const ratingLink = (publicUrl: string, token: string): string => `${publicUrl}/ratings/answer?token=${token}`;

export type TokenEvent = { event: RatingEvent; service: string; answered: boolean; notYet: boolean };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What a mailed link rates, for its page; null for an unknown token. */
export async function tokenEvent(db: Db, token: string, now: Date): Promise<TokenEvent | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const { rows } = await db.query<{ event: RatingEvent; service: string; answered: boolean; ended: boolean | null }>(
    `SELECT r.event, r.service, r.answered_at IS NOT NULL AS answered,
            b.status = 'approved' AND upper(b.during) <= $2 AS ended
       FROM rating r LEFT JOIN visit_booking b ON b.id = r.booking_id
      WHERE r.token_hash = $1`,
    [hashToken(token), now],
  );
  const r = rows[0];
  if (!r) return null;
  return { event: r.event, service: r.service, answered: r.answered, notYet: r.event === 'visit' && !r.ended };
}

/** Answers by a mailed link: no sign-in, once per event; a visit only once it has ended. */
export async function rateByToken(db: Db, token: string, a: Answer, now: Date): Promise<RateOutcome> {
  const found = await tokenEvent(db, token, now);
  if (!found) return 'not_found';
  if (found.notYet) return 'not_yet';
  const { rowCount } = await db.query(
    `UPDATE rating SET answer = $2, comment = $3, answered_at = $4 WHERE token_hash = $1 AND answered_at IS NULL`,
    [hashToken(token), a.choice, a.comment, now],
  );
  return rowCount ? 'saved' : 'already';
}

/**
 * The end of a session on an enrolled kiosk, for the kiosk's own institution: nobody is known, so each answer
 * is its own event (the route limits them per address).
 */
export async function rateKioskSession(db: Db, kiosk: Kiosk, a: Answer, now: Date): Promise<RateOutcome> {
  const { rowCount } = await db.query(
    `INSERT INTO rating (event, service, institution_code, offered_at, answer, comment, answered_at)
     SELECT 'kiosk_session', 'kiosk', code, $2, $3, $4, $2 FROM institution WHERE code = $1`,
    [kiosk.institutionCode, now, a.choice, a.comment],
  );
  return rowCount ? 'saved' : 'not_found';
}
