import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Db } from '../platform/db.ts';
import { hashToken, newToken } from '../platform/tokens.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { isUuid } from '../shared/ids.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import type { RegisterRow } from './register-file.ts';

/**
 * A checked upload, kept server-side until it is applied: the preview and the apply read the same rows,
 * by an unguessable id, so what is applied is exactly the file previewed.
 */
export type RegisterUpload = {
  id: string;
  institutionCode: string;
  fileName: string;
  encoding: 'utf-8' | 'big5';
  rows: RegisterRow[];
  createdAt: Date;
  appliedAt: Date | null;
};

/** Uploads (and the names they hold) are dropped after a day, applied or not: the audit log keeps what changed. */
const UPLOAD_KEPT_HOURS = 24;

export async function saveRegisterUpload(
  db: Db,
  actor: StaffActor,
  u: { institutionCode: string; fileName: string; bytes: Buffer; encoding: 'utf-8' | 'big5'; rows: RegisterRow[] },
  now: Date,
): Promise<string | null> {
  assertMay(actor, 'inmate_register');
  if (!inScope(actor, u.institutionCode)) return null;
  await db.query(`DELETE FROM inmate_register_upload WHERE created_at < $1::timestamptz - make_interval(hours => $2)`, [
    now,
    UPLOAD_KEPT_HOURS,
  ]);
  const id = randomUUID();
  await db.query(
    `INSERT INTO inmate_register_upload (id, institution_code, staff_id, file_name, sha256, encoding, rows, row_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      u.institutionCode,
      actor.staffId,
      u.fileName.slice(0, 255) || 'register.csv',
      createHash('sha256').update(u.bytes).digest(),
      u.encoding,
      JSON.stringify(u.rows),
      u.rows.length,
      now,
    ],
  );
  return id;
}

/** An upload within the actor's scope, or null (another institution's is not found). */
export async function getRegisterUpload(db: Db, actor: StaffActor, id: string): Promise<RegisterUpload | null> {
  assertMay(actor, 'inmate_register');
  if (!isUuid(id)) return null;
  const { rows } = await db.query<{
    id: string;
    institution_code: string;
    file_name: string;
    encoding: 'utf-8' | 'big5';
    rows: RegisterRow[];
    created_at: Date;
    applied_at: Date | null;
  }>(
    'SELECT id, institution_code, file_name, encoding, rows, created_at, applied_at FROM inmate_register_upload WHERE id = $1',
    [id],
  );
  const r = rows[0];
  if (!r || !inScope(actor, r.institution_code)) return null;
  return {
    id: r.id,
    institutionCode: r.institution_code,
    fileName: r.file_name,
    encoding: r.encoding,
    rows: r.rows,
    createdAt: r.created_at,
    appliedAt: r.applied_at,
  };
}

export type RegisterTokenStatus = { createdAt: Date; createdBy: string; lastUsedAt: Date | null } | null;

/** The institution's push token in force (when it was made, by whom, last used), never the token itself. */
export async function registerTokenStatus(
  db: Db,
  actor: StaffActor,
  institutionCode: string,
): Promise<RegisterTokenStatus> {
  assertMay(actor, 'inmate_register');
  if (!inScope(actor, institutionCode)) return null;
  const { rows } = await db.query<{ created_at: Date; name: string; last_used_at: Date | null }>(
    `SELECT t.created_at, s.name, t.last_used_at FROM inmate_register_token t JOIN staff s ON s.id = t.created_by
      WHERE t.institution_code = $1 AND t.revoked_at IS NULL`,
    [institutionCode],
  );
  const r = rows[0];
  return r ? { createdAt: r.created_at, createdBy: r.name, lastUsedAt: r.last_used_at } : null;
}

/**
 * A new push token for the institution, replacing the one in force. Returned once, here; only its
 * SHA-256 is stored. Null when the institution is outside the actor's scope.
 */
export async function createRegisterToken(
  pool: pg.Pool,
  actor: StaffActor,
  institutionCode: string,
  now: Date,
): Promise<string | null> {
  assertMay(actor, 'inmate_register');
  if (!inScope(actor, institutionCode)) return null;
  const { token, hash } = newToken();
  await withTransaction(pool, async (tx) => {
    await revokeIn(tx, actor, institutionCode, now);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO inmate_register_token (institution_code, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [institutionCode, hash, actor.staffId, now],
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'inmate_register.token_created',
      objectType: 'inmate_register_token',
      objectId: Number(rows[0]!.id),
      institutionCode,
      ip: actor.ip,
      at: now,
    });
  });
  return token;
}

async function revokeIn(tx: Db, actor: StaffActor, institutionCode: string, now: Date): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE inmate_register_token SET revoked_at = $2, revoked_by = $3 WHERE institution_code = $1 AND revoked_at IS NULL RETURNING id`,
    [institutionCode, now, actor.staffId],
  );
  for (const r of rows)
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'inmate_register.token_revoked',
      objectType: 'inmate_register_token',
      objectId: Number(r.id),
      institutionCode,
      ip: actor.ip,
      at: now,
    });
  return rows.length > 0;
}

/** Revokes the institution's push token; false when there was none (or it is outside the scope). */
export async function revokeRegisterToken(
  pool: pg.Pool,
  actor: StaffActor,
  institutionCode: string,
  now: Date,
): Promise<boolean> {
  assertMay(actor, 'inmate_register');
  if (!inScope(actor, institutionCode)) return false;
  return withTransaction(pool, (tx) => revokeIn(tx, actor, institutionCode, now));
}

/** The institution a presented token pushes for, or null (unknown or revoked). Notes its use. */
export async function authenticateRegisterToken(
  db: Db,
  token: string,
  now: Date,
): Promise<{ tokenId: number; institutionCode: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const { rows } = await db.query<{ id: string; institution_code: string }>(
    `UPDATE inmate_register_token SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, institution_code`,
    [hashToken(token), now],
  );
  const r = rows[0];
  return r ? { tokenId: Number(r.id), institutionCode: r.institution_code } : null;
}
