import type pg from 'pg';
import { type Db, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import type { Decider } from '../shared/decisions.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';

/** The day's delivery sheet (送達) of approved posts, and marking them handed over. */

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
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  institutionCode: string,
  date: string,
): Promise<DeliveryRow[]> {
  assertMay(who, 'delivery');
  if (!inScope(who, institutionCode)) return [];
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
export async function markDelivered(pool: pg.Pool, postIds: number[], who: Decider, now: Date): Promise<number> {
  assertMay(who, 'delivery');
  const ids = [...new Set(postIds.filter(isId))];
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
