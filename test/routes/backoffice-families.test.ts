import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import {
  STAFF_PASSWORD,
  signedInApplicant,
  signedInStaff,
  staffAccounts,
  twoInstitutions,
} from '../support/scenarios.ts';

const test = appSuite('back office: family records (家屬資料查詢修改) and the family’s correction request', {
  limits: { signInPerEmail: [3, 15] },
});
const PASSWORD = 'family password 1';
const ALICE = { name: '王小美', nationalId: 'A259083012', email: 'alice@example.com' };
let alice = 0;
let carol = 0;

test.before(async ({ app }) => {
  const { pool } = app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['agency', '矯正署', null, 'agency_admin'],
  ]);
  alice = await fixture.applicant(pool, { ...ALICE, password: PASSWORD, mobile: '0912345678' });
  await fixture.approvedService(pool, {
    applicant: alice,
    inmate: await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王大明' }),
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  carol = await fixture.applicant(pool, { name: '陳小華', nationalId: 'E196030826', email: 'carol@example.com' });
});

test('reviewers may not open the pages (403); another institution’s family is not found (404) on every URL', async ({
  app,
}) => {
  const reviewer = await signedInStaff(app.url, 'reviewer2477');
  assert.is((await reviewer.get('/backoffice/families')).status, 403);
  assert.is((await reviewer.get(`/backoffice/families/${alice}`)).status, 403);
  const other = await signedInStaff(app.url, 'admin2411');
  assert.is((await other.get(`/backoffice/families/${alice}`)).status, 404);
  const search = await other.get(`/backoffice/families?q=${ALICE.nationalId}`);
  assert.is(search.status, 200);
  assert.not.match(search.text, '王小美');
  for (const action of ['identity', 'verification', 'unlock', 'disable', 'enable']) {
    await other.get('/backoffice/families');
    const res = await other.post(`/backoffice/families/${alice}/${action}`, { reason: 'x', name: 'x' });
    assert.is(res.status, 404, action);
  }
  const admin = await signedInStaff(app.url, 'admin2477');
  assert.is((await admin.get(`/backoffice/families/${carol}`)).status, 404, 'no application: nobody’s family');
  const agency = await signedInStaff(app.url, 'agency');
  assert.is((await agency.get(`/backoffice/families/${carol}`)).status, 200, 'the agency sees everyone');
  assert.is((await agency.get('/backoffice/families/requests/999999')).status, 404);
  assert.is((await agency.get('/backoffice/families/nobody')).status, 404);
});

test('search lists with IDs masked and opens a record with its services, verification and sign-in state', async ({
  app,
}) => {
  const admin = await signedInStaff(app.url, 'admin2477');
  const list = await admin.get('/backoffice/families?q=ALICE%40example.com');
  assert.is(list.status, 200);
  assert.match(textOf(list.text), '王小美');
  assert.match(list.text, '******3012');
  assert.not.match(list.text, ALICE.nationalId);
  const page = await admin.get(`/backoffice/families/${alice}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, ALICE.nationalId);
  assert.match(text, '1024');
  assert.match(text, '已驗證');
  assert.match(text, '正常');
  const { rows } = await app.db.pool.query(`SELECT details FROM audit_log WHERE action = 'family.search'`);
  assert.equal(
    rows.map((r) => r.details.query),
    [ALICE.nationalId, 'ALICE@example.com'],
    'every search is audited, also one that finds nobody',
  );
});

test('a correction with problems comes back with what was typed (422); a good one changes the name the family sees and mails them', async ({
  app,
}) => {
  const admin = await signedInStaff(app.url, 'admin2477');
  await admin.get(`/backoffice/families/${alice}`);
  const form = { name: '王小玫', nationalId: ALICE.nationalId, birthYear: '1980', birthMonth: '1', birthDay: '1' };
  const bad = await admin.post(`/backoffice/families/${alice}/identity`, { ...form, reason: '' });
  assert.is(bad.status, 422);
  assert.match(bad.text, '<title>錯誤：');
  assert.match(bad.text, 'value="王小玫"');
  assert.match(textOf(bad.text), '請填寫原因。');
  const done = await admin.post(`/backoffice/families/${alice}/identity`, { ...form, reason: '依戶政資料更正' });
  assert.is(done.status, 303);
  assert.match(textOf((await admin.get(done.location!)).text), '已更正');
  const mail = await app.smtp.waitFor((m) => m.to.includes(ALICE.email) && m.subject.includes('基本資料已更正'));
  assert.match(mail.text, '姓名：王小美 → 王小玫');
  const family = await signedInApplicant(app.url, ALICE.email, PASSWORD);
  assert.match(textOf((await family.get('/account/profile')).text), '王小玫');
});

test('a locked account shows as locked; unlocking lets the right password sign in at once', async ({ app }) => {
  const stranger = new Client(app.url);
  for (let i = 0; i < 3; i++) {
    await stranger.get('/signin');
    assert.is((await stranger.post('/signin', { email: ALICE.email, password: 'wrong password' })).status, 401);
  }
  const family = new Client(app.url);
  await family.get('/signin');
  const slow = await family.post('/signin', { email: ALICE.email, password: PASSWORD });
  assert.is(slow.status, 200, 'over the limit, the right password only mails a link');
  const admin = await signedInStaff(app.url, 'admin2477');
  const page = await admin.get(`/backoffice/families/${alice}`);
  assert.match(textOf(page.text), '密碼錯誤次數過多');
  assert.is((await admin.post(`/backoffice/families/${alice}/unlock`, {})).status, 303);
  assert.match(textOf((await admin.get(`/backoffice/families/${alice}`)).text), '已解除登入鎖定');
  await family.get('/signin');
  assert.is((await family.post('/signin', { email: ALICE.email, password: PASSWORD })).status, 303);
});

test('a disabled account loses its session and is told at sign-in to contact the institution; enabled, it signs in', async ({
  app,
}) => {
  const family = await signedInApplicant(app.url, ALICE.email, PASSWORD);
  assert.is((await family.get('/account')).status, 200);
  const admin = await signedInStaff(app.url, 'admin2477');
  await admin.get(`/backoffice/families/${alice}`);
  const bad = await admin.post(`/backoffice/families/${alice}/disable`, { reason: '' });
  assert.is(bad.status, 422);
  assert.match(bad.text, 'id="disableReason-error"');
  assert.is((await admin.post(`/backoffice/families/${alice}/disable`, { reason: '冒用他人身分' })).status, 303);
  assert.match(textOf((await admin.get(`/backoffice/families/${alice}`)).text), '冒用他人身分');
  const after = await family.get('/account');
  assert.is(after.status, 303, 'the session is gone');
  assert.match(after.location!, '/signin');
  await family.get('/signin');
  const refused = await family.post('/signin', { email: ALICE.email, password: PASSWORD });
  assert.is(refused.status, 403);
  assert.match(textOf(refused.text), '這個帳號已停用，不能登入。請洽收容人所在的機關。');
  await family.get('/signin');
  assert.is((await family.post('/signin', { email: ALICE.email, password: 'wrong password' })).status, 401);
  await admin.get(`/backoffice/families/${alice}`);
  assert.is((await admin.post(`/backoffice/families/${alice}/enable`, {})).status, 303);
  await family.get('/signin');
  assert.is((await family.post('/signin', { email: ALICE.email, password: PASSWORD })).status, 303);
});

test('the family asks for a correction on their profile; staff refuse with a reason; the family sees it and is mailed', async ({
  app,
}) => {
  const family = await signedInApplicant(app.url, ALICE.email, PASSWORD);
  const profile = await family.get('/account/profile');
  assert.match(textOf(profile.text), '申請更正基本資料');
  assert.not.match(textOf(profile.text), '請洽收容人所在的機關', 'no longer told only to ask the institution');
  const empty = await family.post('/account/profile/correction', {
    name: '',
    nationalId: '',
    birthYear: '',
    birthMonth: '',
    birthDay: '',
    reason: '打錯字',
  });
  assert.is(empty.status, 422);
  assert.match(textOf(empty.text), '請至少填寫一個要更正的欄位');
  assert.match(empty.text, '打錯字</textarea>');
  const sent = await family.post('/account/profile/correction', {
    name: '王曉玫',
    nationalId: '',
    birthYear: '',
    birthMonth: '',
    birthDay: '',
    reason: '註冊時打錯字',
  });
  assert.is(sent.status, 303);
  const waitingPage = (await family.get('/account/profile')).text;
  const waiting = textOf(waitingPage);
  assert.match(waiting, '處理中');
  assert.match(waiting, '王曉玫');
  assert.not.match(waitingPage, 'action="/account/profile/correction"', 'one open request at a time: no form');
  assert.is(
    (
      await family.post('/account/profile/correction', {
        name: '王曉美',
        nationalId: '',
        birthYear: '',
        birthMonth: '',
        birthDay: '',
        reason: '再試一次',
      })
    ).status,
    303,
  );
  assert.match(textOf((await family.get('/account/profile')).text), '您已有一件更正申請處理中');

  const other = await signedInStaff(app.url, 'admin2411');
  assert.not.match(textOf((await other.get('/backoffice/families')).text), '王小玫');
  const admin = await signedInStaff(app.url, 'admin2477');
  const queue = await admin.get('/backoffice/families');
  const link = /href="(\/backoffice\/families\/requests\/\d+)"/.exec(queue.text)?.[1];
  assert.ok(link, 'the request is in the queue');
  assert.is((await other.get(link!)).status, 404);
  const record = await admin.get(`/backoffice/families/${alice}`);
  assert.match(record.text, `href="${link}"`, 'the record points to the waiting request');
  const page = await admin.get(link!);
  assert.match(textOf(page.text), '王曉玫');
  const noReason = await admin.post(`${link}/decision`, { decision: 'refuse', reason: '' });
  assert.is(noReason.status, 422);
  const none = await admin.post(`${link}/decision`, { reason: '' });
  assert.is(none.status, 422);
  const refused = await admin.post(`${link}/decision`, { decision: 'refuse', reason: '請附上戶籍資料' });
  assert.is(refused.status, 303);
  const again = await admin.post(`${link}/decision`, { decision: 'accept' });
  assert.is(again.status, 409);
  const mail = await app.smtp.waitFor((m) => m.to.includes(ALICE.email) && m.subject.includes('更正申請未通過'));
  assert.match(mail.text, '請附上戶籍資料');
  const answered = textOf((await family.get('/account/profile')).text);
  assert.match(answered, '未更正');
  assert.match(answered, '請附上戶籍資料');
  assert.match(answered, '送出更正申請', 'another request may be sent');
  assert.is((await app.db.pool.query('SELECT 1 FROM applicant_correction_request')).rowCount, 1);
  // The refused request's page says who answered and when.
  assert.match(textOf((await admin.get(link!)).text), /處理人員：\S+，\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);

  // Accepted, the request's page still says what the name was before (found on review: it showed the new
  // name as both 'now' and 'asked for').
  await family.get('/account/profile');
  const second = await family.post('/account/profile/correction', {
    name: '王曉玫',
    nationalId: '',
    birthYear: '',
    birthMonth: '',
    birthDay: '',
    reason: '附上戶籍資料',
  });
  assert.is(second.status, 303);
  const secondLink = /href="(\/backoffice\/families\/requests\/\d+)"/.exec(
    (await admin.get('/backoffice/families')).text,
  )![1]!;
  await admin.get(secondLink);
  assert.is((await admin.post(`${secondLink}/decision`, { decision: 'accept' })).status, 303);
  const decided = textOf((await admin.get(secondLink)).text);
  assert.match(decided, '更正前');
  assert.match(decided, /姓名\s*王小玫\s*王曉玫/);
  assert.match(decided, /處理人員：\S+，/);
});

test('the staff pages are reached only through the back-office session', async ({ app }) => {
  const family = await signedInApplicant(app.url, ALICE.email, PASSWORD);
  const res = await family.get('/backoffice/families');
  assert.is(res.status, 303);
  assert.match(res.location!, '/backoffice/signin');
  const staff = await signedInStaff(app.url, 'admin2477', STAFF_PASSWORD);
  await staff.get('/backoffice/families');
  assert.is((await staff.post(`/backoffice/families/${alice}/unlock`, {}, { csrf: false })).status, 403);
});

test.run();
