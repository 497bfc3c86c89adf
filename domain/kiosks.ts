import type pg from 'pg';
import { withTransaction, type Db } from './platform/db.ts';
import { hashToken, newToken } from './platform/tokens.ts';
import { assertMay, inScope, type StaffActor } from './shared/staff-actor.ts';
import { recordStaffAction } from './shared/audit.ts';
import { listInstitutions, type Institution } from './institutions.ts';
import type { Locale } from './shared/locale.ts';
import { withoutInvisible } from './shared/plain-text.ts';

/**
 * 服務機 (issue 13): a waiting-room terminal turned into a kiosk of one institution. An administrator
 * makes a one-time enrolment link (valid ENROL_LINK_MINUTES); opening it on the terminal gives it a
 * long-lived cookie. Only the SHA-256 of either token is stored. A revoked kiosk's cookie does nothing.
 */
export const ENROL_LINK_MINUTES = 60;
export const KIOSK_NAME_MAX = 40;
/** The last use is written at most this often per kiosk. */
export const LAST_USE_EVERY_MS = 60_000;

export type Kiosk = { id: number; institutionCode: string; name: string };

export type KioskRecord = Kiosk & {
  institutionName: string;
  createdAt: Date;
  enrolExpiresAt: Date;
  enrolledAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** waiting: link not used yet; expired: link unused and past; active; revoked */
  state: 'waiting' | 'expired' | 'active' | 'revoked';
};

export type CreateKioskResult =
  | { kind: 'created'; id: number; token: string; expiresAt: Date }
  | { kind: 'invalid'; problems: { name?: 'required' | 'too_long'; institutionCode?: 'required' } }
  | { kind: 'not_found' };

/** A new kiosk waiting for its terminal, with the one-time link's token (shown once, never stored). */
export async function createKioskLink(
  pool: pg.Pool,
  actor: StaffActor,
  input: { institutionCode: string; name: string },
  now: Date,
): Promise<CreateKioskResult> {
  assertMay(actor, 'kiosks');
  // Invisible characters (zero-width spaces, bidi controls) are dropped: a name of only those is no name.
  const name = withoutInvisible(input.name).trim().replace(/\s+/g, ' ');
  // An institution named outside the actor's scope is not found; an administrator's own is the default.
  const named = input.institutionCode.trim();
  if (named && !inScope(actor, named)) return { kind: 'not_found' };
  const code = actor.institutionCode ?? named;
  const problems: Extract<CreateKioskResult, { kind: 'invalid' }>['problems'] = {};
  if (!name) problems.name = 'required';
  else if ([...name].length > KIOSK_NAME_MAX) problems.name = 'too_long';
  if (!code) problems.institutionCode = 'required';
  if (Object.keys(problems).length) return { kind: 'invalid', problems };
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + ENROL_LINK_MINUTES * 60_000);
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO kiosk (institution_code, name, enrol_token_hash, enrol_expires_at, created_by, created_at)
       SELECT code, $2, $3, $4, $5, $6 FROM institution WHERE code = $1 RETURNING id`,
      [code, name, hash, expiresAt, actor.staffId, now],
    );
    if (!rows[0]) return { kind: 'not_found' } as const;
    const id = Number(rows[0].id);
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'kiosk.link_created',
      objectType: 'kiosk',
      objectId: id,
      institutionCode: code,
      ip: actor.ip,
      details: { name, expiresAt: expiresAt.toISOString() },
      at: now,
    });
    return { kind: 'created', id, token, expiresAt } as const;
  });
}

/**
 * Uses an enrolment link: the kiosk gets its cookie token (returned once) and the link is spent.
 * Null for a link unknown, used, expired or of a revoked kiosk.
 */
export async function enrolKiosk(
  db: Db,
  enrolToken: string,
  now: Date,
): Promise<{ kiosk: Kiosk; cookieToken: string } | null> {
  if (!enrolToken) return null;
  const { token, hash } = newToken();
  const { rows } = await db.query<{ id: string; institution_code: string; name: string }>(
    `UPDATE kiosk SET enrol_token_hash = NULL, token_hash = $2, enrolled_at = $3, last_used_at = $3
      WHERE enrol_token_hash = $1 AND enrol_expires_at > $3 AND revoked_at IS NULL
      RETURNING id, institution_code, name`,
    [hashToken(enrolToken), hash, now],
  );
  const r = rows[0];
  return r
    ? { kiosk: { id: Number(r.id), institutionCode: r.institution_code, name: r.name }, cookieToken: token }
    : null;
}

/** Whether an enrolment link is still usable (the page before the terminal is enrolled). */
export async function enrolLinkValid(db: Db, enrolToken: string, now: Date): Promise<{ name: string } | null> {
  if (!enrolToken) return null;
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM kiosk WHERE enrol_token_hash = $1 AND enrol_expires_at > $2 AND revoked_at IS NULL`,
    [hashToken(enrolToken), now],
  );
  return rows[0] ?? null;
}

/**
 * The kiosk a cookie belongs to, if enrolled and not revoked; its last use is moved to now when it is
 * at least a minute old (so a busy kiosk costs one write a minute, not one per page).
 */
export async function kioskByCookie(db: Db, cookieToken: string, now: Date): Promise<Kiosk | null> {
  if (!cookieToken) return null;
  const { rows } = await db.query<{ id: string; institution_code: string; name: string; last_used_at: Date | null }>(
    `SELECT id, institution_code, name, last_used_at FROM kiosk WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashToken(cookieToken)],
  );
  const r = rows[0];
  if (!r) return null;
  if (!r.last_used_at || now.getTime() - r.last_used_at.getTime() >= LAST_USE_EVERY_MS)
    await db.query(
      `UPDATE kiosk SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`,
      [r.id, now, new Date(now.getTime() - LAST_USE_EVERY_MS)],
    );
  return { id: Number(r.id), institutionCode: r.institution_code, name: r.name };
}

type KioskRow = {
  id: string;
  institution_code: string;
  name: string;
  name_zh: string;
  name_en: string;
  created_at: Date;
  enrol_expires_at: Date;
  enrolled_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

/** The kiosks of the actor's scope (an agency administrator: every one), newest first. */
export async function listKiosks(db: Db, actor: StaffActor, locale: Locale, now: Date): Promise<KioskRecord[]> {
  assertMay(actor, 'kiosks');
  const { rows } = await db.query<KioskRow>(
    `SELECT k.id, k.institution_code, k.name, i.name_zh, i.name_en, k.created_at, k.enrol_expires_at, k.enrolled_at,
            k.last_used_at, k.revoked_at
       FROM kiosk k JOIN institution i ON i.code = k.institution_code
      WHERE $1::text IS NULL OR k.institution_code = $1
      ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC LIMIT 500`,
    [actor.institutionCode],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    institutionCode: r.institution_code,
    name: r.name,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    createdAt: r.created_at,
    enrolExpiresAt: r.enrol_expires_at,
    enrolledAt: r.enrolled_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    state: r.revoked_at
      ? 'revoked'
      : r.enrolled_at
        ? 'active'
        : r.enrol_expires_at.getTime() > now.getTime()
          ? 'waiting'
          : 'expired',
  }));
}

/**
 * A new one-time link for a kiosk of the actor's scope whose terminal is not enrolled yet, for the link's
 * page (the kiosk was just made, or the page is shown again: a reload, the back button). Any link before
 * stops working; only the hash of the new one is stored. A link shown again is audited as made again (the
 * first showing is the kiosk's creation, audited then). Null: not found, out of scope, enrolled or revoked.
 */
export async function renewKioskLink(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  now: Date,
  shownBefore: boolean,
): Promise<{ token: string; expiresAt: Date; name: string } | null> {
  assertMay(actor, 'kiosks');
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + ENROL_LINK_MINUTES * 60_000);
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ name: string; institution_code: string }>(
      `UPDATE kiosk SET enrol_token_hash = $2, enrol_expires_at = $3
        WHERE id = $1 AND enrolled_at IS NULL AND revoked_at IS NULL AND ($4::text IS NULL OR institution_code = $4)
        RETURNING name, institution_code`,
      [id, hash, expiresAt, actor.institutionCode],
    );
    const k = rows[0];
    if (!k) return null;
    if (shownBefore)
      await recordStaffAction(tx, {
        staffId: actor.staffId,
        action: 'kiosk.link_renewed',
        objectType: 'kiosk',
        objectId: id,
        institutionCode: k.institution_code,
        ip: actor.ip,
        details: { name: k.name, expiresAt: expiresAt.toISOString() },
        at: now,
      });
    return { token, expiresAt, name: k.name };
  });
}

/** Revokes a kiosk of the actor's scope (its cookie and any unused link stop working). False: not found. */
export async function revokeKiosk(pool: pg.Pool, actor: StaffActor, id: number, now: Date): Promise<boolean> {
  assertMay(actor, 'kiosks');
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string; name: string; revoked_at: Date | null }>(
      `SELECT institution_code, name, revoked_at FROM kiosk WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const k = rows[0];
    if (!k || !inScope(actor, k.institution_code)) return false;
    if (k.revoked_at) return true;
    await tx.query(`UPDATE kiosk SET revoked_at = $2, revoked_by = $3, enrol_token_hash = NULL WHERE id = $1`, [
      id,
      now,
      actor.staffId,
    ]);
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'kiosk.revoked',
      objectType: 'kiosk',
      objectId: id,
      institutionCode: k.institution_code,
      ip: actor.ip,
      details: { name: k.name },
      at: now,
    });
    return true;
  });
}

/** The institution a kiosk stands in, in the reader's language: its visiting information comes first. */
export async function kioskInstitution(db: Db, kiosk: Kiosk, locale: Locale): Promise<Institution | null> {
  return (await listInstitutions(db, locale)).find((i) => i.code === kiosk.institutionCode) ?? null;
}
