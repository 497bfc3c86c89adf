import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import { STAFF_PASSWORD, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { recordStaffAction } from '../../domain/shared/audit.ts';

type Ctx = {
  app: TestApp;
  reviewer: Client;
  admin: Client;
  admin2411: Client;
  agency: Client;
  agencySid: string;
  ids: Record<string, number>;
};

/** A client signed in as `account`, and its session cookie for raw requests (Response.text() drops a BOM). */
async function signIn(url: string, account: string): Promise<[Client, string]> {
  const c = new Client(url);
  const res = await staffSignIn(c, account, STAFF_PASSWORD);
  assert.is(res.status, 303, `${account} signed in`);
  return [
    c,
    res.headers
      .getSetCookie()
      .find((h) => h.startsWith('portal.staff.sid='))!
      .split(';')[0]!,
  ];
}
const test = suite<Ctx>('the audit log and the home statistics over HTTP: who sees what, filters, CSV, charts');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  ctx.ids = Object.fromEntries(
    (await pool.query<{ account: string; id: number }>('SELECT account, id FROM staff')).rows.map((r) => [
      r.account,
      r.id,
    ]),
  );
  const at = new Date(Date.now() - 3_600_000);
  await recordStaffAction(pool, {
    staffId: ctx.ids.reviewer2477!,
    action: 'visit_batch.capacity',
    objectType: 'visit_batch',
    objectId: 3,
    institutionCode: '2477',
    ip: '203.0.113.7',
    details: { capacity: { old: 10, new: 12 } },
    at,
  });
  await recordStaffAction(pool, {
    staffId: ctx.ids.admin2411!,
    action: 'visit_date.blocked',
    objectType: 'visit_blocked_date',
    institutionCode: '2411',
    ip: '203.0.113.8',
    details: { date: '2026-12-02', reason: '=1+1' },
    at,
  });
  // One pending application in 2477 and one in 2411, submitted now.
  for (const [code, call] of [
    ['2477', '1024'],
    ['2411', '2048'],
  ] as const) {
    const m = await fixture.inmate(pool, { institutionCode: code, callNumber: call, name: '王小明' });
    const a = await fixture.applicant(pool, {
      name: '陳美玲',
      nationalId: code === '2477' ? 'A152601814' : 'A259083012',
      email: `family${code}@example.com`,
    });
    await fixture.approvedService(pool, {
      applicant: a,
      inmate: m,
      service: 'contact_book',
      relationship: 'mother',
      status: 'pending',
    });
  }
  ctx.reviewer = (await signIn(ctx.app.url, 'reviewer2477'))[0];
  ctx.admin = (await signIn(ctx.app.url, 'admin2477'))[0];
  ctx.admin2411 = (await signIn(ctx.app.url, 'admin2411'))[0];
  [ctx.agency, ctx.agencySid] = await signIn(ctx.app.url, 'agency');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the audit log: administrators of their institution, the agency of all; reviewers get 403', async (ctx) => {
  assert.is((await ctx.reviewer.get('/backoffice/audit')).status, 403);
  assert.is((await ctx.reviewer.get('/backoffice/audit/export.csv')).status, 403);
  const mine = await ctx.admin.get('/backoffice/audit');
  assert.is(mine.status, 200);
  // The entries' table (the action filter lists every action's words).
  const text = textOf(/<tbody>.*<\/tbody>/s.exec(mine.text)![0]);
  assert.match(text, '修改梯次名額');
  assert.match(text, 'capacity: 10 → 12');
  assert.match(text, '桃園承辦人');
  assert.match(text, '203.0.113.7');
  assert.match(text, /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  assert.not.match(text, '設定不開放接見日', "2411's entry is not shown to 2477");
  assert.is((await ctx.admin.get('/backoffice/audit?institution=2411')).status, 404);
  const all = textOf(/<tbody>.*<\/tbody>/s.exec((await ctx.agency.get('/backoffice/audit')).text)![0]);
  assert.match(all, '修改梯次名額');
  assert.match(all, '設定不開放接見日');
  assert.match(all, '查詢稽核紀錄', "the administrators' viewing is in the log");
});

test('filters by staff member, action and dates; a wrong date is told and the answers kept', async (ctx) => {
  const byAction = textOf((await ctx.agency.get('/backoffice/audit?action=visit_date.blocked')).text);
  assert.match(byAction, '共 1 筆');
  assert.match(byAction, '基隆管理者');
  const byStaff = textOf((await ctx.agency.get(`/backoffice/audit?staff=${ctx.ids.reviewer2477}&action=`)).text);
  assert.match(byStaff, '共 1 筆');
  assert.match(byStaff, '修改梯次名額');
  const none = textOf((await ctx.agency.get('/backoffice/audit?from=2020-01-01&to=2020-01-31')).text);
  assert.match(none, '沒有符合條件的紀錄');
  const bad = await ctx.agency.get('/backoffice/audit?from=2026-02-30&to=2026-03-01');
  assert.is(bad.status, 422);
  assert.match(bad.text, 'class="error-summary"');
  assert.match(bad.text, 'value="2026-02-30"');
  const backwards = await ctx.agency.get('/backoffice/audit?from=2026-03-02&to=2026-03-01');
  assert.is(backwards.status, 422);
  assert.match(textOf(backwards.text), '迄日不可早於起日');
});

test('the CSV export: same filters, UTF-8 with BOM, formulas neutralised, and recorded', async (ctx) => {
  const res = await ctx.agency.get('/backoffice/audit/export.csv?action=visit_date.blocked');
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(res.headers.get('content-disposition')!, /attachment; filename="audit-log.csv"/);
  const lines = res.text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.is(lines.length, 2);
  assert.match(lines[1]!, '"設定不開放接見日"');
  assert.match(lines[1]!, 'reason: =1+1');
  const raw = await fetch(`${ctx.app.url}/backoffice/audit/export.csv`, { headers: { cookie: ctx.agencySid } });
  assert.is(raw.status, 200);
  assert.equal([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const { rows } = await ctx.app.db.pool.query(
    `SELECT details->>'action' AS action, host(ip) AS ip FROM audit_log WHERE action = 'audit_log.exported' AND staff_id = $1 ORDER BY id`,
    [ctx.ids.agency],
  );
  assert.is(rows[0].action, 'visit_date.blocked');
  assert.is(rows[0].ip, '127.0.0.1');
});

test('the home page: every role, its own scope; four charts, each an SVG with title and description beside a table', async (ctx) => {
  for (const c of [ctx.reviewer, ctx.admin, ctx.admin2411, ctx.agency])
    assert.is((await c.get('/backoffice')).status, 200);
  const home = await ctx.reviewer.get('/backoffice');
  assert.match(textOf(home.text), '待審核的服務項目申請：1 件');
  assert.match(textOf(home.text), '以下數字涵蓋：桃園女子監獄');
  const svgs = [...home.text.matchAll(/<svg [^>]*role="img" aria-labelledby="([\w-]+) ([\w-]+)"[^>]*>(.*?)<\/svg>/gs)];
  assert.is(svgs.length, 4);
  for (const [, title, desc, body] of svgs) {
    assert.match(body!, new RegExp(`<title id="${title}">[^<]+</title><desc id="${desc}">[^<]+</desc>`));
  }
  // The applications table holds this week's contact book application of 2477 only.
  const appsTable = /<section class="statistics__chart" id="statistics-applications".*?<\/section>/s.exec(
    home.text,
  )![0];
  assert.match(appsTable, /<caption>每週服務項目申請（依服務與審核結果）（表格）<\/caption>/);
  assert.match(appsTable, /合計 1 件：審核通過 0 件、審核未通過 0 件、待審核 1 件/);
  const agencyHome = textOf((await ctx.agency.get('/backoffice')).text);
  assert.match(agencyHome, '待審核的服務項目申請：2 件');
  assert.match(agencyHome, '以下數字涵蓋：所有機關');
});

test('each chart downloads as CSV in the scope of the staff member; an unknown chart is not found', async (ctx) => {
  const res = await ctx.reviewer.get('/backoffice/statistics/applications.csv');
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  const lines = res.text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.is(lines[0], '"週次","服務項目","審核通過","審核未通過","待審核","合計"');
  assert.is(lines.length, 1 + 36);
  assert.is(lines.filter((l) => l.endsWith('"1"')).length, 1, "one application in 2477's 12 weeks");
  for (const chart of ['decisions', 'bookings', 'posts'])
    assert.is((await ctx.admin2411.get(`/backoffice/statistics/${chart}.csv`)).status, 200, chart);
  assert.is((await ctx.reviewer.get('/backoffice/statistics/nothing.csv')).status, 404);
  assert.is((await ctx.reviewer.get('/backoffice/statistics/applications')).status, 404);
});

test.run();
