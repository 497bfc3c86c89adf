import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeWorkerUtils, type Runner, type WorkerUtils } from 'graphile-worker';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { smtpTransport, type MailTransport } from '../../domain/platform/mailer.ts';
import { startWorker } from '../../domain/jobs.ts';
import { withTransaction } from '../../domain/platform/db.ts';
import { systemClock } from '../../domain/platform/clock.ts';
import { getNotification, type NotificationRow } from '../../domain/notifications.ts';
import { enqueueMail } from '../../domain/shared/outbox.ts';

/**
 * The outbox against the real parts: PostgreSQL, graphile-worker and an SMTP server on loopback.
 * The worker and the sink are built here rather than through startTestApp, because these tests stop
 * and start both.
 */
type Ctx = { db: TestDb; smtp: SmtpSink; utils: WorkerUtils; transport: MailTransport; worker: Runner | null };
const test = suite<Ctx>('outbox');

const logger = createLogger('silent');
const FROM = 'Portal <noreply@portal.test>';

async function startDeliveryWorker(ctx: Ctx): Promise<void> {
  // As server.ts does: one transport per process, and the worker from domain/infra/worker.ts.
  ctx.transport = smtpTransport(ctx.smtp.url, FROM);
  ctx.worker = await startWorker({
    pool: ctx.db.pool,
    logger,
    transport: ctx.transport,
    clock: systemClock,
    pollInterval: 200,
  });
}

async function stopDeliveryWorker(ctx: Ctx): Promise<void> {
  await ctx.worker?.stop();
  ctx.worker = null;
  ctx.transport.close();
}

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.smtp = await new SmtpSink().start();
  ctx.utils = await makeWorkerUtils({ pgPool: ctx.db.pool });
  await startDeliveryWorker(ctx);
});
test.after(async (ctx) => {
  await stopDeliveryWorker(ctx);
  await ctx.utils.release();
  await ctx.smtp.stop();
  await ctx.db.drop();
});

type JobRow = {
  id: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: Date;
  locked_at: Date | null;
};

/** The delivery job of notification `id`, read from graphile-worker's own table; null once deleted. */
async function jobFor(db: TestDb, id: number): Promise<JobRow | null> {
  const { rows } = await db.pool.query<JobRow>(
    `SELECT id::text, attempts, max_attempts, last_error, run_at, locked_at FROM graphile_worker._private_jobs
     WHERE (payload->>'id')::bigint = $1`,
    [id],
  );
  return rows[0] ?? null;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the failed attempt number `n` is recorded on both the job and the notification. */
async function failedAttempt(
  db: TestDb,
  id: number,
  n: number,
): Promise<{ job: JobRow; notification: NotificationRow }> {
  return until(`attempt ${n} of notification ${id} has failed`, async () => {
    const job = await jobFor(db, id);
    const notification = await getNotification(db.pool, id);
    const done =
      job && job.attempts === n && job.last_error !== null && job.locked_at === null && notification?.attempts === n;
    return done ? { job, notification: notification! } : null;
  });
}

/**
 * graphile-worker backs off exp(attempts) seconds (2.7 s, 7.4 s, 20 s…). Rather than wait, move the
 * job's run_at to now through graphile-worker's own API (reschedule_jobs); attempts are left as they are.
 */
async function retryNow(ctx: Ctx, job: JobRow): Promise<void> {
  const moved = await ctx.utils.rescheduleJobs([job.id], { runAt: new Date() });
  assert.is(moved.length, 1, 'the job was rescheduled (it was not locked)');
}

function mail(to: string) {
  return {
    to,
    subject: `Outbox test for ${to}`,
    text: 'Open [[link]]',
    html: '<p>Open [[link]]</p>',
    secrets: { '[[link]]': 'http://portal.test/x?token=secret' },
  };
}

/**
 * Resolves once the worker has asked for work at least four more times and found none, each of its
 * workers (one per concurrent job) at least twice: nothing is being delivered, nothing is left to run.
 */
function idleRounds(runner: Runner, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const empty = new Map<unknown, number>();
    const done = (err?: Error) => {
      clearTimeout(timer);
      runner.events.off('worker:getJob:empty', onEmpty);
      if (err) reject(err);
      else resolve();
    };
    const onEmpty = ({ worker }: { worker: unknown }) => {
      empty.set(worker, (empty.get(worker) ?? 0) + 1);
      const counts = [...empty.values()];
      if (counts.reduce((a, b) => a + b, 0) >= 4 && counts.every((n) => n >= 2)) done();
    };
    const timer = setTimeout(() => done(new Error(`the worker did not go idle within ${timeoutMs} ms`)), timeoutMs);
    runner.events.on('worker:getJob:empty', onEmpty);
  });
}

/** After delivery: exactly one copy, still one after a few more poll rounds of the worker. */
async function assertDeliveredOnce(ctx: Ctx, id: number, to: string, attempts: number): Promise<void> {
  await ctx.smtp.waitFor((m) => m.to.includes(to));
  const sent = await until('the notification is marked sent', async () => {
    const n = await getNotification(ctx.db.pool, id);
    return n?.status === 'sent' ? n : null;
  });
  await until('the delivery job is deleted', async () => (await jobFor(ctx.db, id)) === null);
  await idleRounds(ctx.worker!); // room for a duplicate to show up
  const copies = ctx.smtp.to(to);
  assert.is(copies.length, 1, 'exactly one copy reached the SMTP server');
  assert.ok(copies[0]!.text.includes('http://portal.test/x?token=secret'), 'the secret was filled in at delivery');
  assert.ok(sent.sent_at instanceof Date);
  assert.is(sent.last_error, null);
  assert.is(sent.attempts, attempts, 'every attempt counted, the successful one included');
}

test('while the SMTP server refuses mail, the mail stays queued; once it accepts, it is delivered exactly once', async (ctx) => {
  const to = 'refused@example.com';
  ctx.smtp.refuse(451);
  const id = await withTransaction(ctx.db.pool, (tx) => enqueueMail(tx, mail(to)));

  const first = await failedAttempt(ctx.db, id, 1);
  assert.is(first.notification.status, 'queued', 'not delivered, not given up');
  assert.is(first.notification.sent_at, null);
  assert.match(first.notification.last_error ?? '', /451/);
  assert.match(first.job.last_error ?? '', /451/);
  assert.ok(first.job.run_at.getTime() > Date.now(), 'the retry is scheduled in the future (back-off)');
  assert.is(first.job.max_attempts, 12);

  // Still refusing: a second attempt fails the same way and the mail is still kept.
  await retryNow(ctx, first.job);
  const second = await failedAttempt(ctx.db, id, 2);
  assert.is(second.notification.status, 'queued');
  assert.is(ctx.smtp.to(to).length, 0, 'the sink kept nothing while refusing');

  ctx.smtp.accept();
  await retryNow(ctx, second.job);
  await assertDeliveredOnce(ctx, id, to, 3);
});

test('while the SMTP server is down, the mail waits; a restarted worker delivers it once the server is back', async (ctx) => {
  const to = 'down@example.com';
  const port = ctx.smtp.port;
  await ctx.smtp.stop();
  const id = await withTransaction(ctx.db.pool, (tx) => enqueueMail(tx, mail(to)));

  const first = await failedAttempt(ctx.db, id, 1);
  assert.is(first.notification.status, 'queued');
  assert.match(first.notification.last_error ?? '', /ECONNREFUSED/);
  assert.match(first.job.last_error ?? '', /ECONNREFUSED/);

  // The process goes away with the job still pending: it stays in the queue, unlocked.
  await stopDeliveryWorker(ctx);
  const pending = await jobFor(ctx.db, id);
  assert.ok(pending, 'the job survives the worker stopping');
  assert.is(pending!.attempts, 1);
  assert.is(pending!.locked_at, null);

  await ctx.smtp.start();
  assert.is(ctx.smtp.port, port, 'the SMTP server is back on the same port');
  await startDeliveryWorker(ctx);
  await retryNow(ctx, pending!);
  await assertDeliveredOnce(ctx, id, to, 2);
});

test.run();
