import type pg from 'pg';
import { type Db, isCheckViolation, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { maskName } from '../shared/masking.ts';
import { type MessageKey, translator } from '../i18n/i18n.ts';
import { type Locale } from '../shared/locale.ts';
import type { StoredPhoto } from '../applications/documents.ts';
import { recordStaffAction } from '../staff.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { postDecisionMail, type PostMailView } from '../mails.ts';

/**
 * The family contact book (家庭聯絡簿, 愛在雲端): an approved family member sends the inmate a short
 * note and one photo, reviewed by staff (seed 000 §三).
 */

/** The longest note, in characters as a person counts them. */
export const POST_TEXT_MAX = 150;

const graphemes = new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' });

/**
 * Characters as a person counts them: one Chinese character, one letter with its accents, one emoji
 * (with skin tone, family joins or a flag) is one. A line break is one, whether the browser sent
 * CRLF or LF.
 */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(normalizePostText(text))) n += 1;
  return n;
}

/** The note as stored: NFC, LF line breaks, no spaces around it. */
export function normalizePostText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

// ---- posting ----

export const POST_TITLE_MAX = 30;
/** Rejections that suspend posting (seed 000 §三(四)), and for how long. */
export const REJECTIONS_BEFORE_SUSPENSION = 3;
export const SUSPENSION_MONTHS = 1;

/** An inmate the applicant may write to: they hold an approved contact book service for them. */
export type Recipient = {
  applicationId: number;
  inmateId: number;
  institutionCode: string;
  institutionName: string;
  maskedInmate: string;
  relationship: string;
};

export async function listRecipients(db: Db, applicantId: number, locale: 'zh-TW' | 'en'): Promise<Recipient[]> {
  const { rows } = await db.query(
    `SELECT a.id, a.inmate_id, a.institution_code, i.name_zh, i.name_en, m.name, a.relationship
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN institution i ON i.code = a.institution_code
      WHERE a.applicant_id = $1 AND a.service = 'contact_book' AND a.status IN ('approved', 'auto_approved') AND m.restriction IS NULL
      ORDER BY a.id`,
    [applicantId],
  );
  return rows.map((r) => ({
    applicationId: Number(r.id),
    inmateId: Number(r.inmate_id),
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    maskedInmate: maskName(r.name),
    relationship: r.relationship,
  }));
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type PostingState =
  { kind: 'open' } | { kind: 'wait'; nextDate: string; intervalDays: number } | { kind: 'suspended'; until: Date };

/**
 * Whether the applicant may post to this inmate today (Asia/Taipei): the interval counts from the
 * date of their last post that was not rejected, with the institution's current parameter C.
 */
export async function postingState(
  db: Db,
  applicantId: number,
  recipient: { inmateId: number; institutionCode: string },
  now: Date,
  excludePostId = 0,
): Promise<PostingState> {
  const suspension = await activeSuspension(db, applicantId, now);
  if (suspension) return { kind: 'suspended', until: suspension.endsAt };
  const { rows } = await db.query<{ last: string | null; days: number }>(
    `SELECT (SELECT to_char(max(posted_on), 'YYYY-MM-DD') FROM contact_book_post
              WHERE applicant_id = $1 AND inmate_id = $2 AND status <> 'rejected' AND id <> $4) AS last,
            (SELECT contact_book_interval_days FROM institution WHERE code = $3) AS days`,
    [applicantId, recipient.inmateId, recipient.institutionCode, excludePostId],
  );
  const { last, days } = rows[0]!;
  if (!last) return { kind: 'open' };
  const nextDate = addDays(last, days);
  return taipeiToday(now) < nextDate ? { kind: 'wait', nextDate, intervalDays: days } : { kind: 'open' };
}

export async function activeSuspension(
  db: Db,
  applicantId: number,
  now: Date,
): Promise<{ id: number; endsAt: Date } | null> {
  const { rows } = await db.query<{ id: string; ends_at: Date }>(
    `SELECT id, ends_at FROM contact_book_suspension WHERE applicant_id = $1 AND lifted_at IS NULL AND starts_at <= $2 AND ends_at > $2
      ORDER BY ends_at DESC LIMIT 1`,
    [applicantId, now],
  );
  return rows[0] ? { id: Number(rows[0].id), endsAt: rows[0].ends_at } : null;
}

export type PostInput = {
  applicantId: number;
  applicationId: number;
  title: string;
  body: string;
  photo: StoredPhoto | null;
  submissionKey: string;
};
export type PostField = 'recipient' | 'title' | 'body' | 'photo' | 'form';
export type PostProblem = { key: MessageKey; params?: Record<string, string | number> };
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
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM contact_book_post WHERE submission_key = $1 AND applicant_id = $2',
    [input.submissionKey, input.applicantId],
  );
  return rows[0] ? { kind: 'posted', postId: Number(rows[0].id) } : outcome;
}

async function submitPostOnce(pool: pg.Pool, input: PostInput, now: Date): Promise<PostOutcome> {
  const { title, body, errors } = checkPostText(input);
  try {
    return await withTransaction(pool, async (tx): Promise<PostOutcome> => {
      // The same form sent again (a double press, a resent page) is the post already made.
      const sent = await tx.query<{ id: string }>(
        'SELECT id FROM contact_book_post WHERE submission_key = $1 AND applicant_id = $2',
        [input.submissionKey, input.applicantId],
      );
      if (sent.rows[0]) return { kind: 'posted', postId: Number(sent.rows[0].id) };
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
          photo?.content ?? null,
          photo?.width ?? null,
          photo?.height ?? null,
          taipeiToday(now),
          now,
          input.submissionKey,
        ],
      );
      const postId = Number(rows[0]!.id);
      await tx.query(`INSERT INTO contact_book_event (post_id, action, at) VALUES ($1, 'submitted', $2)`, [
        postId,
        now,
      ]);
      return { kind: 'posted', postId };
    });
  } catch (err) {
    const refused = refusedByDatabase(err);
    if (refused) return { kind: 'errors', errors: { form: refused } };
    if (isUniqueViolation(err, 'contact_book_post_submission_key_key')) {
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM contact_book_post WHERE submission_key = $1 AND applicant_id = $2',
        [input.submissionKey, input.applicantId],
      );
      if (rows[0]) return { kind: 'posted', postId: Number(rows[0].id) };
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
    return { key: 'error.post.tooSoon', params: { date: state.nextDate, days: state.intervalDays } };
  if (state.kind === 'suspended') return { key: 'error.post.suspended', params: { date: taipeiToday(state.until) } };
  return null;
}

/** The database's own rules (the trigger), when a post got past the checks above in a race. */
function refusedByDatabase(err: unknown): PostProblem | null {
  if (isCheckViolation(err, 'contact_book_interval')) return { key: 'error.post.justPosted' };
  if (isCheckViolation(err, 'contact_book_suspended')) return { key: 'error.post.suspendedNow' };
  if (isCheckViolation(err, 'contact_book_inmate_restricted')) return { key: 'error.post.recipientRestricted' };
  return null;
}

export type PostDecision =
  { decision: 'approve' } | { decision: 'reject'; reason: string; reasonCode?: PostRejectionReason | null };
export type PostReviewer = { staffId: number; institutionCode: string | null; ip: string | null };
/** Common reasons for a post; the text stored is what the family reads, in their language. */
export const POST_REJECTION_REASONS = ['notFamily', 'unsafeContent', 'photoUnclear', 'codedMessage'] as const;
export type PostRejectionReason = (typeof POST_REJECTION_REASONS)[number];

/**
 * A staff decision on a pending post, with the same version check, history, audit log and result
 * mail as service applications. The third rejection since the last suspension suspends posting for a
 * month. A common reason is written in the applicant's language, then the reviewer's own words.
 */
export async function decidePost(
  pool: pg.Pool,
  postId: number,
  seenVersion: number,
  d: PostDecision,
  who: PostReviewer,
  now: Date,
): Promise<'decided' | 'already_decided' | 'not_found' | 'reason_required'> {
  const ownWords = d.decision === 'reject' ? d.reason.trim() : '';
  const code = d.decision === 'reject' ? (d.reasonCode ?? null) : null;
  if (d.decision === 'reject' && ((!ownWords && !code) || ownWords.length > 900)) return 'reason_required';
  if (!Number.isSafeInteger(postId) || postId <= 0) return 'not_found';
  return withTransaction(pool, async (tx) => {
    const found = await tx.query<{ applicant_id: string; institution_code: string; locale: Locale }>(
      `SELECT p.applicant_id, p.institution_code, x.locale FROM contact_book_post p JOIN applicant x ON x.id = p.applicant_id
        WHERE p.id = $1 AND ($2::char(4) IS NULL OR p.institution_code = $2)`,
      [postId, who.institutionCode],
    );
    const post = found.rows[0];
    if (!post) return 'not_found';
    const t = translator(post.locale);
    const reason =
      d.decision === 'approve'
        ? null
        : [code ? t(`postRejectReason.${code}`) : '', ownWords].filter(Boolean).join('\n');
    const status = d.decision === 'approve' ? 'approved' : 'rejected';
    const updated = await tx.query(
      `UPDATE contact_book_post SET status = $3, decided_at = $4, decided_by = $5, rejection_reason = $6, version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'pending'`,
      [postId, seenVersion, status, now, who.staffId, reason],
    );
    if (updated.rowCount === 0) return 'already_decided';
    await tx.query(
      'INSERT INTO contact_book_event (post_id, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)',
      [postId, status, who.staffId, reason, now],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: `contact_book_post.${status}`,
      objectType: 'contact_book_post',
      objectId: postId,
      institutionCode: post.institution_code,
      ip: who.ip,
      details: { reason },
      at: now,
    });
    const suspendedUntil =
      status === 'rejected'
        ? await suspendAfterRejections(tx, Number(post.applicant_id), post.institution_code, who, now)
        : null;
    await enqueueMail(tx, postDecisionMail({ ...(await postMailView(tx, postId)), suspendedUntil }));
    return 'decided';
  });
}

/** Rejections count since the end of the applicant's last suspension (or lifting); the third suspends. */
async function suspendAfterRejections(
  tx: Db,
  applicantId: number,
  institutionCode: string,
  who: PostReviewer,
  now: Date,
): Promise<Date | null> {
  await tx.query('SELECT pg_advisory_xact_lock(2480, $1::int)', [applicantId]);
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM contact_book_event e JOIN contact_book_post p ON p.id = e.post_id
      WHERE p.applicant_id = $1 AND e.action = 'rejected'
        AND e.at > coalesce((SELECT max(least(coalesce(lifted_at, ends_at), ends_at)) FROM contact_book_suspension WHERE applicant_id = $1 AND starts_at <= $2),
                            '-infinity')`,
    [applicantId, now],
  );
  if (rows[0]!.n < REJECTIONS_BEFORE_SUSPENSION) return null;
  if (await activeSuspension(tx, applicantId, now)) return null;
  const ends = new Date(now);
  ends.setUTCMonth(ends.getUTCMonth() + SUSPENSION_MONTHS);
  const { rows: made } = await tx.query<{ id: string }>(
    'INSERT INTO contact_book_suspension (applicant_id, institution_code, starts_at, ends_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [applicantId, institutionCode, now, ends],
  );
  await recordStaffAction(tx, {
    staffId: who.staffId,
    action: 'contact_book.suspended',
    objectType: 'contact_book_suspension',
    objectId: Number(made[0]!.id),
    institutionCode,
    ip: who.ip,
    details: { applicantId, until: ends.toISOString() },
    at: now,
  });
  return ends;
}

/** Staff lift a suspension early (their institution's, or any for the agency). */
export async function liftSuspension(
  pool: pg.Pool,
  suspensionId: number,
  who: PostReviewer,
  now: Date,
): Promise<boolean> {
  if (!Number.isSafeInteger(suspensionId) || suspensionId <= 0) return false;
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string }>(
      `UPDATE contact_book_suspension SET lifted_at = $2, lifted_by = $3
        WHERE id = $1 AND lifted_at IS NULL AND ends_at > $2 AND ($4::char(4) IS NULL OR institution_code = $4) RETURNING institution_code`,
      [suspensionId, now, who.staffId, who.institutionCode],
    );
    if (!rows[0]) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'contact_book.suspension_lifted',
      objectType: 'contact_book_suspension',
      objectId: suspensionId,
      institutionCode: rows[0].institution_code,
      ip: who.ip,
      at: now,
    });
    return true;
  });
}

/** Correct a rejected post and send it again: the same post, back to 待審核, dated today. */
export async function resendPost(
  pool: pg.Pool,
  applicantId: number,
  postId: number,
  seenVersion: number,
  /** photo: a new one, none, or keep the one sent; a photo kept as a draft under submissionKey replaces it */
  edit: { title: string; body: string; photo: StoredPhoto | null | 'keep'; submissionKey?: string },
  now: Date,
): Promise<PostOutcome | { kind: 'not_found' }> {
  const { title, body, errors } = checkPostText(edit);
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
        return { kind: 'errors', errors: { form: { key: 'error.post.changed' } } };
      const state = await postingState(
        tx,
        applicantId,
        { inmateId: Number(post.inmate_id), institutionCode: post.institution_code },
        now,
        postId,
      );
      const problem = stateProblem(state);
      if (problem) errors.form = problem;
      if (Object.keys(errors).length) return { kind: 'errors', errors };
      const draft = edit.submissionKey ? await takePhotoDraft(tx, applicantId, edit.submissionKey) : null;
      const keep = !draft && edit.photo === 'keep';
      const photo = draft ?? (edit.photo === 'keep' ? null : edit.photo);
      await tx.query(
        `UPDATE contact_book_post SET status = 'pending', decided_at = NULL, decided_by = NULL, rejection_reason = NULL, title = $2, body = $3,
                photo = CASE WHEN $4 THEN photo ELSE $5 END, photo_width = CASE WHEN $4 THEN photo_width ELSE $6 END,
                photo_height = CASE WHEN $4 THEN photo_height ELSE $7 END, posted_on = $8, submitted_at = $9, version = version + 1
          WHERE id = $1`,
        [
          postId,
          title,
          body,
          keep,
          photo?.content ?? null,
          photo?.width ?? null,
          photo?.height ?? null,
          taipeiToday(now),
          now,
        ],
      );
      await tx.query(`INSERT INTO contact_book_event (post_id, action, at) VALUES ($1, 'resubmitted', $2)`, [
        postId,
        now,
      ]);
      return { kind: 'posted', postId };
    });
  } catch (err) {
    const refused = refusedByDatabase(err);
    if (refused) return { kind: 'errors', errors: { form: refused } };
    throw err;
  }
}

/** The recipient, relationship and subject of a post, for the result mail (seed 001). */
async function postMailView(db: Db, postId: number): Promise<PostMailView> {
  const { rows } = await db.query(
    `SELECT p.id, p.applicant_id, p.institution_code, p.title, p.status, p.rejection_reason, a.relationship, x.email, x.locale, i.name_zh, i.name_en, m.name
       FROM contact_book_post p JOIN service_application a ON a.id = p.application_id JOIN applicant x ON x.id = p.applicant_id
       JOIN institution i ON i.code = p.institution_code JOIN inmate m ON m.id = p.inmate_id WHERE p.id = $1`,
    [postId],
  );
  const r = rows[0]!;
  return {
    postId: Number(r.id),
    applicantId: Number(r.applicant_id),
    to: r.email,
    locale: r.locale,
    institutionCode: r.institution_code,
    institutionName: r.locale === 'en' ? r.name_en : r.name_zh,
    maskedInmate: maskName(r.name),
    relationship: r.relationship,
    title: r.title,
    status: r.status,
    rejectionReason: r.rejection_reason,
    suspendedUntil: null,
  };
}

// ---- the photo kept while the form is being filled (one per form) ----

export type PhotoDraft = { fileName: string; uploadedBytes: number; width: number; height: number };

/** Keeps the form's photo; a second photo sent with the same form replaces the first. */
export async function keepPhotoDraft(
  db: Db,
  applicantId: number,
  submissionKey: string,
  photo: StoredPhoto,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO contact_book_photo_draft (applicant_id, submission_key, file_name, uploaded_bytes, content, width, height, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (applicant_id, submission_key) DO UPDATE SET file_name = EXCLUDED.file_name, uploaded_bytes = EXCLUDED.uploaded_bytes,
       content = EXCLUDED.content, width = EXCLUDED.width, height = EXCLUDED.height, created_at = EXCLUDED.created_at`,
    [applicantId, submissionKey, photo.fileName, photo.uploadedBytes, photo.content, photo.width, photo.height, now],
  );
}

export async function getPhotoDraft(db: Db, applicantId: number, submissionKey: string): Promise<PhotoDraft | null> {
  const { rows } = await db.query(
    'SELECT file_name, uploaded_bytes, width, height FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2',
    [applicantId, submissionKey],
  );
  const r = rows[0];
  return r ? { fileName: r.file_name, uploadedBytes: r.uploaded_bytes, width: r.width, height: r.height } : null;
}

export async function removePhotoDraft(db: Db, applicantId: number, submissionKey: string): Promise<void> {
  await db.query('DELETE FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2', [
    applicantId,
    submissionKey,
  ]);
}

/** The draft's photo, removed as it is taken (inside the caller's transaction). */
async function takePhotoDraft(
  tx: Db,
  applicantId: number,
  submissionKey: string,
): Promise<{ content: Buffer; width: number; height: number } | null> {
  const { rows } = await tx.query<{ content: Buffer; width: number; height: number }>(
    'DELETE FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2 RETURNING content, width, height',
    [applicantId, submissionKey],
  );
  return rows[0] ?? null;
}

export async function purgeOldPhotoDrafts(db: Db, now: Date, lifetimeHours: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM contact_book_photo_draft WHERE created_at < $1', [
    new Date(now.getTime() - lifetimeHours * 3600_000),
  ]);
  return rowCount ?? 0;
}

// ---- the family's own posts (查詢家庭聯絡簿) ----

export type PostStatus = 'pending' | 'approved' | 'rejected';

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
  deliveredAt: Date | null;
};

/** The applicant's posts, newest first; with postId, that one post only if it is theirs. */
export async function listOwnPosts(
  db: Db,
  applicantId: number,
  locale: 'zh-TW' | 'en',
  postId?: number,
): Promise<OwnPost[]> {
  if (postId !== undefined && (!Number.isSafeInteger(postId) || postId <= 0)) return [];
  const { rows } = await db.query(
    `SELECT p.id, p.version, p.institution_code, i.name_zh, i.name_en, p.inmate_id, m.name, a.relationship, p.title, p.body, p.photo IS NOT NULL AS has_photo,
            p.status, p.submitted_at, p.decided_at, p.rejection_reason, p.delivered_at
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
    rejectionReason: r.rejection_reason,
    deliveredAt: r.delivered_at,
  }));
}

export async function getOwnPost(
  db: Db,
  applicantId: number,
  postId: number,
  locale: 'zh-TW' | 'en',
): Promise<OwnPost | null> {
  return (await listOwnPosts(db, applicantId, locale, postId))[0] ?? null;
}

/** Who asks for a post's photo: the applicant who sent it, or staff within their scope. */
export type PhotoReader = { applicantId: number } | { staffScope: string | null };

/** A post's stored photo (a JPEG without metadata), only for its sender or staff of its institution. */
export async function readPostPhoto(db: Db, postId: number, who: PhotoReader): Promise<Buffer | null> {
  if (!Number.isSafeInteger(postId) || postId <= 0) return null;
  const byApplicant = 'applicantId' in who;
  const { rows } = await db.query<{ photo: Buffer | null }>(
    `SELECT photo FROM contact_book_post WHERE id = $1 AND ${byApplicant ? 'applicant_id = $2' : '($2::char(4) IS NULL OR institution_code = $2)'}`,
    [postId, byApplicant ? who.applicantId : who.staffScope],
  );
  return rows[0]?.photo ?? null;
}

/** What the posting page says per recipient: open, the next date, or suspended until when. */
export async function postingStates(
  db: Db,
  applicantId: number,
  recipients: Recipient[],
  now: Date,
): Promise<Map<number, PostingState>> {
  const out = new Map<number, PostingState>();
  for (const r of recipients) out.set(r.applicationId, await postingState(db, applicantId, r, now));
  return out;
}
