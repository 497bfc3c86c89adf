import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Runner } from 'graphile-worker';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { until } from '../support/wait.ts';
import { SmsSink } from '../support/sms-sink.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { smtpTransport } from '../../domain/platform/mailer.ts';
import { startWorker } from '../../domain/jobs.ts';
import { httpSmsSender, taiwanMobileE164 } from '../../domain/platform/sms.ts';
import { systemClock } from '../../domain/platform/clock.ts';
import { getNotification } from '../../domain/notifications.ts';
import { enqueueSms } from '../../domain/shared/outbox.ts';

/** SMS through the outbox against the real parts: PostgreSQL, graphile-worker and an HTTP gateway on loopback. */
type Ctx = { db: TestDb; sink: SmsSink; smtp: SmtpSink };
const test = suite<Ctx>('SMS through the outbox');
const logger = createLogger('silent');

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.sink = await new SmsSink().start();
  ctx.smtp = await new SmtpSink().start();
});
test.after(async (ctx) => {
  await ctx.sink.stop();
  await ctx.smtp.stop();
  await ctx.db.drop();
});

async function withWorker(ctx: Ctx, sms: boolean, work: () => Promise<void>): Promise<void> {
  const transport = smtpTransport(ctx.smtp.url, 'Portal <noreply@portal.test>');
  const worker: Runner = await startWorker({
    pool: ctx.db.pool,
    logger,
    transport,
    clock: systemClock,
    pollInterval: 100,
    sms: sms ? httpSmsSender(ctx.sink.url, 'token-123456') : null,
  });
  try {
    await work();
  } finally {
    await worker.stop();
    transport.close();
  }
}

test('Taiwanese mobile numbers are written as E.164; others are not numbers we can text', () => {
  assert.is(taiwanMobileE164('0912-345-678'), '+886912345678');
  assert.is(taiwanMobileE164('０９１２ ３４５ ６７８'), '+886912345678');
  assert.is(taiwanMobileE164('+886 912 345 678'), '+886912345678');
  assert.is(taiwanMobileE164('02-2345-6789'), null, 'a landline');
  assert.is(taiwanMobileE164('0912-345-67'), null);
});

test('a message with a video link is delivered with the link, while the log keeps only the placeholder', async (ctx) => {
  await withWorker(ctx, true, async () => {
    const id = await enqueueSms(ctx.db.pool, {
      to: '0912-345-678',
      subject: '行動接見通知',
      text: '請於約定時間點擊連結開始視訊：[[video]]',
      secrets: { '[[video]]': 'https://video.test/join/abc123secret' },
    });
    const got = await ctx.sink.waitFor((m) => m.to === '+886912345678');
    assert.is(got.text, '請於約定時間點擊連結開始視訊：https://video.test/join/abc123secret');
    assert.is(got.authorization, 'Bearer token-123456');
    const n = await until('sent', async () => {
      const r = await getNotification(ctx.db.pool, id);
      return r?.status === 'sent' && r;
    });
    assert.is(n.channel, 'sms');
    assert.not.match(n.body_text, 'abc123secret');
    // graphile-worker deletes the job just after the task returns, which is after the row says sent.
    await until('the job with the secret is gone once delivered', async () => {
      const jobs = await ctx.db.pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`);
      return jobs.rows[0].n === 0;
    });
  });
});

test('a gateway that fails is retried until it accepts; a number that can never be reached fails at once', async (ctx) => {
  await withWorker(ctx, true, async () => {
    ctx.sink.refuse(503);
    const id = await enqueueSms(ctx.db.pool, { to: '0933111222', subject: 'x', text: '重試測試' });
    await until('a failed attempt', async () => ((await getNotification(ctx.db.pool, id))?.attempts ?? 0) >= 1);
    const waiting = await getNotification(ctx.db.pool, id);
    assert.is(waiting!.status, 'queued');
    assert.match(waiting!.last_error!, '503');
    ctx.sink.accept();
    // graphile-worker retries after an exponential back-off (about 2.7 s after the first failure).
    await ctx.db.pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE attempts > 0`);
    await ctx.sink.waitFor((m) => m.text === '重試測試', 20_000);
    await until('sent', async () => (await getNotification(ctx.db.pool, id))?.status === 'sent');

    const bad = await enqueueSms(ctx.db.pool, { to: '02-2345-6789', subject: 'x', text: '市話' });
    const failed = await until('failed', async () => {
      const r = await getNotification(ctx.db.pool, bad);
      return r?.status === 'failed' && r;
    });
    assert.is(failed.attempts, 1);
    assert.not.ok(ctx.sink.messages.some((m) => m.text === '市話'));
  });
});

test('without an SMS gateway a message is recorded in the log, not sent', async (ctx) => {
  await withWorker(ctx, false, async () => {
    const before = ctx.sink.messages.length;
    const id = await enqueueSms(ctx.db.pool, { to: '0912-345-678', subject: '通知', text: '只記錄' });
    const n = await until('recorded', async () => {
      const r = await getNotification(ctx.db.pool, id);
      return r?.status === 'recorded' && r;
    });
    assert.ok(n.sent_at);
    assert.is(ctx.sink.messages.length, before);
  });
});

test.run();
