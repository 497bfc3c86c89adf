import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import {
  DELIVER_TASK,
  DISPATCH_BATCH,
  MAX_DELIVERY_ATTEMPTS,
  dispatchWaitingMails,
  mailsCte,
  mailsWritten,
  startMailDispatcher,
  type MailToSend,
} from '../../domain/shared/outbox.ts';

/**
 * Issue 14: mails written with mailsCte (a booking's) wait in notification_outbox for their delivery
 * jobs, which a dispatcher adds in batches. Against the real PostgreSQL and graphile-worker's own
 * add_jobs: every waiting mail gets exactly one job carrying its secrets, also with several dispatchers
 * at once (several instances); the process's dispatcher moves mails soon after mailsWritten(), finds
 * the ones nobody announced by itself, and leaves none behind when stopped.
 */
type Ctx = { db: TestDb; n: number };
const test = suite<Ctx>('outbox dispatch');

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.n = 0;
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

/** Writes `count` mails as a booking's statement does; returns their notification ids. */
async function writeMails(ctx: Ctx, count: number, secrets?: Record<string, string>): Promise<number[]> {
  const mails: MailToSend[] = Array.from({ length: count }, () => {
    const n = ++ctx.n;
    return {
      to: `family${n}@example.com`,
      subject: `已預約 ${n}`,
      text: `Booking ${n}: [[link]]`,
      html: `<p>Booking ${n}: [[link]]</p>`,
      secrets,
    };
  });
  const params: unknown[] = [];
  const { rows } = await ctx.db.pool.query<{ id: string }>(
    `WITH ${mailsCte(params, mails)} SELECT notification_id AS id FROM notice_jobs ORDER BY notification_id`,
    params,
  );
  return rows.map((r) => Number(r.id));
}

/** For each notification: how many delivery jobs it has, and the first one's payload and limit. */
async function jobsOf(ctx: Ctx, ids: number[]) {
  const { rows } = await ctx.db.pool.query<{ id: string; jobs: number; payload: unknown; max_attempts: number }>(
    `SELECT n.id, count(j.id)::int AS jobs, min(j.payload::text)::json AS payload, min(j.max_attempts) AS max_attempts
       FROM notification n
       LEFT JOIN graphile_worker._private_jobs j ON (j.payload->>'id')::bigint = n.id
        AND j.task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = $2)
      WHERE n.id = ANY ($1::bigint[]) GROUP BY n.id ORDER BY n.id`,
    [ids, DELIVER_TASK],
  );
  return rows.map((r) => ({ id: Number(r.id), jobs: r.jobs, payload: r.payload, maxAttempts: r.max_attempts }));
}

const waitingCount = async (ctx: Ctx) =>
  (await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_outbox')).rows[0]!.n;

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a mail written with a booking waits with its secrets; one dispatch gives it exactly one job carrying them', async (ctx) => {
  const secret = { '[[link]]': 'https://video.example.com/join/one-time-token' };
  const ids = await writeMails(ctx, 3, secret);
  assert.is(await waitingCount(ctx), 3);
  assert.ok(
    (await jobsOf(ctx, ids)).every((m) => m.jobs === 0),
    'no job before the dispatch',
  );
  const stored = await ctx.db.pool.query<{ body: string }>(
    `SELECT body_text || coalesce(body_html, '') AS body FROM notification WHERE id = ANY ($1::bigint[])`,
    [ids],
  );
  assert.ok(
    stored.rows.every((r) => !r.body.includes('one-time-token')),
    'the secret is never in the notification log',
  );

  assert.is(await dispatchWaitingMails(ctx.db.pool), 3);
  assert.equal(
    await jobsOf(ctx, ids),
    ids.map((id) => ({ id, jobs: 1, payload: { id, secrets: secret }, maxAttempts: MAX_DELIVERY_ATTEMPTS })),
  );
  assert.is(await waitingCount(ctx), 0, 'the secrets are gone from the waiting table');
  assert.is(await dispatchWaitingMails(ctx.db.pool), 0, 'nothing left to move');
  assert.ok(
    (await jobsOf(ctx, ids)).every((m) => m.jobs === 1),
    'a second dispatch adds no job',
  );
});

test('four dispatchers at once (instances) move more than a batch of mails: each mail gets exactly one job', async (ctx) => {
  const ids = await writeMails(ctx, DISPATCH_BATCH * 2 + 37);
  const dispatcher = async () => {
    let moved = 0;
    for (let n; (n = await dispatchWaitingMails(ctx.db.pool)) > 0;) moved += n;
    return moved;
  };
  const moved = await Promise.all([dispatcher(), dispatcher(), dispatcher(), dispatcher()]);
  assert.is(
    moved.reduce((a, b) => a + b, 0),
    ids.length,
  );
  const jobs = await jobsOf(ctx, ids);
  assert.is(jobs.filter((m) => m.jobs === 1).length, ids.length, 'every mail has exactly one job');
  assert.is(await waitingCount(ctx), 0);
});

test("the process's dispatcher moves mails soon after mailsWritten(), finds unannounced ones by itself, and drains when stopped", async (ctx) => {
  const errors: Error[] = [];
  const dispatcher = startMailDispatcher(ctx.db.pool, (err) => errors.push(err), 400);
  try {
    const announced = await writeMails(ctx, 5);
    mailsWritten();
    await until('the announced mails have their jobs', async () =>
      (await jobsOf(ctx, announced)).every((m) => m.jobs === 1),
    );

    // Written by an instance that stopped before announcing them: the dispatcher's own look finds them.
    const unannounced = await writeMails(ctx, 4);
    await until('the unannounced mails have their jobs', async () =>
      (await jobsOf(ctx, unannounced)).every((m) => m.jobs === 1),
    );
  } finally {
    const last = await writeMails(ctx, 6);
    mailsWritten();
    await dispatcher.stop();
    assert.is(await waitingCount(ctx), 0, 'stopping moved what was waiting');
    assert.ok((await jobsOf(ctx, last)).every((m) => m.jobs === 1));
  }
  assert.equal(errors, []);
  // Stopped: a mail announced now waits for another instance's dispatcher.
  const after = await writeMails(ctx, 1);
  mailsWritten();
  await new Promise((r) => setTimeout(r, 600));
  assert.is((await jobsOf(ctx, after))[0]!.jobs, 0);
  assert.is(await dispatchWaitingMails(ctx.db.pool), 1);
});

test.run();
