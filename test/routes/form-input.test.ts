import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import { person, staffSignIn, submitRegistration } from '../support/journeys.ts';
import { hashPassword } from '../../domain/platform/passwords.ts';

// Issue 11, items 6 and 7: forms as large as the largest real ones, and control characters at the edge.
type Ctx = { app: TestApp; admin: Client };
const test = suite<Ctx>('form input at the edge: NUL and other control characters, the largest real forms');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await pool.query(`INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan')`);
  const hash = await hashPassword('staff password 1');
  await pool.query(
    `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('admin2477', '甲', '2477', 'institution_admin', $1)`,
    [hash],
  );
  ctx.admin = new Client(ctx.app.url);
  assert.is((await staffSignIn(ctx.admin, 'admin2477', 'staff password 1')).status, 303);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('a NUL byte in a form or a query is removed at the edge: the forms answer as without it, never 500', async ({
  app,
}) => {
  const c = new Client(app.url);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: 'nobody\u0000@example.com', password: 'x\u0000y' })).status, 401);
  await c.get('/account/forgot');
  assert.is((await c.post('/account/forgot', { email: 'a\u0000@example.com' })).status, 200);
  await c.get('/account/verify/resend');
  assert.is((await c.post('/account/verify/resend', { email: 'a\u0000@example.com' })).status, 200);

  // The same person with a NUL in the e-mail address registers as that address.
  const p = person({ email: 'nul-test@example.com' });
  const r = new Client(app.url);
  assert.is((await submitRegistration(r, { ...p, email: 'nul-test\u0000@example.com' })).status, 303);
  await app.smtp.waitFor((m) => m.to === 'nul-test@example.com');
  const { rows } = await app.db.pool.query(`SELECT email FROM applicant WHERE email LIKE 'nul-test%'`);
  assert.equal(rows, [{ email: 'nul-test@example.com' }]);

  // The staff sign-in: the account with a NUL inside is the account.
  const s = new Client(app.url);
  assert.is((await staffSignIn(s, 'admin\u00002477', 'staff password 1')).status, 303);
  for (const path of [
    '/backoffice/applications?call=%00',
    '/backoffice/bookings?callNumber=1%00024&from=2026-01-01%00',
    '/backoffice/contact-book?status=%00',
    '/backoffice/notifications?recipient=%00',
    '/?q=%00',
  ]) {
    const res = await s.get(path);
    assert.ok(res.status < 500, `${path} answered ${res.status}`);
  }
});

test('the largest institution timetable (7 days × 3 kinds × 8 batches = 168 capacity fields) saves in one form', async ({
  app,
  admin,
}) => {
  const { pool } = app.db;
  for (const kind of ['onsite', 'remote']) {
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (let i = 0; i < 8; i++) {
        await pool.query(
          `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ('2477', $1, $2, $3, 30, 6)`,
          [kind, weekday, `${String(8 + i).padStart(2, '0')}:00`],
        );
      }
    }
  }
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let i = 0; i < 8; i++) {
      await pool.query(
        `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ('2477', 'mobile', $1, $2, NULL, 6)`,
        [weekday, `${String(8 + i).padStart(2, '0')}:30`],
      );
    }
  }
  const page = await admin.get('/backoffice/timetable?institution=2477');
  assert.is(page.status, 200);
  const fields = [...page.text.matchAll(/name="(cap-\d+)"/g)].map((m) => m[1]!);
  assert.is(fields.length, 168, 'every batch has its capacity field on the form');
  const body = new URLSearchParams({ _csrf: csrfFrom(page.text), institution: '2477' });
  for (const f of fields) body.append(f, '9');
  const saved = await admin.request('POST', '/backoffice/timetable/capacity', body.toString());
  assert.is(saved.status, 303, 'the form is taken, not refused as too large');
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM visit_batch WHERE institution_code = '2477' AND capacity = 9 AND retired_at IS NULL`,
  );
  assert.is(rows[0].n, 168, 'every capacity was saved');
});

test('a form over the limit gets a page that says so and what to do, not a generic error', async ({ app }) => {
  const c = new Client(app.url);
  const page = await c.get('/signin');
  const body = new URLSearchParams({
    _csrf: csrfFrom(page.text),
    email: 'a@example.com',
    password: 'x'.repeat(300_000),
  });
  const res = await c.request('POST', '/signin', body.toString());
  assert.is(res.status, 413);
  assert.match(textOf(res.text), '送出的內容太多');
  assert.match(textOf(res.text), '已填寫的內容仍在上一頁');
});

test.run();
