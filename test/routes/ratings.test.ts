import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { until } from '../support/wait.ts';
import {
  enrolledKiosk,
  signedInApplicant,
  signedInStaff,
  staffAccounts,
  twoInstitutions,
} from '../support/scenarios.ts';
import type { RateLimits } from '../../routes/middleware/rate-limits.ts';

type Ctx = {
  app: TestApp;
  reviewer: Client;
  admin2411: Client;
  agency: Client;
  family: Client;
  stranger: Client;
  pendingId: number;
  pendingNumber: string;
  approvedNumber: string;
};
const test = suite<Ctx>('即時評價 over HTTP: the decision mail’s link, once; the page’s form; kiosk; what staff see');
const EMAIL = 'rating.family@example.com';
const PASSWORD = 'family password 1';

test.before(async (ctx) => {
  // Two kiosk answers per address, so the third is refused within the test.
  ctx.app = await startTestApp({ limits: { kioskRatingsPerAddress: [2, 15] } as Partial<RateLimits> });
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  const family = await fixture.applicant(pool, {
    name: '陳美玲',
    nationalId: 'A152601814',
    email: EMAIL,
    password: PASSWORD,
  });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  ctx.pendingId = await fixture.approvedService(pool, {
    applicant: family,
    inmate,
    service: 'contact_book',
    relationship: 'mother',
    status: 'pending',
  });
  await fixture.approvedService(pool, {
    applicant: family,
    inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  await fixture.applicant(pool, {
    name: '林志明',
    nationalId: 'A259083012',
    email: 'stranger@example.com',
    password: PASSWORD,
  });
  const numbers = (await pool.query('SELECT id, number FROM service_application ORDER BY id')).rows;
  ctx.pendingNumber = numbers[0].number;
  ctx.approvedNumber = numbers[1].number;
  ctx.reviewer = await signedInStaff(ctx.app.url, 'reviewer2477');
  ctx.admin2411 = await signedInStaff(ctx.app.url, 'admin2411');
  ctx.agency = await signedInStaff(ctx.app.url, 'agency');
  ctx.family = await signedInApplicant(ctx.app.url, EMAIL, PASSWORD);
  ctx.stranger = await signedInApplicant(ctx.app.url, 'stranger@example.com', PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the decision mail carries a rating link that works once without signing in; the log keeps no token', async (ctx) => {
  const { app, reviewer, pendingId } = ctx;
  await reviewer.get(`/backoffice/applications/${pendingId}`);
  const decided = await reviewer.post(`/backoffice/applications/${pendingId}/decision`, {
    decision: 'approve',
    version: '1',
  });
  assert.is(decided.status, 303);
  const mail = await until('the decision mail', async () =>
    app.smtp.to(EMAIL).find((m) => m.text.includes('/ratings/answer?token=')),
  );
  const link = linkIn(mail, `${app.url}/ratings/answer?token=`);
  assert.match(mail.html, `href="${link}"`);
  const token = new URL(link).searchParams.get('token')!;
  const logged = (await app.db.pool.query('SELECT body_text, body_html FROM notification')).rows;
  assert.ok(
    logged.some((n) => n.body_text.includes('[[rating]]')),
    'the log has the placeholder',
  );
  assert.not.ok(JSON.stringify(logged).includes(token), 'and never the token');

  const anyone = new Client(app.url);
  const page = await anyone.get(link);
  assert.is(page.status, 200);
  assert.is(page.headers.get('referrer-policy'), 'no-referrer');
  assert.is(
    [...page.text.matchAll(/<button type="submit"[^>]*name="choice" value="[1-5]"/g)].length,
    5,
    'five one-tap choices',
  );
  assert.match(textOf(page.text), '非常滿意');

  const tooLong = await anyone.post('/ratings/answer', { token, choice: '5', comment: '字'.repeat(501) });
  assert.is(tooLong.status, 422);
  assert.match(textOf(tooLong.text), '意見最多 500 字');
  assert.match(tooLong.text, '字'.repeat(501), 'what was written is kept');
  const noChoice = await anyone.post('/ratings/answer', { token, comment: '好' });
  assert.is(noChoice.status, 422);
  assert.match(textOf(noChoice.text), '請選擇一個滿意程度');

  const saved = await anyone.post('/ratings/answer', { token, choice: '2', comment: '請打 0912-345-678 給我' });
  assert.is(saved.status, 200);
  assert.match(textOf(saved.text), '感謝您的評價');
  const again = await anyone.post('/ratings/answer', { token, choice: '5', comment: '' });
  assert.is(again.status, 409);
  assert.match(textOf(again.text), '已收到評價');
  assert.match(textOf((await anyone.get(link)).text), '每次服務只能評價一次');
  const rows = (await app.db.pool.query(`SELECT answer FROM rating WHERE application_id = $1`, [pendingId])).rows;
  assert.equal(rows, [{ answer: 2 }], 'the first answer counts');

  assert.is((await anyone.get('/ratings/answer?token=' + 'A'.repeat(43))).status, 404);
  assert.is((await anyone.get('/ratings/answer')).status, 404);
  assert.is((await anyone.post('/ratings/answer', { token: 'nope', choice: '5' })).status, 404);
  // The applicant's page says it was rated.
  assert.match(textOf((await ctx.family.get(`/applications/${ctx.pendingNumber}`)).text), '您已為本次服務評價');
});

test('a decided application’s page offers the rating in one tap, to its applicant only, once', async (ctx) => {
  const { family, stranger, approvedNumber } = ctx;
  const page = await family.get(`/applications/${approvedNumber}`);
  assert.match(page.text, `action="/ratings/applications/${approvedNumber}"`);
  assert.is((await stranger.get('/applications')).status, 200);
  assert.is((await stranger.post(`/ratings/applications/${approvedNumber}`, { choice: '5' })).status, 404);
  await family.get(`/applications/${approvedNumber}`);
  const saved = await family.post(`/ratings/applications/${approvedNumber}`, { choice: '4', comment: '' });
  assert.is(saved.status, 200);
  assert.match(saved.text, `href="/applications/${approvedNumber}"`);
  assert.is((await family.post(`/ratings/applications/${approvedNumber}`, { choice: '1' })).status, 409);
  assert.not.match((await family.get(`/applications/${approvedNumber}`)).text, 'action="/ratings/applications/');
  const anonymous = new Client(ctx.app.url);
  await anonymous.get('/progress');
  const refused = await anonymous.post(`/ratings/applications/${approvedNumber}`, { choice: '5' });
  assert.is(refused.status, 303, 'signing in first');
});

test('a visit that is over offers its visitor the rating on the booking’s page, once', async (ctx) => {
  const { pool } = ctx.app.db;
  // Two days ago in Taipei, booked five days ago, approved: straight into the table.
  const day = (await pool.query(`SELECT ((now() AT TIME ZONE 'Asia/Taipei')::date - 2)::text AS d`)).rows[0]
    .d as string;
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay() || 7;
  const batch = await fixture.visitBatch(pool, {
    institutionCode: '2477',
    kind: 'onsite',
    weekday,
    startsAt: '09:00',
    lengthMinutes: 30,
    capacity: 5,
  });
  const app = (
    await pool.query(`SELECT id, applicant_id, inmate_id FROM service_application WHERE number = $1`, [
      ctx.approvedNumber,
    ])
  ).rows[0];
  const staffId = (await pool.query(`SELECT id FROM staff WHERE account = 'reviewer2477'`)).rows[0].id;
  const { rows } = await pool.query(
    `INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind, visit_date, batch_id, relationship, booked_at)
     VALUES ('V20260101-RATE01', gen_random_uuid(), $1, $2, $3, '2477', 'visit', 'onsite', $4, $5, 'mother', $4::date - 5 + time '10:00') RETURNING id`,
    [app.applicant_id, app.id, app.inmate_id, day, batch],
  );
  const id = Number(rows[0].id);
  await pool.query(`UPDATE visit_booking SET status = 'approved', decided_at = now(), decided_by = $2 WHERE id = $1`, [
    id,
    staffId,
  ]);
  const page = await ctx.family.get(`/bookings/${id}`);
  assert.is(page.status, 200);
  assert.match(page.text, `action="/ratings/bookings/${id}"`);
  assert.is((await ctx.stranger.post(`/ratings/bookings/${id}`, { choice: '5' })).status, 404);
  await ctx.family.get(`/bookings/${id}`);
  const saved = await ctx.family.post(`/ratings/bookings/${id}`, { choice: '5', comment: '' });
  assert.is(saved.status, 200);
  assert.match(saved.text, `href="/bookings/${id}"`);
  assert.is((await ctx.family.post(`/ratings/bookings/${id}`, { choice: '1' })).status, 409);
  assert.match(textOf((await ctx.family.get(`/bookings/${id}`)).text), '您已為本次服務評價');
  await pool.query(`DELETE FROM rating WHERE booking_id = $1`, [id]);
});

test('a kiosk session’s rating: only on an enrolled kiosk, for its own institution, limited per address', async (ctx) => {
  // Any other browser (signed in or not) cannot file a kiosk answer, whatever institution it names.
  const browser = new Client(ctx.app.url);
  await browser.get('/progress');
  assert.is((await browser.post('/ratings/kiosk', { institutionCode: '2411', choice: '1' })).status, 404);
  assert.is((await ctx.family.post('/ratings/kiosk', { institutionCode: '2477', choice: '1' })).status, 404);

  const kiosk = await enrolledKiosk(ctx.app.url, ctx.admin2411, '候客室評價機');
  const ended = await kiosk.get('/kiosk/ended');
  assert.match(ended.text, 'action="/ratings/kiosk"');
  assert.not.match(ended.text, 'name="institutionCode"', 'the form names no institution');
  for (const choice of ['5', '4']) {
    // An institution named in the body is ignored: the kiosk's own is kept.
    const res = await kiosk.post('/ratings/kiosk', { institutionCode: '2477', choice, comment: '寄到 me@example.com' });
    assert.is(res.status, 200);
  }
  assert.is((await kiosk.post('/ratings/kiosk', { choice: '1' })).status, 429);
  const { rows } = await ctx.app.db.pool.query(
    `SELECT institution_code, count(*)::int AS n FROM rating WHERE event = 'kiosk_session' GROUP BY 1`,
  );
  assert.equal(rows, [{ institution_code: '2411', n: 2 }]);
});

test('staff see the share satisfied per week against 80% in an SVG and a table, per scope, with masked comments', async (ctx) => {
  const own = await ctx.reviewer.get('/backoffice/ratings');
  assert.is(own.status, 200);
  assert.match(own.text, /<svg [^>]*role="img" aria-labelledby="chart-ratings-title chart-ratings-desc"/);
  const text = textOf(own.text);
  // 2477: the mailed 2 and the page's 4: 1 of 2 satisfied.
  assert.match(text, '合計 2 1 50% 未達成');
  assert.match(text, '請打 ＊＊＊ 給我');
  assert.not.match(own.text, '0912');
  for (const personal of ['陳美玲', EMAIL, 'A152601814', ctx.pendingNumber])
    assert.not.ok(own.text.includes(personal), personal);
  assert.not.match(text, 'me@example.com');

  const other = textOf((await ctx.admin2411.get('/backoffice/ratings?institution=2477')).text);
  assert.match(other, '合計 2 2 100% 達成', 'their own kiosk answers only, whatever the filter says');
  assert.match(other, '寄到 ＊＊＊');
  assert.not.match(other, '給我');

  assert.match(textOf((await ctx.agency.get('/backoffice/ratings')).text), '合計 4 3 75% 未達成');
  assert.match(textOf((await ctx.agency.get('/backoffice/ratings?institution=2411')).text), '合計 2 2 100% 達成');
  assert.match(textOf((await ctx.agency.get('/backoffice/ratings?service=contact_book')).text), '合計 1 0 0% 未達成');
  for (const odd of ['?service=x', '?institution=abcd', '?service[]=1', '?institution=%00'])
    assert.is((await ctx.agency.get('/backoffice/ratings' + odd)).status, 200, odd);
});

test.run();
