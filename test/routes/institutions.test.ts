import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import {
  familyWithContactBook,
  signedInApplicant,
  signedInStaff,
  staffAccounts,
  twoInstitutions,
} from '../support/scenarios.ts';

/** Monday 2026-11-23 10:00 in Taipei. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
type Ctx = { app: TestApp; agency: Client; admin: Client; admin2411: Client; reviewer: Client };
const test = suite<Ctx>('機關資料管理 and 系統參數設定(機關) over HTTP: forms, errors, roles, scope, at once');

const PARAMS = { A: '20', B: '', C: '10', RAS: '09:00', RAE: '11:00', RFS: '14:00', RFE: '16:00' };

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(NOW) });
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  await staffAccounts(db, [
    ['agency', '署管理者', null, 'agency_admin'],
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
    ['rev2477', '桃園承辦人', '2477', 'reviewer'],
  ]);
  ctx.agency = await signedInStaff(ctx.app.url, 'agency');
  ctx.admin = await signedInStaff(ctx.app.url, 'admin2477');
  ctx.admin2411 = await signedInStaff(ctx.app.url, 'admin2411');
  ctx.reviewer = await signedInStaff(ctx.app.url, 'rev2477');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('only the agency administrator opens 機關資料管理; the others get 403', async (ctx) => {
  assert.is((await ctx.agency.get('/backoffice/institutions')).status, 200);
  for (const c of [ctx.admin, ctx.reviewer]) {
    for (const path of ['/backoffice/institutions', '/backoffice/institutions/new', '/backoffice/institutions/2477'])
      assert.is((await c.get(path)).status, 403, path);
    assert.is((await c.post('/backoffice/institutions', { code: '3101', nameZh: '甲', nameEn: 'A' })).status, 403);
    assert.is((await c.post('/backoffice/institutions/2477', { nameZh: '甲', nameEn: 'A' })).status, 403);
  }
  assert.is((await ctx.reviewer.get('/backoffice/parameters')).status, 403);
  assert.is((await ctx.reviewer.post('/backoffice/parameters', { institution: '2477', ...PARAMS })).status, 403);
  assert.is((await ctx.reviewer.post('/backoffice/parameters/auto-approval', { institution: '2477' })).status, 403);
  assert.is((await ctx.agency.get('/backoffice/institutions/9999')).status, 404);
});

test('adding an institution: errors beside the fields with the answers kept, then saved and listed; families read its notes', async (ctx) => {
  const form = await ctx.agency.get('/backoffice/institutions/new');
  assert.is(form.status, 200);
  assert.match(textOf(form.text), '新機關的參數先採預設值：行動接見 20 分鐘、家庭聯絡簿每 10 天 1 則');
  const bad = await ctx.agency.post('/backoffice/institutions', {
    code: '2477',
    nameZh: '臺北監獄',
    nameEn: '',
    phone: '(03)319-1161',
    visitingNotesZh: '請提早報到',
  });
  assert.is(bad.status, 422);
  assert.match(bad.text, '<title>錯誤：');
  assert.match(textOf(bad.text), '這個機關代碼已有機關使用');
  assert.match(textOf(bad.text), '請輸入機關的英文名稱');
  assert.match(bad.text, 'value="臺北監獄"');
  assert.match(bad.text, '請提早報到</textarea>');
  const taken = await ctx.agency.post('/backoffice/institutions', {
    code: '2477',
    nameZh: '臺北監獄',
    nameEn: 'Taipei Prison',
  });
  assert.is(taken.status, 422, 'the code is in use');
  // 0000 is no code, and a name another institution has cannot be told apart in the lists (found on review).
  const alike = await ctx.agency.post('/backoffice/institutions', {
    code: '0000',
    nameZh: '桃園女子監獄',
    nameEn: "TAOYUAN WOMEN'S PRISON",
  });
  assert.is(alike.status, 422);
  assert.match(textOf(alike.text), '不可為 0000');
  // Both names, in either case: each in the summary and beside its field.
  assert.equal(textOf(alike.text).match(/已有其他機關使用這個名稱/g)?.length, 4);
  const added = await ctx.agency.post('/backoffice/institutions', {
    code: '3101',
    nameZh: '臺北監獄',
    nameEn: 'Taipei Prison',
    addressZh: '桃園市龜山區宏德新村2號',
    phone: '(03)319-1161',
    visitingNotesZh: '請於接見前30分鐘報到。',
    visitingNotesEn: 'Please arrive 30 minutes early.',
  });
  assert.is(added.status, 303);
  const list = await ctx.agency.follow(added);
  assert.match(textOf(list.text), '已新增機關 3101。');
  assert.match(textOf(list.text), '臺北監獄');
  const times = await new Client(ctx.app.url).get('/visit-times');
  assert.match(textOf(times.text), '請於接見前30分鐘報到。');

  const edit = await ctx.agency.get('/backoffice/institutions/3101');
  assert.match(edit.text, 'value="(03)319-1161"');
  const saved = await ctx.agency.post('/backoffice/institutions/3101', {
    code: '9999',
    nameZh: '法務部矯正署臺北監獄',
    nameEn: 'Taipei Prison',
    addressZh: '桃園市龜山區宏德新村2號',
    addressEn: '',
    phone: '(03)319-1161',
    visitingNotesZh: '請於接見前30分鐘報到。',
    visitingNotesEn: 'Please arrive 30 minutes early.',
  });
  assert.is(saved.status, 303);
  const row = await ctx.app.db.pool.query(`SELECT code, name_zh FROM institution WHERE name_zh LIKE '%臺北監獄'`);
  assert.equal(row.rows, [{ code: '3101', name_zh: '法務部矯正署臺北監獄' }], 'the code is not changed by the form');
  const audit = await ctx.app.db.pool.query(`SELECT details FROM audit_log WHERE action = 'institution.updated'`);
  assert.equal(audit.rows[0].details.changes, { nameZh: { old: '臺北監獄', new: '法務部矯正署臺北監獄' } });
});

test('an institution administrator sets their parameters: range and order errors kept, then applied and shown as last change', async (ctx) => {
  const page = await ctx.admin.get('/backoffice/parameters');
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, '2477-桃園女子監獄 的參數');
  assert.match(text, '家庭聯絡簿發送間隔(天)');
  assert.match(text, '現場律師接見上午時間起');
  assert.not.match(page.text, 'id="institution-choice"', 'one institution: nothing to choose');
  const bad = await ctx.admin.post('/backoffice/parameters', { institution: '2477', ...PARAMS, C: '91', RAE: '08:00' });
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '家庭聯絡簿發送間隔請輸入 1 到 90 的整數（天）');
  assert.match(textOf(bad.text), '上午時間迄須晚於上午時間起');
  assert.match(bad.text, 'value="91"');
  assert.match(bad.text, 'value="08:00"');
  const ok = await ctx.admin.post('/backoffice/parameters', { institution: '2477', ...PARAMS, C: '3' });
  assert.is(ok.status, 303);
  const after = await ctx.admin.follow(ok);
  assert.match(textOf(after.text), '參數已儲存並立即生效（C）。');
  assert.match(textOf(after.text), '桃園管理者，2026/11/23 10:00');
  assert.match(textOf(after.text), '由 10 改為 3');
  assert.is(
    (await ctx.app.db.pool.query(`SELECT contact_book_interval_days AS c FROM institution WHERE code = '2477'`)).rows[0]
      .c,
    3,
  );
  // Another institution is not found for them; the agency chooses any.
  assert.is((await ctx.admin.post('/backoffice/parameters', { institution: '2411', ...PARAMS, C: '5' })).status, 404);
  assert.is(
    (await ctx.admin.post('/backoffice/parameters/auto-approval', { institution: '2411', service: 'visit' })).status,
    404,
  );
  assert.not.match(textOf((await ctx.admin.get('/backoffice/parameters?institution=2411')).text), '基隆監獄 的參數');
  const chooser = await ctx.agency.get('/backoffice/parameters');
  assert.match(chooser.text, 'id="institution-choice"');
  assert.match(textOf((await ctx.agency.get('/backoffice/parameters?institution=2411')).text), '2411-基隆監獄 的參數');
  await ctx.admin.post('/backoffice/parameters', { institution: '2477', ...PARAMS });
});

test('自動審核通過 is switched per service from the page, off by default', async (ctx) => {
  const page = await ctx.admin.get('/backoffice/parameters');
  assert.not.match(page.text, /name="service" value="[a-z_]+" aria-describedby="auto-hint" checked/);
  // Two ticked boxes: the same name twice, as a browser sends them.
  const body = new URLSearchParams([
    ['_csrf', csrfFrom(page.text)],
    ['institution', '2477'],
    ['service', 'contact_book'],
    ['service', 'lawyer_visit'],
  ]).toString();
  const saved = await ctx.admin.request('POST', '/backoffice/parameters/auto-approval', body);
  assert.is(saved.status, 303);
  const after = textOf((await ctx.admin.follow(saved)).text);
  assert.match(after, '自動審核設定已儲存並立即生效。');
  assert.match(after, '由 關閉 改為 開啟');
  const { rows } = await ctx.app.db.pool.query(`SELECT auto_approve_services FROM institution WHERE code = '2477'`);
  assert.equal(rows[0].auto_approve_services, ['contact_book', 'lawyer_visit']);
  await ctx.admin.post('/backoffice/parameters/auto-approval', { institution: '2477' });
  const off = await ctx.app.db.pool.query(`SELECT auto_approve_services FROM institution WHERE code = '2477'`);
  assert.equal(off.rows[0].auto_approve_services, []);
});

test("a family's next post date on the contact book pages moves with C", async (ctx) => {
  const db = ctx.app.db.pool;
  const { applicant, inmate, book } = await familyWithContactBook(db, {
    name: '陳美玲',
    nationalId: 'A223456781',
    email: 'mei@example.com',
    password: 'family password 1',
  });
  await db.query(
    `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, posted_on, submitted_at, submission_key)
     VALUES ($1, $2, $3, '2477', '近況', '一切安好', '2026-11-22', now(), gen_random_uuid())`,
    [book, applicant, inmate],
  );
  const family = await signedInApplicant(ctx.app.url, 'mei@example.com', 'family password 1');
  assert.match(textOf((await family.get('/contact-book')).text), '2026/12/02');
  await ctx.admin.post('/backoffice/parameters', { institution: '2477', ...PARAMS, C: '4' });
  const moved = textOf((await family.get('/contact-book')).text);
  assert.match(moved, '2026/11/26');
  assert.not.match(moved, '2026/12/02');
  await ctx.admin.post('/backoffice/parameters', { institution: '2477', ...PARAMS });
});

test.run();
