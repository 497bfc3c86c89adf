import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import {
  aliceAndBob,
  staffAccounts,
  twoInstitutions,
  type AliceAndBob,
  type ThreeStaff,
} from '../support/scenarios.ts';

type Ctx = AliceAndBob &
  ThreeStaff & {
    app: TestApp;
    png: Buffer;
    pdf: Buffer;
    applicationId: number;
    number: string;
  };
const test = suite<Ctx>('the back office over HTTP: staff sign-in, review, documents, decisions, notification log');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '林美華' });
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['reviewer2411', '基隆承辦人', '2411', 'reviewer'],
    ['second2477', '桃園第二承辦人', '2477', 'institution_admin'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  Object.assign(ctx, await aliceAndBob(ctx.app));
  ctx.png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  ctx.pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
  await ctx.alice.get('/applications/new/contact-book');
  const sent = await ctx.alice.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
    [
      ['identityFiles', '身分證.png', ctx.png],
      ['relationshipFiles', '戶口名簿.pdf', ctx.pdf],
    ],
  );
  assert.is(sent.status, 303);
  ctx.number = sent.location!.split('/').pop()!;
  ctx.applicationId = Number(
    (await pool.query('SELECT id FROM service_application WHERE number = $1', [ctx.number])).rows[0].id,
  );
  ctx.staff = new Client(ctx.app.url);
  ctx.other = new Client(ctx.app.url);
  ctx.agency = new Client(ctx.app.url);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('staff sign in with account, password and captcha; a wrong captcha or password is refused and told', async ({
  app,
  staff,
  other,
  agency,
}) => {
  const page = await staff.get('/backoffice/signin');
  assert.is(page.status, 200);
  assert.match(page.text, '<img class="captcha" src="/backoffice/captcha.svg');
  const src = /<img class="captcha" src="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
  const svg = await staff.get(src);
  assert.is(svg.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
  assert.match(svg.text, /^<svg/);
  assert.not.match(svg.text, /<text/, 'the code is drawn as paths, not as text a script could read');
  assert.match(textOf(page.text), '改用文字驗證碼', 'the accessible alternative is offered');

  const wrongCaptcha = await staffSignIn(staff, 'reviewer2477', 'staff password 1', { wrongCaptcha: true });
  assert.is(wrongCaptcha.status, 422);
  assert.match(textOf(wrongCaptcha.text), '驗證碼不正確或已過期');
  assert.match(wrongCaptcha.text, 'value="reviewer2477"', 'the account is kept');
  const wrongPassword = await staffSignIn(staff, 'reviewer2477', 'not the password');
  assert.is(wrongPassword.status, 401);
  assert.match(textOf(wrongPassword.text), '帳號或密碼不正確');
  const unknown = await staffSignIn(staff, 'nobody', 'staff password 1');
  assert.is(textOf(unknown.text).includes('帳號或密碼不正確'), true, 'an unknown account reads the same');

  const ok = await staffSignIn(staff, 'reviewer2477', 'staff password 1');
  assert.is(ok.status, 303);
  assert.is(ok.location, '/backoffice');
  const cookie = ok.headers.getSetCookie().find((h) => h.startsWith('portal.staff.sid='))!;
  assert.match(cookie, /Path=\/backoffice/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.is((await staffSignIn(other, 'reviewer2411', 'staff password 1')).status, 303);
  assert.is((await staffSignIn(agency, 'agency', 'staff password 1')).status, 303);
  const home = await staff.get('/backoffice');
  assert.is(home.status, 200);
  assert.match(textOf(home.text), '待審核的服務項目申請：1 件');
  assert.is(home.headers.get('cache-control'), 'no-store');
  // A code is used up by one try: replaying the same answer is refused, whatever the password.
  const c = new Client(app.url);
  const page2 = await c.get('/backoffice/signin?captcha=text');
  const words = /請以阿拉伯數字輸入：([零一二三四五六七八九 ]+)/.exec(textOf(page2.text))![1]!.trim().split(' ');
  const digits = words.map((w) => '零一二三四五六七八九'.indexOf(w)).join('');
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(page2.text)![1]!;
  const form = { account: 'reviewer2477', captcha: digits, captchaId, captchaMode: 'text' };
  assert.is((await c.post('/backoffice/signin', { ...form, password: 'wrong' })).status, 401);
  const replay = await c.post('/backoffice/signin', { ...form, password: 'staff password 1' });
  assert.is(replay.status, 422, 'the same code again');
  assert.match(textOf(replay.text), '驗證碼不正確或已過期');

  // One solved code sent in parallel: only one request gets as far as the password.
  const p3 = await c.get('/backoffice/signin?captcha=text');
  const id3 = /name="captchaId" value="([^"]+)"/.exec(p3.text)![1]!;
  const d3 = /請以阿拉伯數字輸入：([零一二三四五六七八九 ]+)/
    .exec(textOf(p3.text))![1]!
    .trim()
    .split(' ')
    .map((w) => '零一二三四五六七八九'.indexOf(w))
    .join('');
  const token = /name="_csrf" value="([^"]+)"/.exec(p3.text)![1]!;
  const statuses = await Promise.all(
    Array.from({ length: 6 }, () =>
      c
        .request('POST', '/backoffice/signin', {
          _csrf: token,
          account: 'agency',
          password: 'a wrong guess',
          captcha: d3,
          captchaId: id3,
          captchaMode: 'text',
        })
        .then((r) => r.status),
    ),
  );
  assert.equal(statuses.sort(), [401, 422, 422, 422, 422, 422], 'one password check for one code');
  assert.is(
    (await app.db.pool.query('SELECT count(*)::int AS n FROM staff_captcha WHERE id = $1', [id3])).rows[0].n,
    0,
  );

  // /BACKOFFICE is not the back office: no portal session reaches the staff routes by changing case.
  assert.is((await c.get('/BACKOFFICE/signin')).status, 404);
});

test('an applicant session never opens a staff page, and a staff session is not an applicant', async ({
  alice,
  staff,
}) => {
  const res = await alice.get('/backoffice/applications');
  assert.is(res.status, 303);
  assert.match(res.location!, /^\/backoffice\/signin\?return=/);
  const account = await staff.get('/account');
  assert.is(account.status, 303, 'the staff session does not sign anyone in on the portal');
  assert.match(account.location!, /^\/signin/);
});

test('the queue: own institution only, pending first and oldest first, filters by call number', async ({
  staff,
  other,
  agency,
  number,
}) => {
  const mine = await staff.get('/backoffice/applications');
  assert.is(mine.status, 200);
  assert.match(textOf(mine.text), number);
  assert.match(textOf(mine.text), '王小明');
  const theirs = await other.get('/backoffice/applications');
  assert.not.match(theirs.text, number, 'staff of another institution do not see it');
  const asked = await other.get('/backoffice/applications?institution=2477&status=');
  assert.not.match(asked.text, number, 'nor by asking for that institution');
  assert.match(
    textOf((await agency.get('/backoffice/applications?institution=2477')).text),
    number,
    'an agency administrator sees every institution',
  );
  assert.not.match((await staff.get('/backoffice/applications?callNumber=9999')).text, number);
  const bad = await staff.get('/backoffice/applications?callNumber=12&from=yesterday');
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '呼號請輸入 4 或 6 碼數字');
  assert.match(textOf(bad.text), '請以 2026/11/23 的格式輸入日期');
});

test('a case shows the applicant, the inmate and every document; documents go only to that institution’s staff', async ({
  staff,
  other,
  alice,
  bob,
  applicationId,
}) => {
  const page = await staff.get(`/backoffice/applications/${applicationId}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  for (const s of ['王小明', '1024', '身分證.png', '戶口名簿.pdf', '送出申請']) assert.match(text, s);
  const links = [...page.text.matchAll(/href="(\/backoffice\/applications\/\d+\/documents\/\d+)"/g)].map((m) => m[1]!);
  assert.is(new Set(links).size, 2);
  const image = await staff.request(
    'GET',
    links.find((l) => page.text.includes(`<img class="document__image" src="${l}"`))!,
  );
  assert.is(image.status, 200);
  assert.is(image.headers.get('content-type'), 'image/png');
  assert.is(image.headers.get('x-content-type-options'), 'nosniff');
  assert.match(
    image.headers.get('content-disposition')!,
    /^inline; filename=.*filename\*=UTF-8''%E8%BA%AB%E5%88%86%E8%AD%89\.png/,
  );
  assert.match(image.headers.get('content-security-policy')!, /sandbox/);
  assert.match(image.headers.get('cache-control')!, /no-store/);
  const pdfLink = links.find((l) => l !== links.find((x) => page.text.includes(`src="${x}"`)))!;
  const pdf = await staff.get(`${pdfLink}?download=1`);
  assert.is(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition')!, /^attachment;/);
  assert.match(pdf.text, /^%PDF-/);

  assert.is(
    (await other.get(`/backoffice/applications/${applicationId}`)).status,
    404,
    'another institution: no such case',
  );
  for (const l of links) {
    assert.is((await other.get(l)).status, 404, 'another institution: no such document');
    assert.is((await alice.get(l)).status, 303, 'the applicant’s session does not reach staff URLs');
  }
  // The applicant's own copy, and nobody else's.
  const own = await alice.get('/applications');
  const number = /href="\/applications\/(\d{8}-[0-9A-Z]{6})"/.exec(own.text)![1]!;
  const show = await alice.get(`/applications/${number}`);
  const ownLinks = [...show.text.matchAll(/href="(\/applications\/[^"]+\/documents\/\d+)"/g)].map((m) => m[1]!);
  assert.is(ownLinks.length, 2);
  assert.is((await alice.get(ownLinks[0]!)).status, 200);
  assert.is((await bob.get(ownLinks[0]!)).status, 404, 'another applicant cannot read it');
});

test('staff of another institution cannot decide; rejecting needs a reason; the reason reaches the applicant as written', async ({
  app,
  staff,
  other,
  alice,
  alicePerson,
  applicationId,
  number,
}) => {
  await other.get('/backoffice/applications');
  const foreign = await other.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'approve',
    version: '1',
  });
  assert.is(foreign.status, 404);
  // The back office's not-found page leads home to the back office, not the families' portal.
  assert.match(foreign.text, '<a href="/backoffice">');
  // A form altered (its version not a number) is a page saying so, not 'something went wrong'.
  await staff.get(`/backoffice/applications/${applicationId}`);
  const altered = await staff.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'approve',
    version: '-1',
  });
  assert.is(altered.status, 400);
  assert.match(textOf(altered.text), '這次送出的表單內容不正確，沒有任何變更');
  assert.match(altered.text, '<a href="/backoffice">');
  await staff.get(`/backoffice/applications/${applicationId}`);
  const noReason = await staff.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'reject',
    reasonCode: '',
    reasonText: '',
    version: '1',
  });
  assert.is(noReason.status, 422);
  assert.match(textOf(noReason.text), '審核未通過時，請選擇原因或填寫說明');
  const rejected = await staff.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'reject',
    reasonCode: 'relationshipMissing',
    reasonText: '請補上戶籍謄本第 2 頁。',
    version: '1',
  });
  assert.is(rejected.status, 303);
  const notice = await staff.follow(rejected);
  assert.match(textOf(notice.text), `申請 ${number} 審核未通過`);

  const list = await alice.get('/applications');
  assert.match(textOf(list.text), '審核未通過');
  assert.match(list.text, `hx-get="/applications/${number}/reason"`, 'with JavaScript the reason opens in a dialog');
  const fragment = await alice.get(`/applications/${number}/reason`, { 'hx-request': 'true' });
  assert.not.match(fragment.text, '<html');
  assert.match(textOf(fragment.text), '關係證明文件不足');
  assert.match(textOf(fragment.text), '請補上戶籍謄本第 2 頁。');
  assert.match(fragment.text, `href="/applications/${number}/resubmit"`);
  const plain = await alice.get(`/applications/${number}/reason`);
  assert.is(plain.status, 303, 'without JavaScript: the application’s own page');
  const page = await alice.follow(plain);
  assert.match(textOf(page.text), '請補上戶籍謄本第 2 頁。');
  assert.match(textOf(page.text), '修改並重新送出');
  // Read later in English, the common reason is in English; the reviewer's own words stay as written.
  await alice.get(`/language/en?return=/applications/${number}`);
  const inEnglish = textOf((await alice.get(`/applications/${number}`)).text);
  assert.match(inEnglish, 'The relationship documents do not show how you are related to the inmate.');
  assert.not.match(inEnglish, '關係證明文件不足');
  assert.match(inEnglish, '請補上戶籍謄本第 2 頁。');
  assert.match(inEnglish, /household register\): \S+\.pdf/, 'an English colon between a document and its file');
  assert.not.match(inEnglish, '：');
  await alice.get('/language/zh-TW');

  const mail = await app.smtp.waitFor(
    (m) => m.to.includes(alicePerson.email) && m.text.includes('審核結果為審核未通過'),
  );
  assert.match(mail.text, '請補上戶籍謄本第 2 頁。');
  const audit = await app.db.pool.query(
    `SELECT s.account, l.action, host(l.ip) AS ip, l.details->>'reason' AS reason FROM audit_log l JOIN staff s ON s.id = l.staff_id WHERE l.object_id = $1`,
    [applicationId],
  );
  assert.is(audit.rows.length, 1);
  assert.is(audit.rows[0].account, 'reviewer2477');
  assert.is(audit.rows[0].action, 'application.rejected');
  assert.ok(audit.rows[0].ip, 'the address is recorded');
});

test('correct and resend: the same application goes back to pending, a replaced document is kept for the history, twice is once', async ({
  app,
  alice,
  bob,
  png,
  number,
  applicationId,
}) => {
  assert.is((await bob.get(`/applications/${number}/resubmit`)).status, 404, 'another applicant cannot correct it');
  const form = await alice.get(`/applications/${number}/resubmit`);
  assert.is(form.status, 200);
  assert.match(textOf(form.text), '請補上戶籍謄本第 2 頁。');
  const docs = (
    await app.db.pool.query(`SELECT id, kind FROM application_document WHERE application_id = $1 ORDER BY id`, [
      applicationId,
    ])
  ).rows;
  const identity = docs.find((x) => x.kind === 'identity')!.id;
  const relationship = docs.find((x) => x.kind === 'relationship')!.id;
  // Untick the relationship document without sending a new one: refused, nothing changes.
  const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
  const missing = await alice.postMultipart(`/applications/${number}/resubmit`, {
    action: 'submit',
    version,
    relationship: 'mother',
    keep: [String(identity)],
  });
  assert.is(missing.status, 422);
  assert.match(textOf(missing.text), '關係');
  assert.is(
    (await app.db.pool.query('SELECT status FROM service_application WHERE id = $1', [applicationId])).rows[0].status,
    'rejected',
  );
  const sent = await alice.postMultipart(
    `/applications/${number}/resubmit`,
    { action: 'submit', version, relationship: 'mother', keep: [String(identity)] },
    [['relationshipFiles', '戶籍謄本.png', png]],
  );
  assert.is(sent.status, 303, textOf(sent.text).slice(0, 400));
  assert.is(sent.location, `/applications/${number}`);
  const again = await alice.postMultipart(`/applications/${number}/resubmit`, {
    action: 'submit',
    version,
    relationship: 'mother',
    keep: [String(identity)],
  });
  assert.is(again.status, 303, 'sent twice: lands on the same application');
  const { rows } = await app.db.pool.query('SELECT status, version FROM service_application WHERE id = $1', [
    applicationId,
  ]);
  assert.equal(rows[0], { status: 'pending', version: 3 });
  const events = await app.db.pool.query('SELECT action FROM application_event WHERE application_id = $1 ORDER BY id', [
    applicationId,
  ]);
  assert.equal(
    events.rows.map((e) => e.action),
    ['submitted', 'rejected', 'resubmitted'],
  );
  const current = await app.db.pool.query(
    'SELECT id, file_name, replaced_at IS NOT NULL AS replaced FROM application_document WHERE application_id = $1 ORDER BY id',
    [applicationId],
  );
  assert.equal(
    current.rows.map((r) => [r.file_name, r.replaced]),
    [
      ['身分證.png', false],
      ['戶口名簿.pdf', true],
      ['戶籍謄本.png', false],
    ],
  );
  assert.ok(relationship);
});

test('two staff deciding at once: the second is told, nothing is overwritten; approval is mailed and logged', async ({
  app,
  staff,
  alicePerson,
  applicationId,
}) => {
  const second = new Client(app.url);
  assert.is((await staffSignIn(second, 'second2477', 'staff password 1')).status, 303);
  const a = await staff.get(`/backoffice/applications/${applicationId}`);
  const b = await second.get(`/backoffice/applications/${applicationId}`);
  assert.match(textOf(a.text), '修改後重新送出', 'the history shows the correction');
  const version = /name="version" value="(\d+)"/.exec(a.text)![1]!;
  assert.is(/name="version" value="(\d+)"/.exec(b.text)![1], version);
  const first = await staff.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'approve',
    version,
  });
  assert.is(first.status, 303);
  const late = await second.post(`/backoffice/applications/${applicationId}/decision`, {
    decision: 'reject',
    reasonCode: 'wrongInmate',
    reasonText: '',
    version,
  });
  assert.is(late.status, 409);
  assert.match(textOf(late.text), '已由其他承辦人員審核');
  const { rows } = await app.db.pool.query('SELECT status, rejection_reason FROM service_application WHERE id = $1', [
    applicationId,
  ]);
  assert.equal(rows[0], { status: 'approved', rejection_reason: null });
  const mail = await app.smtp.waitFor((m) => m.to.includes(alicePerson.email) && m.text.includes('審核結果為審核通過'));
  assert.ok(mail);
});

test('the notification log: staff of that institution find the mails; other institutions do not', async ({
  app,
  staff,
  other,
  agency,
  alicePerson,
}) => {
  // Wait until the worker has delivered both decision mails, so their status reads 已發送.
  for (let i = 0; i < 50; i++) {
    const { rows } = await app.db.pool.query(
      `SELECT count(*)::int AS n FROM notification WHERE recipient = $1 AND status = 'sent' AND institution_code = '2477'`,
      [alicePerson.email],
    );
    if (rows[0].n >= 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const q = encodeURIComponent(alicePerson.email);
  const log = await staff.get(`/backoffice/notifications?q=${q}`);
  assert.is(log.status, 200);
  const text = textOf(log.text);
  assert.match(
    text,
    '共 4 件',
    `pending, rejected, pending again, approved: ${text.slice(text.indexOf('共'), text.indexOf('共') + 20)}`,
  );
  assert.match(text, '審核結果為審核通過');
  assert.match(text, '審核結果為審核未通過');
  assert.match(text, '已發送');
  assert.match(text, alicePerson.email);
  const narrowed = await staff.get(`/backoffice/notifications?q=${encodeURIComponent('審核未通過')}`);
  assert.match(textOf(narrowed.text), '共 1 件');
  const theirs = await other.get(`/backoffice/notifications?q=${q}`);
  assert.match(textOf(theirs.text), '沒有符合條件的通知');
  const asked = await other.get(`/backoffice/notifications?q=${q}&institution=2477`);
  assert.match(textOf(asked.text), '沒有符合條件的通知', 'nor by asking for that institution');
  assert.match(
    textOf((await agency.get(`/backoffice/notifications?q=${q}`)).text),
    '共 5 件',
    'the agency also sees the account mail (verification), which belongs to no institution',
  );
  // The account mails (verification) belong to no institution: only the agency sees them.
  assert.not.match(
    textOf((await staff.get(`/backoffice/notifications?q=${encodeURIComponent('驗證')}`)).text),
    alicePerson.email,
  );
});

test('every application URL as another applicant and as staff of another institution: refused', async ({
  app,
  alice,
  bob,
  other,
  staff,
  number,
  applicationId,
}) => {
  const docIds = (
    await app.db.pool.query('SELECT id FROM application_document WHERE application_id = $1 AND replaced_at IS NULL', [
      applicationId,
    ])
  ).rows.map((r) => r.id);
  const applicantUrls = [
    `/applications/${number}`,
    `/applications/${number}/reason`,
    `/applications/${number}/resubmit`,
    ...docIds.map((id) => `/applications/${number}/documents/${id}`),
  ];
  for (const url of applicantUrls) {
    assert.is((await bob.get(url)).status, 404, `another applicant: ${url}`);
    assert.is((await bob.get(url, { 'hx-request': 'true' })).status, 404, `another applicant with htmx: ${url}`);
    const asStaff = await other.get(url);
    assert.is(asStaff.status, 303, `staff are not applicants: ${url}`);
    assert.match(asStaff.location!, /^\/signin/);
    assert.ok([200, 303].includes((await alice.get(url)).status), `the applicant herself: ${url}`);
  }
  await bob.get('/applications');
  assert.is(
    (
      await bob.postMultipart(`/applications/${number}/resubmit`, {
        action: 'submit',
        relationship: 'mother',
        version: '1',
      })
    ).status,
    404,
  );
  const staffUrls = [
    `/backoffice/applications/${applicationId}`,
    ...docIds.map((id) => `/backoffice/applications/${applicationId}/documents/${id}`),
  ];
  for (const url of staffUrls) {
    assert.is((await other.get(url)).status, 404, `another institution: ${url}`);
    assert.is((await staff.get(url)).status, 200, `its own institution: ${url}`);
    assert.is((await bob.get(url)).status, 303, `an applicant: ${url}`);
  }
  await other.get('/backoffice/applications');
  assert.is(
    (
      await other.post(`/backoffice/applications/${applicationId}/decision`, {
        decision: 'reject',
        reasonCode: 'wrongInmate',
        version: '5',
      })
    ).status,
    404,
  );
});

test('sign-out ends the staff session; forms need the back office’s own CSRF token', async ({ app, staff }) => {
  await staff.get('/backoffice');
  const out = await staff.post('/backoffice/signout', {});
  assert.is(out.status, 303);
  assert.is((await staff.get('/backoffice/applications')).status, 303);
  const c = new Client(app.url);
  await c.get('/backoffice/signin');
  const forged = await c.post(
    '/backoffice/signin',
    { account: 'reviewer2477', password: 'staff password 1', captcha: 'XXXX' },
    { csrf: false },
  );
  assert.is(forged.status, 403);
});

test.run();
