import { type Db, conditions, pageOf } from './platform/db.ts';
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

export type NotificationFilter = {
  institutionCode: string | null;
  /** words found in the recipient, subject or body */
  text: string | null;
  status: NotificationRow['status'] | null;
  channel: NotificationRow['channel'] | null;
  /** Asia/Taipei dates, inclusive */
  from: string | null;
  to: string | null;
  page: number;
};

export type NotificationLogEntry = NotificationRow & { institution_name: string | null };

/**
 * The notification log (seed 002): every mail and SMS the portal sent, newest first, with its
 * delivery status, for staff whose role has the 'notifications' task. Staff see only their institution's;
 * an agency administrator (scope null) sees all, including account mails that belong to no institution.
 */
export async function searchNotifications(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  f: NotificationFilter,
  locale: Locale,
): Promise<{ rows: NotificationLogEntry[]; total: number; page: number; pages: number }> {
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
  const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM notification n ${c.sql()}`, c.params);
  const total = Number(count.rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, f.page, LOG_PAGE_SIZE);
  const { rows } = await db.query<NotificationRow & { name_zh: string | null; name_en: string | null }>(
    `SELECT n.*, i.name_zh, i.name_en FROM notification n LEFT JOIN institution i ON i.code = n.institution_code ${c.sql()}
      ORDER BY n.created_at DESC, n.id DESC ${limitSql}`,
    c.params,
  );
  return {
    total,
    page,
    pages,
    rows: rows.map(({ name_zh, name_en, ...n }) => ({
      ...n,
      id: Number(n.id),
      institution_name: locale === 'en' ? name_en : name_zh,
    })),
  };
}
