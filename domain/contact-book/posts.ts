import type pg from 'pg';
import { type StoredPhoto, takePhotoDraft } from './photos.ts';
import { type PostingState, listRecipients, postingState } from './recipients.ts';
import {
  POST_TEXT_MAX,
  POST_TITLE_MAX,
  type PostField,
  type PostProblem,
  type PostStatus,
  countCharacters,
  normalizePostText,
} from './vocabulary.ts';
import { type Db, isCheckViolation, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { formatDate, taipeiToday } from '../shared/dates.ts';
import { isId } from '../shared/ids.ts';
import type { Locale } from '../shared/locale.ts';
import { maskName } from '../shared/masking.ts';
import { reasonIn } from '../shared/reasons.ts';

export type PostInput = {
  applicantId: number;
  applicationId: number;
  title: string;
  body: string;
  photo: StoredPhoto | null;
  submissionKey: string;
  /** What was wrong with the photo sent (checked before): nothing is saved, every other problem is said too. */
  photoProblem?: PostProblem;
};
export type PostOutcome =
  { kind: 'posted'; postId: number } | { kind: 'errors'; errors: Partial<Record<PostField, PostProblem>> };

/**
 * 發佈家庭聯絡簿: records a post as 待審核. The interval and the suspension are checked here for a
 * clear message, and again by the database (a trigger under a lock), which is what makes two posts
 * sent at the same moment end as exactly one.
 */
export async function submitPost(pool: pg.Pool, input: PostInput, now: Date): Promise<PostOutcome> {
  const outcome = await submitPostOnce(pool, input, now);
  if (outcome.kind === 'posted') return outcome;
  // A twin of this form (a double press) that got in first is the answer, not an interval error.
  const twin = await postOfForm(pool, input);
  return twin ? { kind: 'posted', postId: twin } : outcome;
}

/** A photo as its three columns (photo, photo_width, photo_height); nulls for none. */
function photoColumns(photo: { content: Buffer; width: number; height: number } | null) {
  return [photo?.content ?? null, photo?.width ?? null, photo?.height ?? null];
}

/** The post made with this form (its submission key), if any. */
async function postOfForm(db: Db, input: { submissionKey: string; applicantId: number }): Promise<number | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM contact_book_post WHERE submission_key = $1 AND applicant_id = $2',
    [input.submissionKey, input.applicantId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** A post sent or sent again: its history says so. */
async function posted(tx: Db, postId: number, action: 'submitted' | 'resubmitted', now: Date): Promise<PostOutcome> {
  await tx.query('INSERT INTO contact_book_event (post_id, action, at) VALUES ($1, $2, $3)', [postId, action, now]);
  return { kind: 'posted', postId };
}

async function submitPostOnce(pool: pg.Pool, input: PostInput, now: Date): Promise<PostOutcome> {
  const { title, body, errors } = checkPostText(input);
  if (input.photoProblem) errors.photo = input.photoProblem;
  try {
    return await withTransaction(pool, async (tx): Promise<PostOutcome> => {
      // The same form sent again (a double press, a resent page) is the post already made.
      const sent = await postOfForm(tx, input);
      if (sent) return { kind: 'posted', postId: sent };
      const recipient = (await listRecipients(tx, input.applicantId, 'zh-TW')).find(
        (r) => r.applicationId === input.applicationId,
      );
      if (!recipient) errors.recipient = { key: 'error.post.recipient' };
      else {
        const state = await postingState(tx, input.applicantId, recipient, now);
        const problem = stateProblem(state);
        if (problem) errors.form = problem;
      }
      if (Object.keys(errors).length || !recipient) return { kind: 'errors', errors };
      // The photo kept while the form was being filled becomes the post's, in the same transaction.
      const photo = input.photo ?? (await takePhotoDraft(tx, input.applicantId, input.submissionKey));
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, photo, photo_width, photo_height,
                                        posted_on, submitted_at, submission_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          recipient.applicationId,
          input.applicantId,
          recipient.inmateId,
          recipient.institutionCode,
          title,
          body,
          ...photoColumns(photo),
          taipeiToday(now),
          now,
          input.submissionKey,
        ],
      );
      return posted(tx, Number(rows[0]!.id), 'submitted', now);
    });
  } catch (err) {
    const refused = refusedByDatabase(err);
    if (refused) return { kind: 'errors', errors: { form: refused } };
    if (isUniqueViolation(err, 'contact_book_post_submission_key_key')) {
      const twin = await postOfForm(pool, input);
      if (twin) return { kind: 'posted', postId: twin };
    }
    throw err;
  }
}

/** The database's bounds (migrations/004), in code points. */
const TITLE_CODE_POINTS = 100;
const BODY_CODE_POINTS = 1200;

/** The title and the note as stored, and what is wrong with them. */
function checkPostText(p: { title: string; body: string }) {
  const errors: Partial<Record<PostField, PostProblem>> = {};
  const title = p.title.normalize('NFC').trim();
  const body = normalizePostText(p.body);
  // Characters as a person counts them, and the code points the database allows (an emoji family is
  // one character but seven code points), so a text the form accepts is one the database accepts.
  if (!title) errors.title = { key: 'error.post.titleRequired' };
  else if (countCharacters(title) > POST_TITLE_MAX || [...title].length > TITLE_CODE_POINTS)
    errors.title = { key: 'error.post.titleTooLong', params: { max: POST_TITLE_MAX } };
  const count = countCharacters(body);
  if (!body) errors.body = { key: 'error.post.bodyRequired' };
  else if (count > POST_TEXT_MAX || [...body].length > BODY_CODE_POINTS)
    errors.body = { key: 'error.post.bodyTooLong', params: { max: POST_TEXT_MAX, count } };
  return { title, body, errors };
}

function stateProblem(state: PostingState): PostProblem | null {
  if (state.kind === 'wait')
    return { key: 'error.post.tooSoon', params: { date: formatDate(state.nextDate), days: state.intervalDays } };
  if (state.kind === 'suspended') return { key: 'error.post.suspended', params: { date: formatDate(state.until) } };
  return null;
}

/** The database's own rules (the trigger), when a post got past the checks above in a race. */
function refusedByDatabase(err: unknown): PostProblem | null {
  if (isCheckViolation(err, 'contact_book_interval')) return { key: 'error.post.justPosted' };
  if (isCheckViolation(err, 'contact_book_suspended')) return { key: 'error.post.suspendedNow' };
  if (isCheckViolation(err, 'contact_book_inmate_restricted')) return { key: 'error.post.recipientRestricted' };
  return null;
}

/** Correct a rejected post and send it again: the same post, back to 待審核, dated today. */
export async function resendPost(
  pool: pg.Pool,
  applicantId: number,
  postId: number,
  seenVersion: number,
  /** photo: a new one, none, or keep the one sent; a photo kept as a draft under submissionKey replaces it */
  edit: {
    title: string;
    body: string;
    photo: StoredPhoto | null | 'keep';
    submissionKey?: string;
    /** As for submitPost: the photo's problem, said with every other one, nothing saved. */
    photoProblem?: PostProblem;
  },
  now: Date,
): Promise<PostOutcome | { kind: 'not_found' }> {
  const { title, body, errors } = checkPostText(edit);
  if (edit.photoProblem) errors.photo = edit.photoProblem;
  try {
    return await withTransaction(pool, async (tx): Promise<PostOutcome | { kind: 'not_found' }> => {
      const { rows } = await tx.query<{ inmate_id: string; institution_code: string; status: string; version: number }>(
        'SELECT inmate_id, institution_code, status, version FROM contact_book_post WHERE id = $1 AND applicant_id = $2 FOR UPDATE',
        [postId, applicantId],
      );
      const post = rows[0];
      if (!post) return { kind: 'not_found' };
      if (post.status === 'pending' && post.version === seenVersion + 1) return { kind: 'posted', postId };
      if (post.status !== 'rejected' || post.version !== seenVersion)
        return {
          kind: 'errors',
          errors: { ...(edit.photoProblem && { photo: edit.photoProblem }), form: { key: 'error.post.changed' } },
        };
      const state = await postingState(
        tx,
        applicantId,
        { inmateId: Number(post.inmate_id), institutionCode: post.institution_code },
        now,
        postId,
      );
      const problem = stateProblem(state);
      // Only another post made since can stand in the way here: said as such, not as a new post's wait.
      if (problem)
        errors.form = problem.key === 'error.post.tooSoon' ? { ...problem, key: 'error.post.tooSoonResend' } : problem;
      if (Object.keys(errors).length) return { kind: 'errors', errors };
      const draft = edit.submissionKey ? await takePhotoDraft(tx, applicantId, edit.submissionKey) : null;
      const keep = !draft && edit.photo === 'keep';
      const photo = draft ?? (edit.photo === 'keep' ? null : edit.photo);
      await tx.query(
        `UPDATE contact_book_post SET status = 'pending', decided_at = NULL, decided_by = NULL, rejection_reason = NULL, title = $2, body = $3,
                photo = CASE WHEN $4 THEN photo ELSE $5 END, photo_width = CASE WHEN $4 THEN photo_width ELSE $6 END,
                photo_height = CASE WHEN $4 THEN photo_height ELSE $7 END, posted_on = $8, submitted_at = $9, version = version + 1
          WHERE id = $1`,
        [postId, title, body, keep, ...photoColumns(photo), taipeiToday(now), now],
      );
      return posted(tx, postId, 'resubmitted', now);
    });
  } catch (err) {
    const refused = refusedByDatabase(err);
    if (refused) return { kind: 'errors', errors: { form: refused } };
    throw err;
  }
}

export type OwnPost = {
  id: number;
  version: number;
  institutionCode: string;
  institutionName: string;
  inmateId: number;
  maskedInmate: string;
  relationship: string;
  title: string;
  body: string;
  hasPhoto: boolean;
  status: PostStatus;
  submittedAt: Date;
  decidedAt: Date | null;
  rejectionReason: string | null;
  /** why it was cancelled (the inmate left, or the account was closed), in the reader's language */
  cancelReason: string | null;
  deliveredAt: Date | null;
};

/** The applicant's posts, newest first; with postId, that one post only if it is theirs. */
export async function listOwnPosts(db: Db, applicantId: number, locale: Locale, postId?: number): Promise<OwnPost[]> {
  if (postId !== undefined && !isId(postId)) return [];
  const { rows } = await db.query(
    `SELECT p.id, p.version, p.institution_code, i.name_zh, i.name_en, p.inmate_id, m.name, a.relationship, p.title, p.body, p.photo IS NOT NULL AS has_photo,
            p.status, p.submitted_at, p.decided_at, p.rejection_reason, p.cancel_reason, p.delivered_at
       FROM contact_book_post p JOIN service_application a ON a.id = p.application_id JOIN institution i ON i.code = p.institution_code
       JOIN inmate m ON m.id = p.inmate_id
      WHERE p.applicant_id = $1 AND ($2::bigint IS NULL OR p.id = $2) ORDER BY p.submitted_at DESC, p.id DESC LIMIT 200`,
    [applicantId, postId ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    version: r.version,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    inmateId: Number(r.inmate_id),
    maskedInmate: maskName(r.name),
    relationship: r.relationship,
    title: r.title,
    body: r.body,
    hasPhoto: r.has_photo,
    status: r.status,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    rejectionReason: reasonIn(r.rejection_reason, locale),
    cancelReason: r.status === 'cancelled' ? reasonIn(r.cancel_reason, locale) : null,
    deliveredAt: r.delivered_at,
  }));
}

export async function getOwnPost(db: Db, applicantId: number, postId: number, locale: Locale): Promise<OwnPost | null> {
  return (await listOwnPosts(db, applicantId, locale, postId))[0] ?? null;
}
