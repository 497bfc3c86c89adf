import type pg from 'pg';
import { REJECTIONS_BEFORE_SUSPENSION, SUSPENSION_MONTHS } from './vocabulary.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import type { Decider } from '../shared/decisions.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';

/** Posting suspended after repeated rejections (seed 000 §三(四)), and lifted early by staff. */

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

/** Rejections count since the end of the applicant's last suspension (or lifting); the third suspends. */
export async function suspendAfterRejections(
  tx: Db,
  applicantId: number,
  institutionCode: string,
  who: Decider,
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

/** Staff who review posts lift a suspension early (their institution's, or any for the agency). */
export async function liftSuspension(pool: pg.Pool, suspensionId: number, who: Decider, now: Date): Promise<boolean> {
  assertMay(who, 'review');
  if (!isId(suspensionId)) return false;
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

export type SuspensionRow = {
  id: number;
  applicantName: string;
  email: string;
  institutionCode: string;
  startsAt: Date;
  endsAt: Date;
};

/** Suspensions in force now that these staff may lift. */
export async function listSuspensions(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  now: Date,
): Promise<SuspensionRow[]> {
  assertMay(who, 'review');
  const { rows } = await db.query(
    `SELECT s.id, x.name, x.email, s.institution_code, s.starts_at, s.ends_at FROM contact_book_suspension s JOIN applicant x ON x.id = s.applicant_id
      WHERE s.lifted_at IS NULL AND s.starts_at <= $1 AND s.ends_at > $1 AND ($2::char(4) IS NULL OR s.institution_code = $2)
      ORDER BY s.ends_at`,
    [now, who.institutionCode],
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
