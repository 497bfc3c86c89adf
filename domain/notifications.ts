import { type Db, conditions } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';
import { assertMay, type StaffActor } from './shared/staff-actor.ts';

/** The notification log: each mail's and SMS's delivery state, the staff's log of them, the dev mailbox. */

export type NotificationRow = {
  id: number;
  channel: 'email' | 'sms';
  institution_code: string | null;
  applicant_id: number | null;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  status: 'queued' | 'sent' | 'failed' | 'recorded';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
};

/** No SMS gateway is configured: the message stays in the log as recorded, not sent. */
export async function markRecorded(db: Db, id: number, now: Date): Promise<void> {
  await db.query(`UPDATE notification SET status = 'recorded', sent_at = $2 WHERE id = $1`, [id, now]);
}

export async function getNotification(db: Db, id: number): Promise<NotificationRow | null> {
  const { rows } = await db.query<NotificationRow>('SELECT * FROM notification WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function markSent(db: Db, id: number, now: Date): Promise<void> {
  await db.query(
    `UPDATE notification SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`,
    [id, now],
  );
}

export async function markAttemptFailed(db: Db, id: number, error: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE notification SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`,
    [id, error.slice(0, 500), final],
  );
}

export type DevMail = { id: number; recipient: string; subject: string; bodyText: string; receivedAt: Date };

export async function storeDevMail(
  db: Db,
  m: { to: string; subject: string; text: string; html: string },
): Promise<void> {
  await db.query('INSERT INTO dev_mailbox (recipient, subject, body_text, body_html) VALUES ($1, $2, $3, $4)', [
    m.to,
    m.subject,
    m.text,
    m.html,
  ]);
}

export async function listDevMail(db: Db, limit = 50): Promise<DevMail[]> {
  const { rows } = await db.query<{
    id: number;
    recipient: string;
    subject: string;
    body_text: string;
    received_at: Date;
  }>('SELECT id, recipient, subject, body_text, received_at FROM dev_mailbox ORDER BY id DESC LIMIT $1', [limit]);
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient,
    subject: r.subject,
    bodyText: r.body_text,
    receivedAt: r.received_at,
  }));
}

export const LOG_PAGE_SIZE = 20;
/** The log counts matching rows up to this many, then says "more than" (a full count of a million rows takes too long). */
export const LOG_COUNT_CAP = 1000;

/**
 * A place in the log, newest first: a row's created_at (to the microsecond, in UTC) and id, written
 * `2026-11-27T08:15:00.123456Z_1234`. `before` asks for the page of older rows, `after` for newer ones.
 */
export type LogCursor = { dir: 'before' | 'after'; at: string; id: string };

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([1-9]\d{0,17})$/;

/** A cursor from the query string, or null for anything that is not one (the first page then). */
export function readLogCursor(dir: 'before' | 'after', value: unknown): LogCursor | null {
  const m = typeof value === 'string' ? CURSOR.exec(value) : null;
  if (!m) return null;
  const at = m[1]!;
  const date = new Date(at.slice(0, 23) + 'Z');
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== at.slice(0, 19)) return null;
  return { dir, at, id: m[2]! };
}

export type NotificationFilter = {
  institutionCode: string | null;
  /** words found in the recipient, subject or body */
  text: string | null;
  status: NotificationRow['status'] | null;
  channel: NotificationRow['channel'] | null;
  /** Asia/Taipei dates, inclusive */
  from: string | null;
  to: string | null;
  /** null: the newest page */
  cursor: LogCursor | null;
};

export type NotificationLogEntry = NotificationRow & { institution_name: string | null };

export type NotificationLog = {
  rows: NotificationLogEntry[];
  /** matching rows, counted up to LOG_COUNT_CAP; `capped` when there are more */
  total: number;
  capped: boolean;
  /** the cursor value (for `before=`) of the page of older rows, and (for `after=`) of newer rows; null when none */
  older: string | null;
  newer: string | null;
};

/**
 * The notification log (seed 002): every mail and SMS the portal sent, newest first, with its
 * delivery status, for staff whose role has the 'notifications' task. Staff see only their institution's;
 * an agency administrator (scope null) sees all, including account mails that belong to no institution.
 * Pages go by keyset on (created_at, id), so a page deep in a million rows costs what the first does,
 * and rows sharing a timestamp are neither skipped nor repeated; the count stops at LOG_COUNT_CAP.
 */
export async function searchNotifications(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  f: NotificationFilter,
  locale: Locale,
): Promise<NotificationLog> {
  assertMay(who, 'notifications');
  const c = conditions();
  if (who.institutionCode) c.add('n.institution_code = ?', who.institutionCode);
  if (f.institutionCode) c.add('n.institution_code = ?', f.institutionCode);
  if (f.status) c.add('n.status = ?', f.status);
  if (f.channel) c.add('n.channel = ?', f.channel);
  if (f.text)
    c.add(
      `(n.recipient ILIKE ? OR n.subject ILIKE ? OR n.body_text ILIKE ?)`,
      `%${f.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
    );
  if (f.from) c.add(`n.created_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.from);
  if (f.to) c.add(`n.created_at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.to);
  const count = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM notification n ${c.sql()} LIMIT ${LOG_COUNT_CAP + 1}) x`,
    c.params,
  );
  const counted = count.rows[0]!.n;
  const page = (cursor: LogCursor | null) => {
    const params = cursor ? [...c.params, cursor.at, cursor.id] : c.params;
    const where = cursor
      ? `${c.sql() ? `${c.sql()} AND` : 'WHERE'} (n.created_at, n.id) ${cursor.dir === 'before' ? '<' : '>'} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`
      : c.sql();
    const order = cursor?.dir === 'after' ? 'ASC' : 'DESC';
    return db.query<NotificationRow & { name_zh: string | null; name_en: string | null; cursor: string }>(
      `SELECT n.*, i.name_zh, i.name_en,
              to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || n.id AS cursor
         FROM notification n LEFT JOIN institution i ON i.code = n.institution_code ${where}
        ORDER BY n.created_at ${order}, n.id ${order} LIMIT ${LOG_PAGE_SIZE + 1}`,
      params,
    );
  };
  let cursor = f.cursor;
  let { rows } = await page(cursor);
  if (cursor?.dir === 'after') {
    // Newer rows: fetched oldest first. Short of a whole page more, this is the newest page: show that.
    if (rows.length <= LOG_PAGE_SIZE) {
      cursor = null;
      rows = (await page(null)).rows;
    } else rows = rows.slice(0, LOG_PAGE_SIZE).reverse();
  }
  const more = cursor?.dir !== 'after' && rows.length > LOG_PAGE_SIZE;
  if (cursor?.dir !== 'after') rows = rows.slice(0, LOG_PAGE_SIZE);
  const first = rows[0]?.cursor ?? null;
  const last = rows.at(-1)?.cursor ?? null;
  return {
    total: Math.min(counted, LOG_COUNT_CAP),
    capped: counted > LOG_COUNT_CAP,
    // After an `after` page there are older rows (the ones it came from); before one, newer ones.
    older: cursor?.dir === 'after' || more ? last : null,
    newer: cursor ? first : null,
    rows: rows.map(({ name_zh, name_en, cursor: _cursor, ...n }) => ({
      ...n,
      id: Number(n.id),
      institution_name: locale === 'en' ? name_en : name_zh,
    })),
  };
}
