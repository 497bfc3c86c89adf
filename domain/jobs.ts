import type { Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from './platform/logger.ts';
import type { MailTransport } from './platform/mailer.ts';
import type { Clock } from './platform/clock.ts';
import { SmsRefused, type SmsSender } from './platform/sms.ts';
import { DEFAULT_RECOVERY, runWorker, type Recovery } from './platform/worker.ts';
import { getNotification, markAttemptFailed, markRecorded, markSent } from './notifications.ts';
import { DELIVER_TASK, fillSecrets, startMailDispatcher } from './shared/outbox.ts';
import { DRAFT_LIFETIME_HOURS, purgeOldUploads } from './applications/drafts.ts';
import { purgeOldPhotoDrafts } from './contact-book/photos.ts';
import { purgeExpiredRegistrations } from './applicants/registration.ts';
import { purgeExpiredHolds } from './bookings/holds.ts';
import { LINK_REQUEST_TASK, mailQueuedLink, type LinkRequest } from './applicants/links.ts';
import { applyRetention } from './retention.ts';
import { DEFAULT_RETENTION_YEARS } from './platform/config.ts';

export const RETENTION_TASK = 'apply_retention';

/**
 * A delivery that has not ended after this long counts as failed and is retried with back-off. It keeps
 * every task well inside the worker's stale-lock limit (platform/worker.ts), so only a dead process's
 * jobs are ever released to run again.
 */
export const TASK_LIMIT_MS = 60_000;

function withinTaskLimit<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TASK_LIMIT_MS / 1000} s`)), TASK_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * The background jobs: delivering notifications (mail, SMS), the link requests of "forgot password" and
 * "send the link again", purging old upload drafts and expired unconfirmed registrations.
 */
export async function startWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  transport: MailTransport;
  /** null: no SMS gateway, text messages are only recorded in the log */
  sms?: SmsSender | null;
  clock: Clock;
  pollInterval?: number;
  recovery?: Recovery;
  /** documents and photos of decided cases are deleted after this many years */
  retentionYears?: number;
}): Promise<Runner> {
  const { pool, logger, transport, clock } = opts;
  const sms = opts.sms ?? null;
  const runner = await runWorker({
    pool,
    logger,
    pollInterval: opts.pollInterval,
    recovery: opts.recovery,
    // Unsent forms' files (ID documents) are not kept beyond a day.
    // Unconfirmed accounts expire a day after registration, freeing their ID number and address.
    // Retention runs hourly, so an erased family's outcome mail keeps its address an hour at most.
    crontab: `15 * * * * purge_upload_drafts\n20 * * * * purge_expired_registrations\n40 * * * * ${RETENTION_TASK}`,
    taskList: {
      [RETENTION_TASK]: async () => {
        const years = opts.retentionYears ?? DEFAULT_RETENTION_YEARS;
        const run = await applyRetention(pool, clock(), years);
        logger.info({ ...run, years }, 'retention: old documents and photos of decided cases deleted');
      },
      purge_expired_registrations: async () => {
        const purged = await purgeExpiredRegistrations(pool, clock());
        if (purged) logger.info({ purged }, 'expired unconfirmed registrations purged');
      },
      [LINK_REQUEST_TASK]: async (payload) => mailQueuedLink(pool, payload as LinkRequest, clock()),
      purge_upload_drafts: async () => {
        const purged =
          (await purgeOldUploads(pool, clock())) + (await purgeOldPhotoDrafts(pool, clock(), DRAFT_LIFETIME_HOURS));
        if (purged) logger.info({ purged }, 'old upload drafts purged');
        // Places held while booking count for nobody once expired; their rows go with the drafts.
        const holds = await purgeExpiredHolds(pool, clock());
        if (holds) logger.info({ holds }, 'expired booking holds purged');
      },
      [DELIVER_TASK]: async (payload, helpers) => {
        const { id, secrets } = payload as { id: number; secrets: Record<string, string> };
        const n = await getNotification(pool, id);
        if (!n || n.status === 'sent' || n.status === 'recorded') return;
        if (n.channel === 'sms' && !sms) return markRecorded(pool, id, clock());
        try {
          await withinTaskLimit(
            n.channel === 'sms'
              ? sms!.send({ to: n.recipient, text: fillSecrets(n.body_text, secrets) })
              : transport.send({
                  to: n.recipient,
                  subject: n.subject,
                  text: fillSecrets(n.body_text, secrets),
                  html: fillSecrets(n.body_html ?? '', secrets),
                  key: `notification-${n.id}.${n.created_at.getTime()}`,
                }),
          );
        } catch (err) {
          // A number that can never be reached fails at once; anything else is retried with back-off.
          const final = err instanceof SmsRefused || helpers.job.attempts >= helpers.job.max_attempts;
          await markAttemptFailed(pool, id, (err as Error).message, final);
          logger.warn(
            { notificationId: id, channel: n.channel, attempt: helpers.job.attempts, final },
            'delivery failed; will retry unless final',
          );
          if (err instanceof SmsRefused) return;
          throw err;
        }
        await markSent(pool, id, clock());
      },
    },
  });
  // Mails written with a booking wait in notification_outbox for their jobs (shared/outbox.ts).
  const dispatcher = startMailDispatcher(
    pool,
    (err) => logger.error({ message: err.message }, 'could not move waiting mails into delivery jobs; retrying'),
    (opts.recovery?.sweepEverySeconds ?? DEFAULT_RECOVERY.sweepEverySeconds) * 1000,
  );
  const stop = runner.stop.bind(runner);
  runner.stop = async () => {
    await dispatcher.stop();
    await stop();
  };
  return runner;
}
