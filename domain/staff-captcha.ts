import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from './platform/db.ts';
import { isUuid } from './shared/ids.ts';

/**
 * The back office sign-in's captcha (seed 002's 驗證碼). Each code shown is a row, used up by one
 * try in a single statement, so parallel posts carrying one solved code cannot each check a
 * password. Codes expire after 10 minutes.
 *
 * A captcha only slows scripts down: the per-account and per-address limits and argon2 carry the
 * weight. The accessible form (digits read out as words) is as readable to a script as to a screen
 * reader, which is the price of letting a blind member of staff sign in.
 */
export type CaptchaMode = 'image' | 'text';
export const CAPTCHA_MINUTES = 10;

// No 0/O, 1/I/L: characters that cannot be confused with one another (the seed shows "5K2T").
const IMAGE_CHARS = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export async function issueCaptcha(
  db: Db,
  mode: CaptchaMode,
  now: Date,
): Promise<{ id: string; mode: CaptchaMode; answer: string }> {
  const chars = mode === 'image' ? IMAGE_CHARS : '0123456789';
  const answer = Array.from({ length: mode === 'image' ? 4 : 5 }, () => chars[randomInt(chars.length)]).join('');
  const id = randomUUID();
  await db.query('DELETE FROM staff_captcha WHERE expires_at < $1', [now]);
  await db.query('INSERT INTO staff_captcha (id, answer, mode, expires_at) VALUES ($1, $2, $3, $4)', [
    id,
    answer,
    mode,
    new Date(now.getTime() + CAPTCHA_MINUTES * 60_000),
  ]);
  return { id, mode, answer };
}

/** A code still valid, to draw it; it is not used up by being shown. */
export async function readCaptcha(
  db: Db,
  id: string,
  now: Date,
): Promise<{ answer: string; mode: CaptchaMode } | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<{ answer: string; mode: CaptchaMode }>(
    'SELECT answer, mode FROM staff_captcha WHERE id = $1 AND expires_at > $2',
    [id, now],
  );
  return rows[0] ?? null;
}

/** Checks and uses up a code in one statement: whatever the answer, a second try needs a new code. */
export async function takeCaptcha(db: Db, id: string, given: string, now: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rows } = await db.query<{ answer: string; expires_at: Date }>(
    'DELETE FROM staff_captcha WHERE id = $1 RETURNING answer, expires_at',
    [id],
  );
  const row = rows[0];
  if (!row || row.expires_at <= now) return false;
  // Full-width characters from a phone keyboard and lower case count as the same answer.
  const typed = given.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return typed.length > 0 && typed === row.answer;
}
