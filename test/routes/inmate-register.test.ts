import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import iconv from 'iconv-lite';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import * as make from '../support/fixtures.ts';
import { signedInStaff, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { lookUpInmate } from '../../domain/inmates.ts';
import { REGISTER_API_LIMIT } from '../../routes/inmate-register-api.ts';

type Ctx = { app: TestApp; admin: Client; reviewer: Client; other: Client; agency: Client };
const test = suite<Ctx>('收容人名冊 over HTTP: upload, bad rows, preview, apply, push tokens, the push API');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  await staffAccounts(db, [
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['rev2477', '桃園審核', '2477', 'reviewer'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
    ['agency', '矯正署', null, 'agency_admin'],
  ]);
  await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await make.inmate(db, { institutionCode: '2477', callNumber: '2048', name: '林美' });
  ctx.admin = await signedInStaff(ctx.app.url, 'admin2477');
  ctx.reviewer = await signedInStaff(ctx.app.url, 'rev2477');
  ctx.other = await signedInStaff(ctx.app.url, 'admin2411');
  ctx.agency = await signedInStaff(ctx.app.url, 'agency');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

const UPLOAD = '/backoffice/inmates/upload';
/** The preview's apply form as a browser sends it: the fingerprint of the preview on screen. */
const apply = (c: Client, previewUrl: string) =>
  c.post(`${previewUrl}/apply`, {
    fingerprint: /name="fingerprint" value="([0-9a-f]{64})"/.exec(c.lastPage)?.[1] ?? '',
  });
const upload = async (c: Client, code: string, bytes: Buffer, name = 'register.csv') => {
  await c.get(`/backoffice/inmates?institution=${code}`);
  return c.postMultipart(UPLOAD, { institution: code }, [['register', name, bytes]]);
};

test('the page: administrators only; the agency chooses an institution', async ({ admin, reviewer, agency }) => {
  const page = await admin.get('/backoffice/inmates');
  assert.is(page.status, 200);
  assert.match(textOf(page.text), '在監 2 人');
  assert.is((await reviewer.get('/backoffice/inmates')).status, 403);
  const none = await agency.get('/backoffice/inmates');
  assert.match(textOf(none.text), '請選擇機關。');
  assert.match(textOf((await agency.get('/backoffice/inmates?institution=2411')).text), '基隆監獄的收容人名冊');
});

test('a file with a bad row: listed with its line and reason (422), nothing stored or applied', async ({
  app,
  admin,
}) => {
  const bad = await upload(admin, '2477', Buffer.from('\uFEFF呼號,姓名,限制\r\n1024,王小明,\r\n777,林美,\r\n', 'utf8'));
  assert.is(bad.status, 422);
  const text = textOf(bad.text);
  assert.match(text, '錯誤：');
  assert.match(text, '第 3 行');
  assert.match(text, '試算表可能刪去了開頭的 0');
  assert.is((await app.db.pool.query('SELECT count(*)::int AS n FROM inmate_register_upload')).rows[0].n, 0);
  const none = await upload(admin, '2477', Buffer.alloc(0));
  assert.is(none.status, 422);
  assert.match(textOf(none.text), '檔案中沒有任何收容人');
});

test('a clean Big5 file: preview with counts, apply once, apply again harmless; the new number can be looked up', async ({
  app,
  admin,
  other,
}) => {
  const bytes = iconv.encode('呼號,姓名,限制\r\n1024,王小明,\r\n4096,陳碧珠,禁見\r\n5120,許惠,\r\n', 'cp950');
  const sent = await upload(admin, '2477', bytes);
  assert.is(sent.status, 303);
  const previewUrl = sent.location!;
  assert.match(previewUrl, /^\/backoffice\/inmates\/uploads\/[0-9a-f-]{36}$/);
  const preview = await admin.get(previewUrl);
  assert.is(preview.status, 200);
  const text = textOf(preview.text);
  for (const s of ['新增 2 人', '修改 0 人', '出監或移監 1 人', '不變 1 人', '陳碧珠', '禁見', '2048', 'Big5'])
    assert.match(text, s);
  assert.is((await other.get(previewUrl)).status, 404, 'another institution’s upload is not found');
  assert.is((await admin.get('/backoffice/inmates/uploads/not-a-uuid')).status, 404);
  // The hidden field only names the preview seen; the rows come from the stored upload.
  await admin.get(previewUrl);
  const applied = await apply(admin, previewUrl);
  assert.is(applied.status, 303);
  assert.match(textOf((await admin.follow(applied)).text), '名冊已套用：新增 2 人、修改 0 人、出監或移監 1 人');
  assert.equal((await lookUpInmate(app.db.pool, '2477', '5120')).kind, 'found');
  assert.equal((await lookUpInmate(app.db.pool, '2477', '2048')).kind, 'unknown');
  await admin.get(previewUrl);
  const twice = await admin.post(`${previewUrl}/apply`, { fingerprint: 'f'.repeat(64) });
  assert.match(textOf((await admin.follow(twice)).text), '這份名冊已經套用過了');
  const audits = await app.db.pool.query(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'inmate_register.applied'`,
  );
  assert.is(audits.rows[0].n, 1);
});

test('a preview made stale by a change since is shown again, not applied', async ({ app, admin }) => {
  const sent = await upload(
    admin,
    '2477',
    Buffer.from('呼號,姓名\n1024,王小明\n4096,陳碧珠\n5120,許惠\n6000,新來的\n'),
  );
  await admin.get(sent.location!);
  await app.db.pool.query(`UPDATE inmate SET name = '許蕙' WHERE call_number = '5120'`);
  const stale = await apply(admin, sent.location!);
  assert.is(stale.status, 409);
  assert.match(textOf(stale.text), '預覽後名冊已有變動');
  assert.is((await lookUpInmate(app.db.pool, '2477', '6000')).kind, 'unknown');
});

test('uploads need the CSRF token and the task', async ({ admin, reviewer, other }) => {
  await admin.get('/backoffice/inmates');
  const forged = await admin.postMultipart(
    UPLOAD,
    { institution: '2477' },
    [['register', 'r.csv', Buffer.from('呼號,姓名\n1024,王\n')]],
    {
      csrf: false,
    },
  );
  assert.is(forged.status, 403);
  assert.is((await upload(reviewer, '2477', Buffer.from('呼號,姓名\n1024,王\n'))).status, 403);
  assert.is((await upload(other, '2477', Buffer.from('呼號,姓名\n1024,王\n'))).status, 404);
});

test('the push token: made and shown once, then the JSON API applies the same way', async ({ app, admin, other }) => {
  await admin.get('/backoffice/inmates');
  const made = await admin.post('/backoffice/inmates/token', { institution: '2477' });
  assert.is(made.status, 200);
  assert.is(made.headers.get('cache-control'), 'no-store');
  const token = /id="new-token" readonly value="([A-Za-z0-9_-]{43})"/.exec(made.text)?.[1];
  assert.ok(token, 'the token is on the page');
  const again = await admin.get('/backoffice/inmates');
  assert.not.match(again.text, token!);
  assert.match(textOf(again.text), '目前的金鑰由 桃園管理者');
  assert.is((await other.post('/backoffice/inmates/token', { institution: '2477' })).status, 404);

  const api = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/inmate-register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const inmates = [
    { callNumber: '1024', name: '王小明', restriction: null },
    { callNumber: '4096', name: '陳碧珠', restriction: 'visit_ban' },
    { callNumber: '5120', name: '許惠', restriction: '' },
    { callNumber: '7000', name: '推送來的', restriction: null },
  ];
  const dry = await api({ inmates, dryRun: true });
  assert.equal(await dry.json(), {
    applied: false,
    institution: '2477',
    preview: { added: 1, changed: 1, removed: 0, unchanged: 2 },
  });
  assert.is((await lookUpInmate(app.db.pool, '2477', '7000')).kind, 'unknown', 'a dry run applies nothing');
  const ok = await api({ inmates });
  assert.is(ok.status, 200);
  const body = await ok.json();
  assert.equal([body.applied, body.counts.added, body.counts.changed], [true, 1, 1]);
  assert.is((await lookUpInmate(app.db.pool, '2477', '7000')).kind, 'found');

  const bad = await api({ inmates: [...inmates, { callNumber: 123, name: '' }] });
  assert.is(bad.status, 422);
  const problems = (await bad.json()).problems;
  assert.equal(
    problems.map((p: { row: number; code: string }) => [p.row, p.code]),
    [
      [5, 'inmates.problem.callNumberZeros'],
      [5, 'inmates.problem.nameMissing'],
    ],
  );
  const unauth = await api({ inmates }, { authorization: 'Bearer nope' });
  assert.is(unauth.status, 401);
  assert.is(unauth.headers.get('www-authenticate'), 'Bearer realm="inmate-register"');
  assert.is((await unauth.json()).error, 'unauthorized');
  assert.is((await api('{"inmates": [', {})).status, 400);
  assert.is((await api({ people: [] })).status, 400);
  assert.is((await api('x', { 'content-type': 'text/plain' })).status, 415);
  assert.is((await fetch(`${app.url}/api/inmate-register`)).status, 405);

  await admin.get('/backoffice/inmates');
  assert.is((await admin.post('/backoffice/inmates/token/revoke', { institution: '2477' })).status, 303);
  assert.is((await api({ inmates })).status, 401, 'revoked');
  const pushed = await app.db.pool.query(
    `SELECT staff_id, object_type, ip FROM audit_log WHERE action = 'inmate_register.applied' ORDER BY id DESC LIMIT 1`,
  );
  assert.equal(pushed.rows[0].staff_id, null);
  assert.is(pushed.rows[0].object_type, 'inmate_register_token');
});

test('a case cancelled because its inmate left still opens for staff, with its history', async ({ app, admin }) => {
  const db = app.db.pool;
  const inmateId = await make.inmate(db, { institutionCode: '2477', callNumber: '9999', name: '將出監' });
  const applicant = await make.applicant(db, { name: '家屬乙', nationalId: 'A123456789', email: 'b@example.com' });
  const id = await make.approvedService(db, {
    applicant,
    inmate: inmateId,
    service: 'contact_book',
    relationship: 'mother',
    status: 'pending',
  });
  const current = (
    await db.query(
      `SELECT call_number, name FROM inmate WHERE institution_code = '2477' AND removed_on IS NULL AND id <> $1`,
      [inmateId],
    )
  ).rows;
  const sent = await upload(
    admin,
    '2477',
    Buffer.from(['呼號,姓名', ...current.map((m) => `${m.call_number},${m.name}`)].join('\n')),
  );
  await admin.get(sent.location!);
  assert.is((await apply(admin, sent.location!)).status, 303);
  const page = await admin.get(`/backoffice/applications/${id}`);
  assert.is(page.status, 200);
  assert.match(textOf(page.text), '已取消');
  assert.match(textOf(page.text), '收容人已出監或移監');
  // Staff working in English read the history's reason in English.
  await admin.get('/backoffice/language/en');
  try {
    const en = textOf((await admin.get(`/backoffice/applications/${id}`)).text);
    assert.match(en, 'The inmate has been released or transferred');
    assert.not.match(en, '收容人已出監或移監');
  } finally {
    await admin.get('/backoffice/language/zh-TW');
  }
});

test('the push API is rate limited per address', async ({ app }) => {
  const from = new Client(app.url, '127.0.0.9');
  let last = 0;
  for (let i = 0; i <= REGISTER_API_LIMIT; i++)
    last = (await from.request('POST', '/api/inmate-register', '{}', { 'content-type': 'application/json' })).status;
  assert.is(last, 429);
  const res = await from.request('POST', '/api/inmate-register', '{}', { 'content-type': 'application/json' });
  assert.equal(JSON.parse(res.text).error, 'rate_limited');
});

test.run();
