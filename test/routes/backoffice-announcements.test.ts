import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';

/** Monday 2026-11-23 10:00 in Taipei. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const PASSWORD = 'staff password 1';
type Ctx = { app: TestApp; admin: Client; other: Client; agency: Client; reviewer: Client; visitor: Client };
const test = suite<Ctx>('公告管理 and 訊息公告 over HTTP: writing, scope, drafts, the public list and pages');

const form = (over: Record<string, string> = {}) => ({
  titleZh: '週六接見請提早報到',
  titleEn: 'Arrive early on Saturdays',
  bodyZh: '請提早30分鐘報到。\n\n交通：https://www.mjac.moj.gov.tw/',
  bodyEn: 'Please arrive 30 minutes early.',
  from: '2026-11-23',
  to: '',
  status: 'published',
  ...over,
});

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(NOW) });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  await make.institution(db, { code: '2411' });
  for (const [account, institutionCode, role] of [
    ['a2477', '2477', 'institution_admin'],
    ['a2411', '2411', 'institution_admin'],
    ['agency', null, 'agency_admin'],
    ['r2477', '2477', 'reviewer'],
  ] as const)
    await make.staff(db, { account, name: account, institutionCode, role, password: PASSWORD });
  for (const [key, account] of [
    ['admin', 'a2477'],
    ['other', 'a2411'],
    ['agency', 'agency'],
    ['reviewer', 'r2477'],
  ] as const) {
    ctx[key] = new Client(ctx.app.url);
    assert.is((await staffSignIn(ctx[key], account, PASSWORD)).status, 303);
  }
  ctx.visitor = new Client(ctx.app.url);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

const idOf = async (app: TestApp, titleZh: string): Promise<number> =>
  Number((await app.db.pool.query('SELECT id FROM announcement WHERE title_zh = $1', [titleZh])).rows[0].id);

test('an institution administrator writes one; it is public, linked safely, on the list and the home page', async ({
  app,
  admin,
  visitor,
}) => {
  const page = await admin.get('/backoffice/announcements/new');
  assert.is(page.status, 200);
  assert.not.match(page.text, 'name="institution"', 'an institution writes for itself: no choice');
  const created = await admin.post(
    '/backoffice/announcements',
    form({ bodyZh: '<b>粗體</b> 請見 javascript:alert(1)\n\nhttps://www.mjac.moj.gov.tw/', pinned: '1' }),
  );
  assert.is(created.status, 303);
  assert.is(created.location, '/backoffice/announcements');
  const list = await admin.follow(created);
  assert.match(textOf(list.text), '已新增公告「週六接見請提早報到」');
  assert.match(textOf(list.text), '公開中');
  const id = await idOf(app, '週六接見請提早報到');
  const row = (
    await app.db.pool.query('SELECT institution_code, pinned, created_by FROM announcement WHERE id = $1', [id])
  ).rows[0];
  assert.equal([row.institution_code, row.pinned, row.created_by !== null], ['2477', true, true]);

  const shown = await visitor.get(`/announcements/${id}`);
  assert.is(shown.status, 200);
  assert.match(shown.text, '&lt;b&gt;粗體&lt;/b&gt; 請見 javascript:alert(1)');
  assert.not.match(shown.text, '<b>粗體');
  assert.match(shown.text, '<a href="https://www.mjac.moj.gov.tw/" rel="noopener noreferrer">');
  assert.not.match(shown.text, 'href="javascript');
  assert.match(textOf(shown.text), '桃園女子監獄');
  assert.match(textOf(shown.text), '2026/11/23');
  const publicList = await visitor.get('/announcements');
  assert.match(publicList.text, `href="/announcements/${id}"`);
  assert.match(textOf(publicList.text), '置頂');
  const home = await visitor.get('/');
  assert.match(home.text, `href="/announcements/${id}"`);
  const english = new Client(app.url);
  await english.get('/language/en?return=/');
  assert.match(textOf((await english.get(`/announcements/${id}`)).text), 'Arrive early on Saturdays');
});

test('a draft is never public (404), a withdrawn one neither; saving as published shows it; audited', async ({
  app,
  admin,
  visitor,
}) => {
  assert.is(
    (await admin.post('/backoffice/announcements', form({ titleZh: '草稿公告', status: 'draft' }))).status,
    303,
  );
  const id = await idOf(app, '草稿公告');
  assert.is((await visitor.get(`/announcements/${id}`)).status, 404);
  assert.not.match((await visitor.get('/announcements')).text, `/announcements/${id}"`);
  assert.not.match((await visitor.get('/')).text, `/announcements/${id}"`);
  const edit = await admin.get(`/backoffice/announcements/${id}`);
  assert.is(edit.status, 200);
  assert.match(edit.text, 'value="草稿公告"');
  const version = /name="version" value="(\d+)"/.exec(edit.text)![1]!;
  const published = await admin.post(`/backoffice/announcements/${id}`, form({ titleZh: '草稿公告', version }));
  assert.is(published.status, 303);
  assert.is((await visitor.get(`/announcements/${id}`)).status, 200);
  // The same version again: someone saved since; the latest is shown and nothing changes.
  const stale = await admin.post(`/backoffice/announcements/${id}`, form({ titleZh: '晚了', version }));
  assert.is(stale.status, 409);
  assert.match(textOf(stale.text), '已被其他人修改');
  assert.is(
    (await app.db.pool.query(`SELECT title_zh FROM announcement WHERE id = $1`, [id])).rows[0].title_zh,
    '草稿公告',
    'nothing overwritten',
  );
  await admin.get(`/backoffice/announcements/${id}`);
  assert.is((await admin.post(`/backoffice/announcements/${id}/withdraw`, {})).status, 303);
  assert.is((await visitor.get(`/announcements/${id}`)).status, 404);
  const { rows } = await app.db.pool.query(
    `SELECT action FROM audit_log WHERE object_type = 'announcement' AND object_id = $1 ORDER BY id`,
    [id],
  );
  assert.equal(
    rows.map((r) => r.action),
    ['announcement.created', 'announcement.updated', 'announcement.withdrawn'],
  );
});

test('wrong input comes back with clear messages and everything typed kept; nothing is saved', async ({
  app,
  admin,
}) => {
  await admin.get('/backoffice/announcements/new');
  const longBody = '長'.repeat(5001);
  const bad = await admin.post(
    '/backoffice/announcements',
    form({ titleZh: '', titleEn: 'Kept <title>', bodyZh: longBody, from: '2026-11-30', to: '2026/11/29', status: 'x' }),
  );
  assert.is(bad.status, 422);
  const text = textOf(bad.text);
  for (const message of ['請輸入中文標題', '內容請在 5000 字以內', '結束日期不能早於開始日期', '請選擇草稿或發布'])
    assert.match(text, message);
  assert.match(bad.text, '<title>錯誤：');
  assert.match(bad.text, 'value="Kept &lt;title&gt;"');
  assert.match(bad.text, longBody, 'the long text kept whole');
  assert.match(textOf(bad.text), '已超過 1 字，請刪減');
  assert.match(textOf(bad.text), '還可以輸入 4969 字', 'the English text: 31 characters');
  assert.match(bad.text, 'value="2026-11-30"');
  assert.match(bad.text, 'href="#status-draft"');
  assert.is(
    (await app.db.pool.query('SELECT count(*)::int AS n FROM announcement WHERE title_en = $1', ['Kept <title>']))
      .rows[0].n,
    0,
  );
  // A date typed as the hint shows it (2026/11/25) is understood.
  const typed = await admin.post('/backoffice/announcements', form({ titleZh: '手打日期', from: '2026/11/25' }));
  assert.is(typed.status, 303);
  assert.is(
    (await app.db.pool.query(`SELECT publish_from FROM announcement WHERE title_zh = '手打日期'`)).rows[0].publish_from,
    '2026-11-25',
  );
  // A date that does not exist is said as such, not as a date left out (found on review).
  const noSuchDay = await admin.post(
    '/backoffice/announcements',
    form({ titleZh: '不存在的日期', from: '2026-02-30' }),
  );
  assert.is(noSuchDay.status, 422);
  assert.match(textOf(noSuchDay.text), '開始日期不是有效的日期');
  assert.not.match(textOf(noSuchDay.text), '請輸入公告開始日期');
});

test('scope: another institution’s announcement is 404 for its administrator; agency-wide only for the agency', async ({
  app,
  admin,
  other,
  agency,
  reviewer,
  visitor,
}) => {
  await admin.get('/backoffice/announcements/new');
  assert.is((await admin.post('/backoffice/announcements', form({ titleZh: '桃園的' }))).status, 303);
  const id = await idOf(app, '桃園的');
  await other.get('/backoffice/announcements');
  assert.not.match((await other.get('/backoffice/announcements')).text, '桃園的');
  assert.is((await other.get(`/backoffice/announcements/${id}`)).status, 404);
  assert.is((await other.get(`/backoffice/announcements/${id}/delete`)).status, 404);
  assert.is((await other.post(`/backoffice/announcements/${id}`, form({ titleZh: '改掉', version: '1' }))).status, 404);
  assert.is((await other.post(`/backoffice/announcements/${id}/withdraw`, {})).status, 404);
  assert.is((await other.post(`/backoffice/announcements/${id}/delete`, {})).status, 404);
  // An institution's form names no other institution, whatever it posts.
  assert.is(
    (await other.post('/backoffice/announcements', form({ titleZh: '冒名', institution: '2477' }))).status,
    303,
  );
  assert.is(
    (await app.db.pool.query(`SELECT institution_code FROM announcement WHERE title_zh = '冒名'`)).rows[0]
      .institution_code,
    '2411',
  );
  // Reviewers have no announcements task: 403 on every page.
  for (const path of ['/backoffice/announcements', '/backoffice/announcements/new', `/backoffice/announcements/${id}`])
    assert.is((await reviewer.get(path)).status, 403, path);
  await reviewer.get('/backoffice');
  assert.is((await reviewer.post('/backoffice/announcements', form())).status, 403);
  assert.is((await reviewer.post(`/backoffice/announcements/${id}/delete`, {})).status, 403);
  // The agency chooses: agency-wide or any institution; it sees and may delete 2477's.
  const agencyForm = await agency.get('/backoffice/announcements/new');
  assert.match(agencyForm.text, '<option value="agency" selected>');
  assert.is(
    (await agency.post('/backoffice/announcements', form({ titleZh: '全署公告', institution: 'agency' }))).status,
    303,
  );
  assert.is(
    (await agency.post('/backoffice/announcements', form({ titleZh: '亂選', institution: '9999' }))).status,
    422,
  );
  const agencyId = await idOf(app, '全署公告');
  assert.is((await admin.get(`/backoffice/announcements/${agencyId}`)).status, 404);
  assert.match(textOf((await visitor.get(`/announcements/${agencyId}`)).text), '法務部矯正署');
  assert.match((await agency.get('/backoffice/announcements')).text, '桃園的');
  const confirm = await agency.get(`/backoffice/announcements/${id}/delete`);
  assert.is(confirm.status, 200);
  assert.match(textOf(confirm.text), '確定要刪除「桃園的」嗎');
  assert.is((await agency.post(`/backoffice/announcements/${id}/delete`, {})).status, 303);
  assert.is((await visitor.get(`/announcements/${id}`)).status, 404);
  assert.is((await agency.get(`/backoffice/announcements/${id}`)).status, 404);
});

test('the public list: 10 a page, pinned first then newest, page links, filter by institution or the agency', async ({
  app,
  visitor,
}) => {
  const db = app.db.pool;
  await db.query('DELETE FROM announcement');
  for (let n = 1; n <= 12; n++)
    await db.query(
      `INSERT INTO announcement (institution_code, title_zh, title_en, body_zh, body_en, publish_from, status)
       VALUES ('2411', $1, $1, '.', '.', $2, 'published')`,
      [`基隆第${n}則`, `2026-11-${String(n).padStart(2, '0')}`],
    );
  await db.query(
    `INSERT INTO announcement (institution_code, title_zh, title_en, body_zh, body_en, publish_from, status, pinned)
     VALUES (NULL, '置頂全署', 'Pinned', '.', '.', '2026-01-01', 'published', true)`,
  );
  const first = await visitor.get('/announcements');
  const titles = [...first.text.matchAll(/href="\/announcements\/\d+">([^<]+)</g)].map((m) => m[1]);
  assert.equal(titles, ['置頂全署', ...[12, 11, 10, 9, 8, 7, 6, 5, 4].map((n) => `基隆第${n}則`)]);
  assert.match(textOf(first.text), '共 13 則，第 1 / 2 頁');
  assert.match(first.text, '<nav class="pagination" aria-label="公告分頁">');
  assert.match(first.text, 'aria-current="page"');
  assert.match(first.text, 'href="/announcements?page=2" rel="next"');
  const second = await visitor.get('/announcements?page=2');
  assert.equal(
    [...second.text.matchAll(/href="\/announcements\/\d+">([^<]+)</g)].map((m) => m[1]),
    ['基隆第3則', '基隆第2則', '基隆第1則'],
  );
  assert.match(second.text, '<title>訊息公告 - 第 2 頁');
  const keelung = await visitor.get('/announcements?institution=2411&page=2');
  assert.match(textOf(keelung.text), '共 12 則，第 2 / 2 頁');
  assert.match(keelung.text, '<option value="2411" selected>');
  assert.match(keelung.text, 'href="/announcements?institution=2411&amp;page=1" rel="prev"');
  const agencyOnly = await visitor.get('/announcements?institution=agency');
  assert.equal(
    [...agencyOnly.text.matchAll(/href="\/announcements\/\d+">([^<]+)</g)].map((m) => m[1]),
    ['置頂全署'],
  );
  // Odd filters and pages show the whole list, never an error.
  for (const q of ['institution=9999', 'institution=%27', 'page=-3', 'page=abc', 'page=99999999999'])
    assert.is((await visitor.get(`/announcements?${q}`)).status, 200, q);
  for (const path of ['/announcements/0', '/announcements/abc', '/announcements/99999999999999999999'])
    assert.is((await visitor.get(path)).status, 404, path);
  const home = await visitor.get('/');
  assert.equal(
    [...home.text.matchAll(/href="\/announcements\/\d+">([^<]+)</g)].map((m) => m[1]),
    ['置頂全署', '基隆第12則', '基隆第11則', '基隆第10則', '基隆第9則'],
  );
});

test.run();
