import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appSuite } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import { person, submitRegistration } from '../support/journeys.ts';
import { signedInApplicant, signedInStaff, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { until } from '../support/wait.ts';

const test = appSuite('我的資料與隱私: the data download, 停止利用, the deletion request and its back-office queue');
const PASSWORD = 'family password 1';
let alice = 0;
const dir = mkdtempSync(join(tmpdir(), 'k6-privacy-http-'));

test.before(async ({ app }) => {
  const { pool } = app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
  ]);
  alice = await fixture.applicant(pool, {
    name: '王小美',
    nationalId: 'A259083012',
    email: 'alice@example.com',
    password: PASSWORD,
  });
  await fixture.applicant(pool, {
    name: '林小剛',
    nationalId: 'B166131862',
    email: 'bob@example.com',
    password: PASSWORD,
  });
  await fixture.approvedService(pool, {
    applicant: alice,
    inmate: await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王大明' }),
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function download(c: Client): Promise<Response> {
  const page = await c.get('/account/data');
  return fetch(`${c.base}/account/data/download`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: c.cookieHeaderValue, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(page.text) }).toString(),
  });
}

test('the page and the download need sign-in', async ({ app }) => {
  const stranger = new Client(app.url);
  const page = await stranger.get('/account/data');
  assert.is(page.status, 303);
  assert.match(page.location ?? '', /^\/signin\?return=/);
  const privacy = await stranger.get('/privacy');
  assert.match(privacy.text, 'href="/account/data"');
});

test('the download is an attachment, not stored, of the applicant only, and limited to 5 an hour', async ({ app }) => {
  const c = await signedInApplicant(app.url, 'alice@example.com', PASSWORD);
  const res = await download(c);
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
  assert.is(res.headers.get('cache-control'), 'no-store');
  const file = join(dir, 'alice.zip');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const data = JSON.parse(execFileSync('unzip', ['-p', file, 'data.json'], { encoding: 'utf8' }));
  assert.is(data.profile.email, 'alice@example.com');
  const html = execFileSync('unzip', ['-p', file, 'index.html'], { encoding: 'utf8' });
  assert.ok(html.includes('王小美'));
  assert.not.ok(html.includes('林小剛') || html.includes('bob@example.com'), 'another applicant never included');
  assert.ok(
    app.logs.some((l) => l.includes('data download')),
    'a server log line',
  );
  for (let i = 2; i <= 5; i++) assert.is((await download(c)).status, 200, `download ${i}`);
  assert.is((await download(c)).status, 429);
});

test('停止利用 is recorded on the account and can be undone', async ({ app }) => {
  const c = await signedInApplicant(app.url, 'bob@example.com', PASSWORD);
  await c.get('/account/data');
  assert.is((await c.post('/account/data/optional-mail', { stop: '1' })).status, 303);
  const { rows } = await app.db.pool.query(
    `SELECT optional_mail_stopped_at FROM applicant WHERE email = 'bob@example.com'`,
  );
  assert.ok(rows[0].optional_mail_stopped_at);
  const page = await c.get('/account/data');
  assert.match(page.text, 'name="stop" value="0"');
});

test('a deletion request with the password closes the account and its session; staff erase it and the mail arrives', async ({
  app,
}) => {
  const c = await signedInApplicant(app.url, 'alice@example.com', PASSWORD);
  await c.get('/account/data/delete');
  const wrong = await c.post('/account/data/delete', { password: 'not it' });
  assert.is(wrong.status, 422);
  assert.match(wrong.text, /<title>錯誤：/);
  const done = await c.post('/account/data/delete', { password: PASSWORD });
  assert.is(done.status, 200);
  assert.is((await c.get('/account/data')).status, 303, 'the session ended');
  const again = new Client(app.url);
  await again.get('/signin');
  const signIn = await again.post('/signin', { email: 'alice@example.com', password: PASSWORD });
  assert.not.ok(signIn.status === 303 && signIn.location === '/account', 'no more sign-in');
  // Said as the family's own request, not as staff having disabled it (found on review).
  assert.is(signIn.status, 403);
  assert.match(textOf(signIn.text), '這個帳號已依您的要求刪除，不能再登入');
  assert.not.match(textOf(signIn.text), '已停用');
  // Registering again with the same ID number: the answer mail says why it cannot be, with no sign-in or
  // reset link that would lead nowhere.
  const back = new Client(app.url);
  assert.is((await submitRegistration(back, person({ nationalId: 'A259083012', name: '王小美' }))).status, 303);
  const closedMail = await until('the closed-account mail', async () =>
    app.smtp.mails.find((m) => m.to === 'alice@example.com' && m.subject.includes('已依您的要求刪除')),
  );
  assert.match(closedMail.text, '不能再登入');
  assert.not.match(closedMail.text, '/signin');
  assert.not.match(closedMail.text, '/account/forgot');
  // Not in another institution's queue; in 2477's.
  const other = await signedInStaff(app.url, 'admin2411');
  assert.not.match((await other.get('/backoffice/families/deletions')).text, '王小美');
  const staff = await signedInStaff(app.url, 'admin2477');
  const list = await staff.get('/backoffice/families/deletions');
  const id = /\/backoffice\/families\/deletions\/(\d+)/.exec(list.text)![1];
  assert.is((await other.get(`/backoffice/families/deletions/${id}`)).status, 404);
  await staff.get(`/backoffice/families/deletions/${id}`);
  const missing = await staff.post(`/backoffice/families/deletions/${id}`, { decision: 'erase' });
  assert.is(missing.status, 422);
  const erased = await staff.post(`/backoffice/families/deletions/${id}`, {
    decision: 'erase',
    nothingToKeep: '1',
    note: '',
  });
  assert.is(erased.status, 303);
  const mail = await until('the outcome mail', async () =>
    app.smtp.mails.find((m) => m.to === 'alice@example.com' && m.subject.includes('已刪除')),
  );
  assert.match(mail.text, '最後一封信');
  const { rows } = await app.db.pool.query('SELECT name, email FROM applicant WHERE id = $1', [alice]);
  assert.not.ok(rows[0].name === '王小美' || rows[0].email === 'alice@example.com');
});

test.run();
