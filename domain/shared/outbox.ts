import type pg from 'pg';
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
 * Mails logged as common table expressions of the caller's statement (`notices`, then `notice_jobs`,
 * which the statement must read), so an action and the mails it causes are one round trip: one INSERT …
 * SELECT over arrays, whatever the number of mails. Its parameters are appended to `params`. The mails
 * wait in notification_outbox with their secrets for their delivery jobs, which the dispatcher adds in
 * batches (migrations/027): after the statement commits, call mailsWritten(). The ids are drawn first
 * so that each waiting row carries its own mail's id and secrets.
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
       INSERT INTO notification_outbox (notification_id, secrets) SELECT id, secrets FROM notice_rows RETURNING notification_id)`;
}

/** The most mails one dispatching statement moves into jobs. */
export const DISPATCH_BATCH = 500;
/** How long the dispatcher waits after a kick, gathering the mails of other bookings made meanwhile. */
export const DISPATCH_DELAY_MS = 100;

/**
 * Moves up to DISPATCH_BATCH mails waiting in notification_outbox into their delivery jobs, oldest
 * first, in one statement: the waiting rows are deleted and the jobs added together (graphile-worker's
 * add_jobs, one call for the batch; its documentation still calls it experimental, so
 * test/domain/outbox-dispatch.test.ts runs it against the installed version), or neither. Rows another
 * dispatcher holds are skipped, so instances dispatching at once never give a mail two jobs. Returns
 * how many it moved.
 */
export async function dispatchWaitingMails(db: Db): Promise<number> {
  const { rows } = await db.query<{ moved: number }>({
    name: 'notification_outbox_dispatch',
    text: `WITH taken AS (
             DELETE FROM notification_outbox o
              WHERE o.notification_id IN (SELECT notification_id FROM notification_outbox ORDER BY notification_id
                                           LIMIT $3 FOR UPDATE SKIP LOCKED)
              RETURNING o.notification_id, o.secrets),
           specs AS (
             SELECT array_agg(ROW($1::text, json_build_object('id', t.notification_id, 'secrets', t.secrets), NULL, NULL,
                                  $2::smallint, NULL, NULL, NULL)::graphile_worker.job_spec ORDER BY t.notification_id) AS list
               FROM taken t)
           SELECT (SELECT count(*) FROM specs CROSS JOIN LATERAL graphile_worker.add_jobs(specs.list) WHERE specs.list IS NOT NULL)::int AS moved`,
    values: [DELIVER_TASK, MAX_DELIVERY_ATTEMPTS, DISPATCH_BATCH],
  });
  return rows[0]!.moved;
}

const dispatchers = new Set<() => void>();

/**
 * To call once a statement built with mailsCte has committed: this process's dispatcher (started with
 * the worker) moves the waiting mails into jobs shortly. Without one nothing happens here, and the mails
 * wait for any instance's dispatcher, which also looks every few seconds.
 */
export function mailsWritten(): void {
  for (const kick of dispatchers) kick();
}

/**
 * The dispatcher of one process: it runs DISPATCH_DELAY_MS after mailsWritten() (so a rush of bookings
 * is moved in a few batches, not one statement each), every `everyMs` in any case (mails written by an
 * instance that stopped before dispatching), once at start, and once more when stopped. One run at a
 * time; a kick during a run runs it again after.
 */
export function startMailDispatcher(
  pool: pg.Pool,
  onError: (err: Error) => void,
  everyMs = 10_000,
): { stop: () => Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  /** Batch after batch until one is not full (or, while running, until stopped). */
  const moveAll = async (untilStopped: boolean) => {
    while ((await dispatchWaitingMails(pool)) === DISPATCH_BATCH && !(untilStopped && stopped));
  };
  const work = async () => {
    try {
      do {
        again = false;
        await moveAll(true);
      } while (again && !stopped);
    } catch (err) {
      onError(err as Error);
    } finally {
      // In the same turn as the last look at `again`: a kick from now on starts a new run.
      current = undefined;
    }
  };
  const run = () => {
    if (current) again = true;
    else if (!stopped) current = work();
  };
  const kick = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, DISPATCH_DELAY_MS);
  };
  dispatchers.add(kick);
  const sweep = setInterval(run, everyMs);
  sweep.unref();
  run();
  return {
    // Stopping moves what is still waiting first, so a graceful stop leaves no mail for the sweep.
    stop: async () => {
      stopped = true;
      dispatchers.delete(kick);
      clearInterval(sweep);
      clearTimeout(timer);
      await current;
      try {
        await moveAll(false);
      } catch (err) {
        onError(err as Error);
      }
    },
  };
}

export function fillSecrets(body: string, secrets: Record<string, string>): string {
  let out = body;
  for (const [placeholder, value] of Object.entries(secrets)) out = out.split(placeholder).join(value);
  return out;
}
