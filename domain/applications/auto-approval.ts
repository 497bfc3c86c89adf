import type { Relationship, Service } from './vocabulary.ts';
import type { Db } from '../platform/db.ts';

/**
 * 自動審核通過 (seed 001's status table; PRODUCT.md's decisions): when the institution has switched it
 * on for the service, an application from an applicant who already holds an approved service for the
 * same inmate with the same relationship is approved at submission, by nobody. Staff already checked
 * that person's identity and relationship to this inmate once; the switch is per institution and
 * service, read at the moment of submission, and off unless an administrator turns it on.
 */

/** The approved application this one can rest on, or null when it must wait for a reviewer. */
export async function autoApprovalBasis(
  db: Db,
  a: {
    applicantId: number;
    inmateId: number;
    institutionCode: string;
    service: Service;
    relationship: Relationship | string;
  },
): Promise<number | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT b.id FROM institution i
       JOIN service_application b ON b.applicant_id = $1 AND b.inmate_id = $2 AND b.relationship = $4
                                 AND b.status IN ('approved', 'auto_approved')
      WHERE i.code = $3 AND $5 = ANY (i.auto_approve_services)
      ORDER BY b.decided_at, b.id LIMIT 1`,
    [a.applicantId, a.inmateId, a.institutionCode, a.relationship, a.service],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** Approves a just-submitted application at once; its history says 自動審核通過 and names the basis. */
export async function approveAutomatically(db: Db, applicationId: number, basisId: number, now: Date): Promise<void> {
  await db.query(
    `UPDATE service_application SET status = 'auto_approved', decided_at = $2, decided_by = NULL, version = version + 1
      WHERE id = $1 AND status = 'pending'`,
    [applicationId, now],
  );
  await db.query(
    `INSERT INTO application_event (application_id, action, basis_application_id, at) VALUES ($1, 'auto_approved', $2, $3)`,
    [applicationId, basisId, now],
  );
}
