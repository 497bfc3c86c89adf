import type pg from 'pg';
import { activeSuspension, suspendAfterRejections } from './suspensions.ts';
import type { PostDecision, PostStatus } from './vocabulary.ts';
import { type PostMailView, postDecisionMail } from '../mails.ts';
import type { Db } from '../platform/db.ts';
import { type Decider, type DecisionOutcome, decideWithReason } from '../shared/decisions.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import type { Locale } from '../shared/locale.ts';
import { reasonIn } from '../shared/reasons.ts';
import { maskName } from '../shared/masking.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { type QueueFilterBase, type QueuePageOf, queueConditions, readQueuePage } from '../shared/queues.ts';

/**
 * The staff's side of the family contact book (seed 002 聯絡簿管理): the moderation queue, one post
 * with what a reviewer needs to judge it, the day's delivery sheet and suspensions. Every function takes
 * the staff member: their role must allow 'review', and their scope (their institution, or null for an
 * agency administrator) bounds what they see.
 */

/** Who reads: a staff member's role and scope. */
type Viewer = Pick<StaffActor, 'role' | 'institutionCode'>;

export const POST_QUEUE_PAGE_SIZE = 20;

export type PostQueueFilter = QueueFilterBase & { status: PostStatus | null };

export type PostQueueRow = {
  id: number;
  institutionName: string;
  inmateName: string;
  callNumber: string;
  applicantName: string;
  relationship: string;
  title: string;
  hasPhoto: boolean;
  status: PostStatus;
  submittedAt: Date;
  decidedAt: Date | null;
  deliveredAt: Date | null;
};

/** Pending first, oldest first: the order in which posts should be read. */
export async function listPostQueue(
  db: Db,
  who: Viewer,
  f: PostQueueFilter,
  locale: Locale,
): Promise<QueuePageOf<PostQueueRow>> {
  assertMay(who, 'review');
  const c = queueConditions(who.institutionCode, f);
  const { total, capped, page, pages, rows } = await readQueuePage(
    db,
    {
      select: `q.id, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, x.name AS applicant_name, a.relationship, q.title,
               q.photo IS NOT NULL AS has_photo, q.status, q.submitted_at, q.decided_at, q.delivered_at`,
      from: `FROM contact_book_post q JOIN inmate m ON m.id = q.inmate_id JOIN applicant x ON x.id = q.applicant_id
             JOIN service_application a ON a.id = q.application_id JOIN institution i ON i.code = q.institution_code ${c.sql()}`,
      // Every post has its inmate, sender, service and institution: only the call number filter needs a join to count.
      countFrom: `FROM contact_book_post q ${f.callNumber ? 'JOIN inmate m ON m.id = q.inmate_id' : ''} ${c.sql()}`,
      order: `(q.status = 'pending') DESC, q.submitted_at ASC, q.id ASC`,
    },
    c.params,
    f.page,
    POST_QUEUE_PAGE_SIZE,
  );
  return {
    total,
    capped,
    page,
    pages,
    rows: rows.map((r): PostQueueRow => ({
      id: Number(r.id),
      institutionName: locale === 'en' ? r.name_en : r.name_zh,
      inmateName: r.inmate_name,
      callNumber: r.call_number,
      applicantName: r.applicant_name,
      relationship: r.relationship,
      title: r.title,
      hasPhoto: r.has_photo,
      status: r.status,
      submittedAt: r.submitted_at,
      decidedAt: r.decided_at,
      deliveredAt: r.delivered_at,
    })),
  };
}

export type PostEvent = {
  action: 'submitted' | 'resubmitted' | 'approved' | 'rejected' | 'delivered';
  staffName: string | null;
  reason: string | null;
  at: Date;
};

export type PostCase = {
  id: number;
  version: number;
  status: PostStatus;
  title: string;
  body: string;
  hasPhoto: boolean;
  photoWidth: number | null;
  photoHeight: number | null;
  submittedAt: Date;
  decidedAt: Date | null;
  rejectionReason: string | null;
  deliveredAt: Date | null;
  institutionCode: string;
  institutionName: string;
  inmate: { name: string; callNumber: string };
  relationship: string;
  applicant: { id: number; name: string; email: string; mobile: string | null };
  /** every rejection of this applicant's posts, at any institution */
  rejectionCount: number;
  suspension: { id: number; endsAt: Date; institutionCode: string } | null;
  history: PostEvent[];
};

/** One post with what a reviewer needs, or null when it does not exist or is outside the scope. */
export async function getPostCase(
  db: Db,
  who: Viewer,
  id: number,
  locale: Locale,
  now: Date,
): Promise<PostCase | null> {
  assertMay(who, 'review');
  if (!isId(id)) return null;
  const { rows } = await db.query(
    `SELECT p.id, p.version, p.status, p.title, p.body, p.photo IS NOT NULL AS has_photo, p.photo_width, p.photo_height, p.submitted_at, p.decided_at,
            p.rejection_reason, p.delivered_at, p.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, a.relationship,
            x.id AS applicant_id, x.name AS applicant_name, x.email, x.mobile,
            (SELECT count(*)::int FROM contact_book_event e JOIN contact_book_post q ON q.id = e.post_id
              WHERE q.applicant_id = p.applicant_id AND e.action = 'rejected') AS rejections
       FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id JOIN applicant x ON x.id = p.applicant_id
       JOIN service_application a ON a.id = p.application_id JOIN institution i ON i.code = p.institution_code
      WHERE p.id = $1 AND ($2::char(4) IS NULL OR p.institution_code = $2)`,
    [id, who.institutionCode],
  );
  const r = rows[0];
  if (!r) return null;
  const events = await db.query(
    `SELECT e.action, s.name AS staff_name, e.reason, e.at FROM contact_book_event e LEFT JOIN staff s ON s.id = e.staff_id
      WHERE e.post_id = $1 ORDER BY e.at, e.id`,
    [id],
  );
  const active = await activeSuspension(db, Number(r.applicant_id), now);
  const suspension = active
    ? {
        ...active,
        institutionCode: (
          await db.query('SELECT institution_code FROM contact_book_suspension WHERE id = $1', [active.id])
        ).rows[0].institution_code as string,
      }
    : null;
  return {
    id: Number(r.id),
    version: r.version,
    status: r.status,
    title: r.title,
    body: r.body,
    hasPhoto: r.has_photo,
    photoWidth: r.photo_width,
    photoHeight: r.photo_height,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    rejectionReason: r.rejection_reason,
    deliveredAt: r.delivered_at,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    inmate: { name: r.inmate_name, callNumber: r.call_number },
    relationship: r.relationship,
    applicant: { id: Number(r.applicant_id), name: r.applicant_name, email: r.email, mobile: r.mobile },
    rejectionCount: r.rejections,
    suspension,
    history: events.rows.map((e) => ({
      action: e.action,
      staffName: e.staff_name,
      reason: reasonIn(e.reason, locale),
      at: e.at,
    })),
  };
}

const POSTS = {
  table: 'contact_book_post',
  events: { table: 'contact_book_event', key: 'post_id' },
  audit: 'contact_book_post',
  reasonKeys: 'postRejectReason',
} as const;

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
  who: Decider,
  now: Date,
): Promise<DecisionOutcome | 'reason_required'> {
  assertMay(who, 'review');
  return decideWithReason(pool, POSTS, postId, seenVersion, d, who, now, async (tx, decided) => {
    const view = await postMailView(tx, postId);
    // A rejection while posting is suspended (by this one, the third, or an earlier one) says when
    // posting opens again instead of inviting a correction that cannot be sent yet.
    const suspendedUntil =
      decided.status === 'rejected'
        ? ((await suspendAfterRejections(tx, view.applicantId, decided.institutionCode, who, now)) ??
          (await activeSuspension(tx, view.applicantId, now))?.endsAt ??
          null)
        : null;
    await enqueueMail(tx, postDecisionMail({ ...view, suspendedUntil }));
  });
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
