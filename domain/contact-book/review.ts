import type pg from 'pg';
import { conditions, pageOf, withTransaction, type Db } from '../platform/db.ts';
import { recordStaffAction } from '../staff.ts';
import { activeSuspension, type PostReviewer, type PostStatus } from './posts.ts';

/**
 * The staff's side of the family contact book (seed 002 聯絡簿管理): the moderation queue, one post
 * with what a reviewer needs to judge it, the day's delivery sheet and suspensions. Every query takes
 * the staff member's scope (their institution, or null for an agency administrator).
 */

export const POST_QUEUE_PAGE_SIZE = 20;
export const POST_STATUSES: readonly PostStatus[] = ['pending', 'approved', 'rejected'];

export type PostQueueFilter = {
  institutionCode: string | null;
  callNumber: string | null;
  status: PostStatus | null;
  /** sent between these Asia/Taipei dates, inclusive (YYYY-MM-DD) */
  from: string | null;
  to: string | null;
  page: number;
};

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
export async function listPostQueue(db: Db, scope: string | null, f: PostQueueFilter, locale: 'zh-TW' | 'en') {
  const c = conditions();
  if (scope) c.add('p.institution_code = ?', scope);
  if (f.institutionCode) c.add('p.institution_code = ?', f.institutionCode);
  if (f.callNumber) c.add('m.call_number = ?', f.callNumber);
  if (f.status) c.add('p.status = ?', f.status);
  if (f.from) c.add(`p.submitted_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.from);
  if (f.to) c.add(`p.submitted_at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.to);
  const from = `FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id JOIN applicant x ON x.id = p.applicant_id
                JOIN service_application a ON a.id = p.application_id JOIN institution i ON i.code = p.institution_code ${c.sql()}`;
  const total = Number((await db.query<{ n: string }>(`SELECT count(*) AS n ${from}`, c.params)).rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, f.page, POST_QUEUE_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT p.id, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, x.name AS applicant_name, a.relationship, p.title,
            p.photo IS NOT NULL AS has_photo, p.status, p.submitted_at, p.decided_at, p.delivered_at
       ${from} ORDER BY (p.status = 'pending') DESC, p.submitted_at ASC, p.id ASC ${limitSql}`,
    c.params,
  );
  return {
    total,
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
  scope: string | null,
  id: number,
  locale: 'zh-TW' | 'en',
  now: Date,
): Promise<PostCase | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const { rows } = await db.query(
    `SELECT p.id, p.version, p.status, p.title, p.body, p.photo IS NOT NULL AS has_photo, p.photo_width, p.photo_height, p.submitted_at, p.decided_at,
            p.rejection_reason, p.delivered_at, p.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, a.relationship,
            x.id AS applicant_id, x.name AS applicant_name, x.email, x.mobile,
            (SELECT count(*)::int FROM contact_book_event e JOIN contact_book_post q ON q.id = e.post_id
              WHERE q.applicant_id = p.applicant_id AND e.action = 'rejected') AS rejections
       FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id JOIN applicant x ON x.id = p.applicant_id
       JOIN service_application a ON a.id = p.application_id JOIN institution i ON i.code = p.institution_code
      WHERE p.id = $1 AND ($2::char(4) IS NULL OR p.institution_code = $2)`,
    [id, scope],
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
    history: events.rows.map((e) => ({ action: e.action, staffName: e.staff_name, reason: e.reason, at: e.at })),
  };
}

export type DeliveryRow = {
  id: number;
  inmateName: string;
  callNumber: string;
  applicantName: string;
  relationship: string;
  title: string;
  body: string;
  hasPhoto: boolean;
  decidedAt: Date;
  deliveredAt: Date | null;
};

/** The posts approved on one Asia/Taipei day at one institution: the day's delivery sheet, by call number. */
export async function deliverySheet(
  db: Db,
  scope: string | null,
  institutionCode: string,
  date: string,
): Promise<DeliveryRow[]> {
  if (scope && scope !== institutionCode) return [];
  const { rows } = await db.query(
    `SELECT p.id, m.name AS inmate_name, m.call_number, x.name AS applicant_name, a.relationship, p.title, p.body, p.photo IS NOT NULL AS has_photo,
            p.decided_at, p.delivered_at
       FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id JOIN applicant x ON x.id = p.applicant_id
       JOIN service_application a ON a.id = p.application_id
      WHERE p.institution_code = $1 AND p.status = 'approved'
        AND p.decided_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Taipei' AND p.decided_at < (($2::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'
      ORDER BY m.call_number, p.decided_at, p.id`,
    [institutionCode, date],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    inmateName: r.inmate_name,
    callNumber: r.call_number,
    applicantName: r.applicant_name,
    relationship: r.relationship,
    title: r.title,
    body: r.body,
    hasPhoto: r.has_photo,
    decidedAt: r.decided_at,
    deliveredAt: r.delivered_at,
  }));
}

/**
 * Marks approved posts as handed to the inmate (已送達). Posts outside the scope, not approved or
 * already delivered are left alone; returns how many were marked.
 */
export async function markDelivered(pool: pg.Pool, postIds: number[], who: PostReviewer, now: Date): Promise<number> {
  const ids = [...new Set(postIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (!ids.length) return 0;
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string; institution_code: string }>(
      `UPDATE contact_book_post SET delivered_at = $2, delivered_by = $3, version = version + 1
        WHERE id = ANY($1::bigint[]) AND status = 'approved' AND delivered_at IS NULL AND ($4::char(4) IS NULL OR institution_code = $4)
        RETURNING id, institution_code`,
      [ids, now, who.staffId, who.institutionCode],
    );
    for (const r of rows) {
      await tx.query(
        `INSERT INTO contact_book_event (post_id, action, staff_id, at) VALUES ($1, 'delivered', $2, $3)`,
        [r.id, who.staffId, now],
      );
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'contact_book_post.delivered',
        objectType: 'contact_book_post',
        objectId: Number(r.id),
        institutionCode: r.institution_code,
        ip: who.ip,
        at: now,
      });
    }
    return rows.length;
  });
}

export type SuspensionRow = {
  id: number;
  applicantName: string;
  email: string;
  institutionCode: string;
  startsAt: Date;
  endsAt: Date;
};

/** Suspensions in force now that these staff may lift. */
export async function listSuspensions(db: Db, scope: string | null, now: Date): Promise<SuspensionRow[]> {
  const { rows } = await db.query(
    `SELECT s.id, x.name, x.email, s.institution_code, s.starts_at, s.ends_at FROM contact_book_suspension s JOIN applicant x ON x.id = s.applicant_id
      WHERE s.lifted_at IS NULL AND s.starts_at <= $1 AND s.ends_at > $1 AND ($2::char(4) IS NULL OR s.institution_code = $2)
      ORDER BY s.ends_at`,
    [now, scope],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    applicantName: r.name,
    email: r.email,
    institutionCode: r.institution_code,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}
