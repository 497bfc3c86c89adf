import { Logger as WorkerLogger, run, runMigrations, type Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from './logger.ts';
import type { MailTransport } from './mailer.ts';
import type { Clock } from './clock.ts';
import { DELIVER_TASK, fillSecrets, getNotification, markAttemptFailed, markSent } from '../notifications.ts';
import { DRAFT_LIFETIME_HOURS, purgeOldUploads } from '../applications.ts';
import { purgeOldPhotoDrafts } from '../contact-book.ts';

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message) => {
    if (level === 'error') logger.error({ scope }, message);
    else if (level === 'warning') logger.warn({ scope }, message);
    else logger.debug({ scope }, message);
  });
}

/** Creates graphile-worker's own schema (its jobs table and add_job function). */
export async function migrateWorkerSchema(pool: pg.Pool, logger: Logger): Promise<void> {
  await runMigrations({ pgPool: pool, logger: workerLogger(logger) });
}

/** Starts the background worker that delivers notifications. */
export async function startWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  transport: MailTransport;
  clock: Clock;
  pollInterval?: number;
}): Promise<Runner> {
  const { pool, logger, transport, clock } = opts;
  return run({
    pgPool: pool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? 2000,
    logger: workerLogger(logger),
    // Unsent forms' files (ID documents) are not kept beyond a day.
    crontab: '15 * * * * purge_upload_drafts',
    taskList: {
      purge_upload_drafts: async () => {
        const purged = await purgeOldUploads(pool, clock()) + await purgeOldPhotoDrafts(pool, clock(), DRAFT_LIFETIME_HOURS);
        if (purged) logger.info({ purged }, 'old upload drafts purged');
      },
      [DELIVER_TASK]: async (payload, helpers) => {
        const { id, secrets } = payload as { id: number; secrets: Record<string, string> };
        const n = await getNotification(pool, id);
        if (!n || n.status === 'sent') return;
        try {
          await transport.send({
            to: n.recipient,
            subject: n.subject,
            text: fillSecrets(n.body_text, secrets),
            html: fillSecrets(n.body_html ?? '', secrets),
          });
        } catch (err) {
          const final = helpers.job.attempts >= helpers.job.max_attempts;
          await markAttemptFailed(pool, id, (err as Error).message, final);
          logger.warn({ notificationId: id, attempt: helpers.job.attempts, final }, 'mail delivery failed; will retry unless final');
          throw err;
        }
        await markSent(pool, id, clock());
      },
    },
  });
}
