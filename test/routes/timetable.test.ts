import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { bookableDates } from '../../domain/bookings/availability.ts';

/** Monday 2026-11-23 10:00 in Taipei. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
type Ctx = { app: TestApp; staff: Client; other: Client };
const test = suite<Ctx>('公告時段管理 over HTTP: closed dates, capacities, new batches, scope');

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(NOW) });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  await make.institution(db, { code: '2411' });
  const password = 'staff password 1';
  for (const [account, name, institutionCode, role] of [
    ['s2477', '甲', '2477', 'institution_admin'],
    ['s2411', '乙', '2411', 'institution_admin'],
    ['r2477', '丙', '2477', 'reviewer'],
  ] as const)
    await make.staff(db, { account, name, institutionCode, role, password });
  for (let weekday = 1; weekday <= 5; weekday++) {
    await make.visitBatch(db, {
      institutionCode: '2477',
      kind: 'onsite',
      weekday,
      startsAt: '09:00',
      lengthMinutes: 30,
      capacity: 6,
    });
  }
  ctx.staff = new Client(ctx.app.url);
  ctx.other = new Client(ctx.app.url);
  assert.is((await staffSignIn(ctx.staff, 's2477', 'staff password 1')).status, 303);
  assert.is((await staffSignIn(ctx.other, 's2411', 'staff password 1')).status, 303);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('staff close a date with a reason and open it again; a past date is refused with the answers kept', async ({
  app,
  staff,
}) => {
  const page = await staff.get('/backoffice/timetable');
  assert.is(page.status, 200);
  assert.match(textOf(page.text), '桃園女子監獄的接見梯次與不開放日期');
  const past = await staff.post('/backoffice/timetable/closed', {
    institution: '2477',
    date: '2026-11-01',
    reason: '颱風',
  });
  assert.is(past.status, 422);
  assert.match(textOf(past.text), '請選擇今天或以後的日期');
  assert.match(past.text, 'value="颱風"');
  const date = bookableDates(NOW)[0]!;
  const closed = await staff.post('/backoffice/timetable/closed', { institution: '2477', date, reason: '颱風停班' });
  assert.is(closed.status, 303);
  assert.match(textOf((await staff.follow(closed)).text), `${date.replace(/-/g, '/')} 已設為不開放`);
  assert.is(
    (
      await app.db.pool.query(
        `SELECT reason FROM visit_blocked_date WHERE institution_code = '2477' AND blocked_on = $1`,
        [date],
      )
    ).rows[0].reason,
    '颱風停班',
  );
  assert.is(
    (await staff.post('/backoffice/timetable/closed', { institution: '2477', date, reason: '' })).status,
    422,
    'already closed',
  );
  const opened = await staff.post(`/backoffice/timetable/closed/${date}/open`, { institution: '2477' });
  assert.is(opened.status, 303);
  assert.is((await app.db.pool.query(`SELECT count(*)::int AS n FROM visit_blocked_date`)).rows[0].n, 0);
});

test('capacities change per batch, 0 takes one off, a batch is added on chosen weekdays; all audited', async ({
  app,
  staff,
}) => {
  const page = await staff.get('/backoffice/timetable');
  const ids = [...page.text.matchAll(/name="cap-(\d+)"/g)].map((m) => m[1]!);
  assert.is(ids.length, 5);
  assert.match(page.text, '<label class="visually-hidden" for="cap-', 'every capacity box has a label');
  // A cell that is not a count refuses the whole form, nothing saved, each bad cell marked with what was
  // typed kept (found on review: they were dropped silently, 'updated 0 batches').
  const refused = await staff.post('/backoffice/timetable/capacity', {
    institution: '2477',
    [`cap-${ids[0]}`]: '2',
    [`cap-${ids[1]}`]: '0',
    [`cap-${ids[2]}`]: 'many',
    [`cap-${ids[3]}`]: '501',
  });
  assert.is(refused.status, 422);
  assert.match(textOf(refused.text), '有 2 格名額無法儲存');
  assert.match(refused.text, `<a href="#cap-${ids[2]}">`);
  assert.match(refused.text, new RegExp(`id="cap-${ids[2]}"[^>]*value="many"[^>]*aria-invalid="true"`));
  assert.match(refused.text, new RegExp(`id="cap-${ids[3]}"[^>]*value="501"[^>]*aria-invalid="true"`));
  assert.match(refused.text, new RegExp(`id="cap-${ids[0]}"[^>]*value="2"`), 'a good cell keeps what was typed');
  assert.not.match(refused.text, new RegExp(`id="cap-${ids[0]}"[^>]*aria-invalid`));
  assert.is(
    (await app.db.pool.query('SELECT count(*)::int AS n FROM visit_batch WHERE capacity = 2 OR retired_at IS NOT NULL'))
      .rows[0].n,
    0,
    'nothing saved',
  );
  const saved = await staff.post('/backoffice/timetable/capacity', {
    institution: '2477',
    [`cap-${ids[0]}`]: '2',
    [`cap-${ids[1]}`]: '0',
    [`cap-${ids[2]}`]: ' ６ ',
  });
  assert.is(saved.status, 303);
  assert.match(textOf((await staff.follow(saved)).text), '已更新 2 個梯次的名額');
  const rows = (
    await app.db.pool.query('SELECT id, capacity, retired_at IS NOT NULL AS retired FROM visit_batch ORDER BY weekday')
  ).rows;
  assert.equal(
    rows.slice(0, 3).map((r) => [r.capacity, r.retired]),
    [
      [2, false],
      [6, true],
      [6, false],
    ],
  );
  const bad = await staff.post('/backoffice/timetable/batches', {
    institution: '2477',
    kind: 'onsite',
    startsAt: '9am',
    lengthMinutes: '30',
    capacity: '4',
  });
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '請至少選擇一個星期');
  assert.match(textOf(bad.text), '請以 09:00 的格式輸入開始時間');
  const lateBody = new URLSearchParams({
    _csrf: /name="_csrf" value="([^"]+)"/.exec(bad.text)![1]!,
    institution: '2477',
    kind: 'onsite',
    startsAt: '23:50',
    lengthMinutes: '30',
    capacity: '5',
    weekday: '6',
  });
  const late = await staff.request('POST', '/backoffice/timetable/batches', lateBody.toString());
  assert.is(late.status, 422, 'a batch running past midnight (found on review)');
  assert.match(textOf(late.text), '梯次須在當天 24:00 以前結束');
  const body = new URLSearchParams({
    _csrf: /name="_csrf" value="([^"]+)"/.exec(bad.text)![1]!,
    institution: '2477',
    kind: 'mobile',
    startsAt: '15:30',
    lengthMinutes: '',
    capacity: '3',
  });
  body.append('weekday', '2');
  body.append('weekday', '4');
  const added = await staff.request('POST', '/backoffice/timetable/batches', body.toString());
  assert.is(added.status, 303);
  const mobile = (
    await app.db.pool.query(
      `SELECT weekday, length_minutes FROM visit_batch WHERE visit_kind = 'mobile' ORDER BY weekday`,
    )
  ).rows;
  assert.equal(mobile, [
    { weekday: 2, length_minutes: null },
    { weekday: 4, length_minutes: null },
  ]);
  const audit = (
    await app.db.pool.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE object_type = 'visit_batch' GROUP BY action ORDER BY action`,
    )
  ).rows;
  assert.equal(audit, [
    { action: 'visit_batch.added', n: 2 },
    { action: 'visit_batch.capacity', n: 1 },
    { action: 'visit_batch.retired', n: 1 },
  ]);
});

test('staff of another institution change nothing of it', async ({ app, other }) => {
  const page = await other.get('/backoffice/timetable?institution=2477');
  assert.match(textOf(page.text), '基隆監獄的接見梯次', 'they see their own institution');
  const id = (await app.db.pool.query(`SELECT id FROM visit_batch WHERE retired_at IS NULL ORDER BY id LIMIT 1`))
    .rows[0].id;
  assert.is(
    (await other.post('/backoffice/timetable/capacity', { institution: '2477', [`cap-${id}`]: '99' })).status,
    404,
  );
  assert.is(
    (await app.db.pool.query('SELECT capacity FROM visit_batch WHERE id = $1', [id])).rows[0].capacity,
    2,
    'a batch of another institution is ignored',
  );
  assert.is(
    (
      await other.post('/backoffice/timetable/closed', {
        institution: '2477',
        date: bookableDates(NOW)[1]!,
        reason: '',
      })
    ).status,
    404,
  );
  assert.is(
    (await other.post(`/backoffice/timetable/closed/${bookableDates(NOW)[1]}/open`, { institution: '2477' })).status,
    404,
  );
  assert.is(
    (await app.db.pool.query(`SELECT count(*)::int AS n FROM visit_blocked_date`)).rows[0].n,
    0,
    'nothing closed anywhere',
  );
  // Their own capacities, though, they change.
  const own = await other.get('/backoffice/timetable');
  assert.not.match(own.text, 'name="cap-', 'no batches at 2411 yet');
});

test('reviewers review; only administrators change the timetable', async ({ app }) => {
  const reviewer = new Client(app.url);
  assert.is((await staffSignIn(reviewer, 'r2477', 'staff password 1')).status, 303);
  const home = await reviewer.get('/backoffice');
  assert.not.match(home.text, 'href="/backoffice/timetable"');
  assert.is((await reviewer.get('/backoffice/timetable')).status, 403);
  assert.is(
    (
      await reviewer.post('/backoffice/timetable/closed', {
        institution: '2477',
        date: bookableDates(NOW)[2]!,
        reason: '',
      })
    ).status,
    403,
  );
  assert.is((await app.db.pool.query(`SELECT count(*)::int AS n FROM visit_blocked_date`)).rows[0].n, 0);
});

test.run();
