import type { Db } from '../platform/db.ts';

/** The audit log (稽核紀錄): every staff action that changes something, with who, where from and on what. */
export async function recordStaffAction(
  db: Db,
  a: {
    /** null: the admin command, run by nobody signed in */
    staffId: number | null;
    action: string;
    objectType: string;
    objectId?: number | null;
    institutionCode?: string | null;
    ip: string | null;
    details?: object;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (staff_id, action, object_type, object_id, institution_code, ip, details, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      a.staffId,
      a.action,
      a.objectType,
      a.objectId ?? null,
      a.institutionCode ?? null,
      a.ip,
      JSON.stringify(a.details ?? {}),
      a.at,
    ],
  );
}
