import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { resendPost, submitPost, type PostInput } from '../../domain/contact-book/posts.ts';
import { activeSuspension, liftSuspension } from '../../domain/contact-book/suspensions.ts';
import { postingState } from '../../domain/contact-book/recipients.ts';
import { decidePost } from '../../domain/contact-book/review.ts';
import { familyWithContactBook, loggingSetupErrors } from '../support/scenarios.ts';

type Ctx = { db: TestDb; staff: number; applicants: number[]; books: number[] };
const test = suite<Ctx>('contact book posts: interval, concurrency, rejections and suspension');

/** A moment in Asia/Taipei (UTC+8, no daylight saving). */
const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

test.before(loggingSetupErrors(setUp));
async function setUp(ctx: Ctx) {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await fixture.institution(pool, { code: '2477' });
  ctx.staff = await fixture.staff(pool, {
    account: 'staff2477',
    name: '承辦人',
    institutionCode: '2477',
    role: 'reviewer',
  });
  ctx.applicants = [];
  ctx.books = [];
  for (const [i, id] of ['A152601814', 'A259083012', 'B166131862', 'B209139097'].entries()) {
    const { applicant, book } = await familyWithContactBook(pool, {
      name: `家屬${i}`,
      nationalId: id,
      email: `f${i}@example.com`,
      callNumber: String(5000 + i),
      number: `20261101-AAAAA${i + 2}`,
    });
    ctx.applicants.push(applicant);
    ctx.books.push(book);
  }
}
test.after(async (ctx) => {
  await ctx.db.drop();
});

const post = (ctx: Ctx, who: number, over: Partial<PostInput> = {}): PostInput => ({
  applicantId: ctx.applicants[who]!,
  applicationId: ctx.books[who]!,
  title: '想念你',
  body: '家裡一切都好，好好照顧自己。',
  photo: null,
  submissionKey: randomUUID(),
  ...over,
});
const staff = (ctx: Ctx) => ({
  staffId: ctx.staff,
  role: 'reviewer' as const,
  institutionCode: '2477',
  ip: '10.0.0.2',
});
const versionOf = async (ctx: Ctx, id: number) =>
  (await ctx.db.pool.query('SELECT version FROM contact_book_post WHERE id = $1', [id])).rows[0].version as number;

test('interval boundaries in Asia/Taipei: day 0 at 23:59, then day 9 at 23:59 is refused with the date, day 10 at 00:00 is fine', async (ctx) => {
  const first = await submitPost(ctx.db.pool, post(ctx, 0), taipei('2026-11-30T23:59:00'));
  assert.is(first.kind, 'posted');
  const early = await submitPost(ctx.db.pool, post(ctx, 0), taipei('2026-12-09T23:59:59'));
  assert.equal(
    early,
    { kind: 'errors', errors: { form: { key: 'error.post.tooSoon', params: { date: '2026/12/10', days: 10 } } } },
    'across a month end',
  );
  const state = await postingState(
    ctx.db.pool,
    ctx.applicants[0]!,
    { inmateId: await inmateOf(ctx, 0), institutionCode: '2477' },
    taipei('2026-12-01T08:00:00'),
  );
  assert.equal(state, { kind: 'wait', nextDate: '2026-12-10', intervalDays: 10 });
  assert.is((await submitPost(ctx.db.pool, post(ctx, 0), taipei('2026-12-10T00:00:00'))).kind, 'posted');
});

async function inmateOf(ctx: Ctx, who: number): Promise<number> {
  return Number(
    (await ctx.db.pool.query('SELECT inmate_id FROM service_application WHERE id = $1', [ctx.books[who]])).rows[0]
      .inmate_id,
  );
}

test('two posts sent at the same moment: exactly one is accepted, and the database refuses a post that skips the code', async (ctx) => {
  const at = taipei('2026-11-23T10:00:00');
  const results = await Promise.all(Array.from({ length: 8 }, () => submitPost(ctx.db.pool, post(ctx, 1), at)));
  assert.is(results.filter((r) => r.kind === 'posted').length, 1);
  const { rows } = await ctx.db.pool.query('SELECT count(*)::int AS n FROM contact_book_post WHERE applicant_id = $1', [
    ctx.applicants[1],
  ]);
  assert.is(rows[0].n, 1);
  try {
    await ctx.db.pool.query(
      `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, posted_on, submitted_at, submission_key)
       VALUES ($1, $2, $3, '2477', 't', 'b', '2026-11-25', now(), $4)`,
      [ctx.books[1], ctx.applicants[1], await inmateOf(ctx, 1), randomUUID()],
    );
    assert.unreachable('the trigger refuses it');
  } catch (err) {
    assert.is((err as { constraint?: string }).constraint, 'contact_book_interval');
  }
});

test('the interval is the institution’s parameter C, read at once when it changes', async (ctx) => {
  await ctx.db.pool.query(`UPDATE institution SET contact_book_interval_days = 3 WHERE code = '2477'`);
  try {
    assert.is(
      (await submitPost(ctx.db.pool, post(ctx, 1), taipei('2026-11-26T00:00:00'))).kind,
      'posted',
      'day 3 with C = 3',
    );
  } finally {
    await ctx.db.pool.query(`UPDATE institution SET contact_book_interval_days = 10 WHERE code = '2477'`);
  }
});

test('a rejected post does not use up the interval; corrected, it is sent again as the same post', async (ctx) => {
  const at = taipei('2026-11-23T09:00:00');
  const sent = await submitPost(ctx.db.pool, post(ctx, 2), at);
  const id = (sent as { postId: number }).postId;
  assert.is(
    await decidePost(ctx.db.pool, id, 1, { decision: 'reject', reason: '照片不清楚' }, staff(ctx), at),
    'decided',
  );
  assert.is(
    (await submitPost(ctx.db.pool, post(ctx, 2, { title: '另一則' }), taipei('2026-11-23T10:00:00'))).kind,
    'posted',
    'a new one the same day',
  );
  // Now that one holds the interval, the corrected first one must wait.
  const blocked = await resendPost(
    ctx.db.pool,
    ctx.applicants[2]!,
    id,
    2,
    { title: '想念你', body: '改過了', photo: 'keep' },
    taipei('2026-11-24T09:00:00'),
  );
  // Said as the other post standing in the way (found on review: a new post's wait read as a contradiction
  // of 'a rejected post does not count towards the interval').
  assert.is((blocked as { errors: { form: { key: string } } }).errors.form.key, 'error.post.tooSoonResend');
  const later = taipei('2026-12-03T09:00:00');
  assert.equal(
    await resendPost(ctx.db.pool, ctx.applicants[2]!, id, 2, { title: '想念你', body: '改過了', photo: 'keep' }, later),
    { kind: 'posted', postId: id },
  );
  assert.equal(
    await resendPost(ctx.db.pool, ctx.applicants[2]!, id, 2, { title: '想念你', body: '改過了', photo: 'keep' }, later),
    { kind: 'posted', postId: id },
    'sent twice: once',
  );
  const { rows } = await ctx.db.pool.query(
    `SELECT status, body, to_char(posted_on, 'YYYY-MM-DD') AS posted_on, version FROM contact_book_post WHERE id = $1`,
    [id],
  );
  assert.equal(rows[0], { status: 'pending', body: '改過了', posted_on: '2026-12-03', version: 3 });
  assert.equal(
    await resendPost(ctx.db.pool, ctx.applicants[3]!, id, 3, { title: 'x', body: 'y', photo: 'keep' }, later),
    { kind: 'not_found' },
    'another applicant',
  );
});

test('the third rejection suspends posting for a month; it ends by itself, or staff lift it', async (ctx) => {
  const who = 3;
  let at = taipei('2026-11-01T09:00:00');
  for (let i = 0; i < 3; i++) {
    const sent = await submitPost(ctx.db.pool, post(ctx, who), at);
    assert.is(sent.kind, 'posted', `post ${i + 1}`);
    const id = (sent as { postId: number }).postId;
    assert.is(
      await decidePost(
        ctx.db.pool,
        id,
        await versionOf(ctx, id),
        { decision: 'reject', reason: `退件 ${i + 1}` },
        staff(ctx),
        at,
      ),
      'decided',
    );
    if (i < 2) assert.is(await activeSuspension(ctx.db.pool, ctx.applicants[who]!, at), null, `not after ${i + 1}`);
  }
  const suspension = await activeSuspension(ctx.db.pool, ctx.applicants[who]!, at);
  assert.ok(suspension, 'suspended at the third');
  assert.is(suspension!.endsAt.toISOString(), new Date(Date.UTC(2026, 11, 1, 1, 0)).toISOString(), 'one month later');
  const refused = await submitPost(ctx.db.pool, post(ctx, who), taipei('2026-11-20T09:00:00'));
  assert.equal(refused, {
    kind: 'errors',
    errors: { form: { key: 'error.post.suspended', params: { date: '2026/12/01' } } },
  });
  at = taipei('2026-12-01T09:00:01');
  assert.is(await activeSuspension(ctx.db.pool, ctx.applicants[who]!, at), null, 'over after a month');
  const again = await submitPost(ctx.db.pool, post(ctx, who), at);
  assert.is(again.kind, 'posted');
  // The count starts again after a suspension: one more rejection does not suspend.
  const id = (again as { postId: number }).postId;
  assert.is(await decidePost(ctx.db.pool, id, 1, { decision: 'reject', reason: '退件 4' }, staff(ctx), at), 'decided');
  assert.is(await activeSuspension(ctx.db.pool, ctx.applicants[who]!, at), null);
  // Two more make three since the last suspension: suspended again, and staff lift it.
  for (let i = 0; i < 2; i++) {
    const sent = await submitPost(ctx.db.pool, post(ctx, who), at);
    const pid = (sent as { postId: number }).postId;
    assert.is(await decidePost(ctx.db.pool, pid, 1, { decision: 'reject', reason: '退件' }, staff(ctx), at), 'decided');
  }
  const second = await activeSuspension(ctx.db.pool, ctx.applicants[who]!, at);
  assert.ok(second);
  assert.is(
    await liftSuspension(
      ctx.db.pool,
      second!.id,
      { staffId: ctx.staff, role: 'reviewer' as const, institutionCode: '2411', ip: null },
      at,
    ),
    false,
    'not by another institution',
  );
  assert.is(await liftSuspension(ctx.db.pool, second!.id, staff(ctx), at), true);
  assert.is((await submitPost(ctx.db.pool, post(ctx, who), at)).kind, 'posted', 'posting again at once');
});

test('only an approved contact book holder posts, to their own inmate; text over 150 characters is refused', async (ctx) => {
  const other = await submitPost(
    ctx.db.pool,
    post(ctx, 0, { applicationId: ctx.books[1]! }),
    taipei('2027-01-10T09:00:00'),
  );
  assert.equal(other, { kind: 'errors', errors: { recipient: { key: 'error.post.recipient' } } });
  const long = await submitPost(ctx.db.pool, post(ctx, 0, { body: '想'.repeat(151) }), taipei('2027-01-10T09:00:00'));
  assert.equal((long as { errors: Record<string, unknown> }).errors.body, {
    key: 'error.post.bodyTooLong',
    params: { max: 150, count: 151 },
  });
  assert.is(
    (await submitPost(ctx.db.pool, post(ctx, 0, { body: '想'.repeat(150) }), taipei('2027-01-10T09:00:00'))).kind,
    'posted',
  );
});

test('a form pressed three times at once is one post, and every press is told it was posted', async (ctx) => {
  const key = randomUUID();
  const at = taipei('2026-12-20T10:00:00');
  const results = await Promise.all(
    Array.from({ length: 3 }, () => submitPost(ctx.db.pool, post(ctx, 3, { submissionKey: key }), at)),
  );
  assert.ok(
    results.every((r) => r.kind === 'posted'),
    JSON.stringify(results),
  );
  assert.is(new Set(results.map((r) => (r as { postId: number }).postId)).size, 1);
});

test.run();
