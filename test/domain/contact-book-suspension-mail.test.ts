import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import type { Runner } from 'graphile-worker';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { smtpTransport } from '../../domain/platform/mailer.ts';
import { systemClock } from '../../domain/platform/clock.ts';
import { startWorker } from '../../domain/jobs.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { decidePost } from '../../domain/contact-book/review.ts';

// Issue 11.16: the rejection that suspends posting must not tell the family to correct and resend;
// it says the suspension and when posting opens again, in the family's language, through real SMTP.
type Ctx = { db: TestDb; smtp: SmtpSink; worker: Runner; close: () => void; staff: number };
const test = suite<Ctx>('contact book: the rejection mail that suspends posting says until when, not "resend"');
const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.smtp = await new SmtpSink().start();
  const transport = smtpTransport(ctx.smtp.url, 'Portal <noreply@portal.test>');
  ctx.close = () => transport.close();
  ctx.worker = await startWorker({
    pool: ctx.db.pool,
    logger: createLogger('silent'),
    transport,
    clock: systemClock,
    pollInterval: 100,
  });
  await fixture.institution(ctx.db.pool, { code: '2477' });
  ctx.staff = await fixture.staff(ctx.db.pool, {
    account: 'r2477',
    name: '承辦人',
    institutionCode: '2477',
    role: 'reviewer',
  });
});
test.after(async (ctx) => {
  await ctx.worker.stop();
  ctx.close();
  await ctx.smtp.stop();
  await ctx.db.drop();
});

/** Three posts eleven days apart, each rejected the day it was sent: the third suspends. */
async function threeRejections(ctx: Ctx, locale: 'zh-TW' | 'en', n: number): Promise<string> {
  const { pool } = ctx.db;
  const email = `family-${locale}@example.com`;
  const applicant = await fixture.applicant(pool, {
    name: '陳大文',
    nationalId: ['A152601814', 'A259083012'][n]!,
    email,
    locale,
  });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: String(3100 + n), name: '王小明' });
  const book = await fixture.approvedService(pool, {
    applicant,
    inmate,
    service: 'contact_book',
    relationship: 'spouse',
  });
  for (const day of ['2026-10-01', '2026-10-12', '2026-10-23']) {
    const sent = await submitPost(
      pool,
      {
        applicantId: applicant,
        applicationId: book,
        title: `近況 ${day.replace(/-/g, '')}`,
        body: '家裡都好。',
        photo: null,
        submissionKey: randomUUID(),
      },
      taipei(`${day}T09:00:00`),
    );
    assert.is(sent.kind, 'posted', day);
    const postId = (sent as { postId: number }).postId;
    const who = { staffId: ctx.staff, role: 'reviewer' as const, institutionCode: '2477', ip: '10.0.0.1' };
    assert.is(
      await decidePost(
        pool,
        postId,
        1,
        { decision: 'reject', reasonCode: 'notFamily', reason: '' },
        who,
        taipei(`${day}T10:00:00`),
      ),
      'decided',
    );
  }
  await ctx.smtp.waitFor(() => ctx.smtp.to(email).length === 3);
  return email;
}

test('in Chinese: the first two rejections invite a correction, the third says the suspension and 2026/11/23 10:00', async (ctx) => {
  const email = await threeRejections(ctx, 'zh-TW', 0);
  const mails = ctx.smtp.to(email);
  const [first, second, third] = mails.map((m) => m.text);
  for (const text of [first!, second!]) {
    assert.match(text, '修改並重新送出');
    assert.not.match(text, '暫停');
  }
  assert.match(third!, '審核未通過');
  assert.match(third!, '未通過原因：');
  assert.match(third!, '暫停發佈 1 個月');
  assert.match(third!, '2026/11/23 10:00 起可以再發佈');
  assert.not.match(third!, '修改並重新送出', 'no invitation to resend while posting is suspended');
  assert.not.match(third!, /\d{4}-\d{2}-\d{2}/, 'dates as people read them');
  assert.match(mails[2]!.html, '2026/11/23 10:00');
});

test('in English: the same, in plain English', async (ctx) => {
  const email = await threeRejections(ctx, 'en', 1);
  const [first, , third] = ctx.smtp.to(email).map((m) => m.text);
  assert.match(first!, 'correct the post and send it again');
  assert.match(third!, 'posting is suspended for one month');
  assert.match(third!, 'you can post again from 2026/11/23 10:00');
  assert.not.match(third!, 'correct the post and send it again');
  assert.not.match(third!, /\d{4}-\d{2}-\d{2}/);
});

test.run();
