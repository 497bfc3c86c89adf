import type { Db } from '../platform/db.ts';

/**
 * The outbox and notification log. A notification is written in the same transaction as the action
 * that causes it, together with a delivery job; the worker sends it later, with retries, so an SMTP
 * outage delays mail but loses none.
 *
 * One-time links never reach this table: bodies hold a placeholder such as [[link]] and the real
 * value travels only in the job payload, which the worker deletes once the mail is delivered.
 */
export type MailToSend = {
  to: string;
  subject: string;
  text: string;
  html: string;
  applicantId?: number | null;
  institutionCode?: string | null;
  /** placeholder → secret value, filled in only at delivery time */
  secrets?: Record<string, string>;
};

export type SmsToSend = {
  to: string;
  /** what the notification log shows as its subject */
  subject: string;
  text: string;
  applicantId?: number | null;
  institutionCode?: string | null;
  /** placeholder → secret value (such as a video link), filled in only at delivery time */
  secrets?: Record<string, string>;
};

export const DELIVER_TASK = 'deliver_notification';
export const MAX_DELIVERY_ATTEMPTS = 12;

/** Logs the notification and adds its delivery job, in the caller's transaction. */
async function enqueue(
  db: Db,
  channel: 'email' | 'sms',
  n: {
    to: string;
    subject: string;
    text: string;
    html: string | null;
    applicantId?: number | null;
    institutionCode?: string | null;
    secrets?: Record<string, string>;
  },
): Promise<number> {
  // One round trip: the log row and its job together.
  const { rows } = await db.query<{ id: number }>(
    `WITH n AS (
       INSERT INTO notification (channel, institution_code, applicant_id, recipient, subject, body_text, body_html)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)
     SELECT n.id, graphile_worker.add_job($8, json_build_object('id', n.id, 'secrets', $9::json), max_attempts => $10) FROM n`,
    [
      channel,
      n.institutionCode ?? null,
      n.applicantId ?? null,
      n.to,
      n.subject,
      n.text,
      n.html,
      DELIVER_TASK,
      JSON.stringify(n.secrets ?? {}),
      MAX_DELIVERY_ATTEMPTS,
    ],
  );
  return rows[0]!.id;
}

export function enqueueMail(db: Db, mail: MailToSend): Promise<number> {
  return enqueue(db, 'email', mail);
}

/** An SMS into the same outbox as mail: logged now, delivered by the worker, retried when it fails. */
export function enqueueSms(db: Db, sms: SmsToSend): Promise<number> {
  return enqueue(db, 'sms', { ...sms, html: null });
}

/**
 * Mails logged with their delivery jobs as common table expressions of the caller's statement
 * (`notices`, then `notice_jobs`, which the statement must read: a CTE nobody reads never runs), so an
 * action and the mails it causes are one round trip: one INSERT … SELECT over arrays, whatever the
 * number of mails. Its parameters are appended to `params`. The ids are drawn first so that each job
 * carries its own mail's id and secrets.
 */
export function mailsCte(params: unknown[], mails: MailToSend[]): string {
  const p = (v: unknown) => `$${params.push(v)}`;
  const col = <T>(f: (m: MailToSend) => T) => p(mails.map(f));
  return `notice_rows AS (
       SELECT nextval(pg_get_serial_sequence('notification', 'id')) AS id, r.*
         FROM unnest(${col((m) => m.institutionCode ?? null)}::char(4)[], ${col((m) => m.applicantId ?? null)}::bigint[],
                     ${col((m) => m.to)}::text[], ${col((m) => m.subject)}::text[], ${col((m) => m.text)}::text[],
                     ${col((m) => m.html)}::text[], ${col((m) => JSON.stringify(m.secrets ?? {}))}::json[])
              AS r(institution_code, applicant_id, recipient, subject, body_text, body_html, secrets)),
     notices AS (
       INSERT INTO notification (id, channel, institution_code, applicant_id, recipient, subject, body_text, body_html)
       OVERRIDING SYSTEM VALUE
       SELECT id, 'email', institution_code, applicant_id, recipient, subject, body_text, body_html FROM notice_rows RETURNING id),
     notice_jobs AS (
       SELECT graphile_worker.add_job(${p(DELIVER_TASK)}, json_build_object('id', r.id, 'secrets', r.secrets),
                                      max_attempts => ${p(MAX_DELIVERY_ATTEMPTS)}::int) AS job
         FROM notice_rows r)`;
}

export function fillSecrets(body: string, secrets: Record<string, string>): string {
  let out = body;
  for (const [placeholder, value] of Object.entries(secrets)) out = out.split(placeholder).join(value);
  return out;
}
