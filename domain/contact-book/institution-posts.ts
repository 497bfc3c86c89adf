import type pg from 'pg';
import { pageOf, withTransaction, type Db } from '../platform/db.ts';
import { translator, type MessageKey } from '../i18n/i18n.ts';
import { compose } from '../mails.ts';
import type { Locale } from '../shared/locale.ts';
import { maskName } from '../shared/masking.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { plainTextToHtml } from '../shared/plain-text.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import { countCharacters, normalizePostText } from './vocabulary.ts';
import { takeStaffPhotoDraft } from './institution-post-photos.ts';

/**
 * 查看機關聯絡簿: the institution's side of the contact book. Staff of an institution write to the
 * family of one of its inmates (found by call number). The recipients are fixed as it is written: every
 * applicant then holding an approved (or automatically approved) contact book service for that inmate,
 * while the inmate has not left and the account is not closed. Each gets a mail in the same transaction,
 * and the post is audited. A family reads only the posts it was a recipient of.
 */

export const INSTITUTION_POST_TITLE_MAX = 100;
export const INSTITUTION_POST_TEXT_MAX = 2000;
export const STAFF_PAGE_SIZE = 20;
export const FAMILY_PAGE_SIZE = 10;

export type InstitutionPostField = 'form' | 'institution' | 'callNumber' | 'title' | 'body' | 'photo';
export type InstitutionPostProblem = { key: MessageKey; params?: Record<string, string | number> };
export type InstitutionPostErrors = Partial<Record<InstitutionPostField, InstitutionPostProblem>>;

export type InstitutionPostInput = {
  /** ignored for staff of one institution: they write for their own */
  institutionCode: string;
  callNumber: string;
  title: string;
  body: string;
  submissionKey: string;
};

export type Recipient = { applicantId: number; applicationId: number; email: string; name: string; locale: Locale };

/** Who a post to this inmate goes to now: the applicants with an approved contact book for them. */
export async function institutionPostRecipients(db: Db, inmateId: number): Promise<Recipient[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT ON (a.applicant_id) a.applicant_id, a.id, p.email, p.name, p.locale
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN applicant p ON p.id = a.applicant_id
      WHERE a.inmate_id = $1 AND a.service = 'contact_book' AND a.status IN ('approved', 'auto_approved')
        AND m.removed_on IS NULL AND p.disabled_at IS NULL
      ORDER BY a.applicant_id, a.id`,
    [inmateId],
  );
  return rows.map((r) => ({
    applicantId: Number(r.applicant_id),
    applicationId: Number(r.id),
    email: r.email,
    name: r.name,
    locale: r.locale,
  }));
}

/** The form's own checks, before anything is looked up. */
function check(actor: StaffActor, input: InstitutionPostInput): { code: string; errors: InstitutionPostErrors } {
  const errors: InstitutionPostErrors = {};
  const code = actor.institutionCode ?? input.institutionCode.trim();
  if (!/^\d{4}$/.test(code) || !inScope(actor, code)) errors.institution = { key: 'ipost.error.institution' };
  const number = input.callNumber.normalize('NFKC').trim();
  if (!/^(\d{4}|\d{6})$/.test(number)) errors.callNumber = { key: 'ipost.error.callNumberFormat' };
  const title = normalizePostText(input.title);
  if (!title) errors.title = { key: 'ipost.error.titleRequired' };
  else if (countCharacters(title) > INSTITUTION_POST_TITLE_MAX || title.length > INSTITUTION_POST_TITLE_MAX)
    errors.title = { key: 'ipost.error.titleTooLong', params: { max: INSTITUTION_POST_TITLE_MAX } };
  const body = normalizePostText(input.body);
  const count = countCharacters(body);
  if (!body) errors.body = { key: 'ipost.error.bodyRequired' };
  else if (count > INSTITUTION_POST_TEXT_MAX || body.length > INSTITUTION_POST_TEXT_MAX * 2)
    errors.body = { key: 'ipost.error.bodyTooLong', params: { max: INSTITUTION_POST_TEXT_MAX, count } };
  return { code, errors };
}

export type CreateOutcome =
  { kind: 'created'; postId: number; recipients: number } | { kind: 'errors'; errors: InstitutionPostErrors };

/**
 * Writes a post to the families of the inmate with this call number, with the photo kept as the form's
 * draft (if any): the post, its recipients, one mail each and the audit line in one transaction. The
 * same form sent twice (same submission key) makes one post.
 */
export async function createInstitutionPost(
  pool: pg.Pool,
  actor: StaffActor,
  input: InstitutionPostInput,
  opts: { now: Date; publicUrl: string },
): Promise<CreateOutcome> {
  assertMay(actor, 'institution_posts');
  const { code, errors } = check(actor, input);
  if (Object.keys(errors).length) return { kind: 'errors', errors };
  return withTransaction(pool, async (tx) => {
    const again = await sentBefore(tx, actor, input.submissionKey);
    if (again) return again;
    const { rows: inmates } = await tx.query<{ id: string; name: string; name_zh: string; name_en: string }>(
      `SELECT m.id, m.name, i.name_zh, i.name_en FROM inmate m JOIN institution i ON i.code = m.institution_code
        WHERE m.institution_code = $1 AND m.call_number = $2 AND m.removed_on IS NULL`,
      [code, input.callNumber.normalize('NFKC').trim()],
    );
    const inmate = inmates[0];
    if (!inmate) return { kind: 'errors', errors: { callNumber: { key: 'ipost.error.callNumberUnknown' } } };
    const recipients = await institutionPostRecipients(tx, Number(inmate.id));
    if (!recipients.length) return { kind: 'errors', errors: { callNumber: { key: 'ipost.error.noBook' } } };
    const photo = await takeStaffPhotoDraft(tx, actor.staffId, input.submissionKey);
    const title = normalizePostText(input.title);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO institution_post (institution_code, inmate_id, staff_id, title, body, photo, photo_width, photo_height, submission_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (submission_key) DO NOTHING RETURNING id`,
      [
        code,
        inmate.id,
        actor.staffId,
        title,
        normalizePostText(input.body),
        photo?.content ?? null,
        photo?.width ?? null,
        photo?.height ?? null,
        input.submissionKey,
        opts.now,
      ],
    );
    // Sent at the same moment by a second click: that one made the post.
    if (!rows[0]) return (await sentBefore(tx, actor, input.submissionKey)) ?? { kind: 'errors', errors: {} };
    const postId = Number(rows[0].id);
    await tx.query(
      `INSERT INTO institution_post_recipient (post_id, applicant_id, application_id)
       SELECT $1, unnest($2::bigint[]), unnest($3::bigint[])`,
      [postId, recipients.map((r) => r.applicantId), recipients.map((r) => r.applicationId)],
    );
    for (const r of recipients) {
      const t = translator(r.locale);
      const institution = r.locale === 'en' ? inmate.name_en : inmate.name_zh;
      const { text, html } = compose(r.locale, [
        t('mail.greeting', { name: r.name }),
        t('mail.institutionPost.intro', { institution, inmate: maskName(inmate.name), title }),
        t('mail.institutionPost.read'),
        `${opts.publicUrl}/contact-book/from-institution/${postId}`,
        t('mail.signature'),
      ]);
      await enqueueMail(tx, {
        to: r.email,
        applicantId: r.applicantId,
        institutionCode: code,
        subject: t('mail.institutionPost.subject', { institution }),
        text,
        html,
      });
    }
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'institution_post.created',
      objectType: 'institution_post',
      objectId: postId,
      institutionCode: code,
      ip: actor.ip,
      details: { inmateId: Number(inmate.id), title, photo: photo !== null, recipients: recipients.length },
      at: opts.now,
    });
    return { kind: 'created', postId, recipients: recipients.length };
  });
}

async function sentBefore(tx: Db, actor: StaffActor, submissionKey: string): Promise<CreateOutcome | null> {
  const { rows } = await tx.query<{ id: string; n: number }>(
    `SELECT p.id, (SELECT count(*)::int FROM institution_post_recipient r WHERE r.post_id = p.id) AS n
       FROM institution_post p WHERE p.submission_key = $1 AND p.staff_id = $2`,
    [submissionKey, actor.staffId],
  );
  return rows[0] ? { kind: 'created', postId: Number(rows[0].id), recipients: rows[0].n } : null;
}

// ---- the back office: what the institution sent ----

export type SentPost = {
  id: number;
  institutionCode: string;
  institutionName: string;
  callNumber: string;
  inmateName: string;
  title: string;
  hasPhoto: boolean;
  staffName: string;
  createdAt: Date;
  recipientCount: number;
};
export type SentPostDetail = SentPost & {
  body: string;
  bodyHtml: string;
  recipients: { name: string; relationship: string }[];
};
export type Page<T> = { rows: T[]; total: number; page: number; pages: number };

const SENT_COLUMNS = `p.id, p.institution_code, i.name_zh, i.name_en, m.call_number, m.name AS inmate_name, p.title, p.body,
  p.photo IS NOT NULL AS has_photo, s.name AS staff_name, p.created_at,
  (SELECT count(*)::int FROM institution_post_recipient r WHERE r.post_id = p.id) AS recipient_count`;
const SENT_FROM = `FROM institution_post p JOIN inmate m ON m.id = p.inmate_id JOIN institution i ON i.code = p.institution_code
  JOIN staff s ON s.id = p.staff_id`;

function toSent(r: Record<string, unknown>, locale: Locale): SentPost {
  return {
    id: Number(r.id),
    institutionCode: String(r.institution_code),
    institutionName: String(locale === 'en' ? r.name_en : r.name_zh),
    callNumber: String(r.call_number),
    inmateName: String(r.inmate_name),
    title: String(r.title),
    hasPhoto: r.has_photo === true,
    staffName: String(r.staff_name),
    createdAt: r.created_at as Date,
    recipientCount: Number(r.recipient_count),
  };
}

/** The posts of the actor's institution (the agency: every one), newest first, one page. */
export async function listSentPosts(
  db: Db,
  actor: StaffActor,
  locale: Locale,
  requestedPage: number,
): Promise<Page<SentPost>> {
  assertMay(actor, 'institution_posts');
  const scope = actor.institutionCode;
  const where = '($1::char(4) IS NULL OR p.institution_code = $1)';
  const total = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM institution_post p WHERE ${where}`, [scope])
  ).rows[0]!.n;
  const { page, pages, limitSql } = pageOf(total, requestedPage, STAFF_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT ${SENT_COLUMNS} ${SENT_FROM} WHERE ${where} ORDER BY p.created_at DESC, p.id DESC ${limitSql}`,
    [scope],
  );
  return { rows: rows.map((r) => toSent(r, locale)), total, page, pages };
}

/** One post with its recipients; another institution's is not found. */
export async function getSentPost(
  db: Db,
  actor: StaffActor,
  id: number,
  locale: Locale,
): Promise<SentPostDetail | null> {
  assertMay(actor, 'institution_posts');
  const { rows } = await db.query(
    `SELECT ${SENT_COLUMNS} ${SENT_FROM} WHERE p.id = $1 AND ($2::char(4) IS NULL OR p.institution_code = $2)`,
    [id, actor.institutionCode],
  );
  const row = rows[0];
  if (!row) return null;
  const { rows: people } = await db.query<{ name: string; relationship: string }>(
    `SELECT a.name, s.relationship FROM institution_post_recipient r JOIN applicant a ON a.id = r.applicant_id
       JOIN service_application s ON s.id = r.application_id WHERE r.post_id = $1 ORDER BY a.id`,
    [id],
  );
  return { ...toSent(row, locale), body: row.body, bodyHtml: plainTextToHtml(row.body), recipients: people };
}

// ---- the family: 查看機關聯絡簿 ----

/** An inmate the family may read posts about: one they got posts for or hold an approved book for. */
export type FamilyInmate = { inmateId: number; maskedInmate: string; institutionName: string };

export async function listFamilyInmates(db: Db, applicantId: number, locale: Locale): Promise<FamilyInmate[]> {
  const { rows } = await db.query(
    `SELECT m.id, m.name, i.name_zh, i.name_en FROM inmate m JOIN institution i ON i.code = m.institution_code
      WHERE m.id IN (SELECT p.inmate_id FROM institution_post p JOIN institution_post_recipient r ON r.post_id = p.id
                      WHERE r.applicant_id = $1
                     UNION
                     SELECT a.inmate_id FROM service_application a
                      WHERE a.applicant_id = $1 AND a.service = 'contact_book' AND a.status IN ('approved', 'auto_approved'))
      ORDER BY m.id`,
    [applicantId],
  );
  return rows.map((r) => ({
    inmateId: Number(r.id),
    maskedInmate: maskName(r.name),
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
  }));
}

export type FamilyPost = {
  id: number;
  inmateId: number;
  maskedInmate: string;
  institutionName: string;
  title: string;
  body: string;
  bodyHtml: string;
  hasPhoto: boolean;
  createdAt: Date;
};

const FAMILY_COLUMNS = `p.id, p.inmate_id, m.name, i.name_zh, i.name_en, p.title, p.body, p.photo IS NOT NULL AS has_photo, p.created_at`;
const FAMILY_FROM = `FROM institution_post p JOIN institution_post_recipient r ON r.post_id = p.id
  JOIN inmate m ON m.id = p.inmate_id JOIN institution i ON i.code = p.institution_code`;

function toFamily(r: Record<string, unknown>, locale: Locale): FamilyPost {
  return {
    id: Number(r.id),
    inmateId: Number(r.inmate_id),
    maskedInmate: maskName(String(r.name)),
    institutionName: String(locale === 'en' ? r.name_en : r.name_zh),
    title: String(r.title),
    body: String(r.body),
    bodyHtml: plainTextToHtml(String(r.body)),
    hasPhoto: r.has_photo === true,
    createdAt: r.created_at as Date,
  };
}

/** The posts about one inmate that this applicant received, newest first, one page. */
export async function listFamilyPosts(
  db: Db,
  applicantId: number,
  inmateId: number,
  locale: Locale,
  requestedPage: number,
): Promise<Page<FamilyPost>> {
  const where = 'WHERE r.applicant_id = $1 AND p.inmate_id = $2';
  const total = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM institution_post p JOIN institution_post_recipient r ON r.post_id = p.id ${where}`,
      [applicantId, inmateId],
    )
  ).rows[0]!.n;
  const { page, pages, limitSql } = pageOf(total, requestedPage, FAMILY_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT ${FAMILY_COLUMNS} ${FAMILY_FROM} ${where} ORDER BY p.created_at DESC, p.id DESC ${limitSql}`,
    [applicantId, inmateId],
  );
  return { rows: rows.map((r) => toFamily(r, locale)), total, page, pages };
}

/** One post, only for an applicant it was sent to. */
export async function getFamilyPost(
  db: Db,
  applicantId: number,
  id: number,
  locale: Locale,
): Promise<FamilyPost | null> {
  const { rows } = await db.query(`SELECT ${FAMILY_COLUMNS} ${FAMILY_FROM} WHERE p.id = $1 AND r.applicant_id = $2`, [
    id,
    applicantId,
  ]);
  return rows[0] ? toFamily(rows[0], locale) : null;
}
