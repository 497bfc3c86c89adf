import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { person, registerVerifyAndSignIn, submitRegistration } from '../support/journeys.ts';

const test = appSuite('registration');

test('the form cannot be reached or submitted without consent to the privacy notice', async ({ app }) => {
  const c = new Client(app.url);
  const form = await c.get('/register/details');
  assert.is(form.status, 303);
  assert.is(form.location, '/register');
  const notice = await c.get('/register');
  assert.match(textOf(notice.text), '個人資料蒐集告知聲明');
  assert.match(textOf(notice.text), '6. 您若不提供個人資料的影響');
  const refused = await c.post('/register', {});
  assert.is(refused.status, 422);
  assert.match(refused.text, '請勾選同意個人資料蒐集告知聲明');
  assert.match(refused.text, '<title>錯誤：');
  const direct = await c.post('/register/details', { ...person() });
  assert.is(direct.status, 303);
  assert.is(direct.location, '/register');
  const { rows } = await app.db.pool.query('SELECT count(*)::int AS n FROM applicant');
  assert.is(rows[0].n, 0);
});

test('a new account records the consent time, mails a verification link and can sign in after following it', async ({
  app,
}) => {
  const c = new Client(app.url);
  const p = person({ name: '王大明' });
  const before = Date.now();
  await registerVerifyAndSignIn(c, app.smtp, p);
  const account = await c.get('/account');
  assert.is(account.status, 200);
  assert.match(textOf(account.text), '王大明，您好');
  const { rows } = await app.db.pool.query(
    'SELECT privacy_consent_at, email_verified_at, mobile FROM applicant WHERE email = $1',
    [p.email],
  );
  assert.ok(rows[0].privacy_consent_at.getTime() >= before - 1000, 'consent time recorded');
  assert.ok(rows[0].email_verified_at, 'verified');
  assert.is(rows[0].mobile, '0912345678', 'mobile normalised');
  const mail = app.smtp.to(p.email)[0]!;
  assert.is(mail.subject, '便民服務入口網註冊通知');
  assert.match(mail.text, '10 分鐘後失效');
  assert.match(mail.html, '<a href="http');
});

test('each bad answer gets its own message beside the field and in the summary; answers except passwords are kept', async ({
  app,
}) => {
  const c = new Client(app.url);
  const res = await submitRegistration(
    c,
    person({
      name: '',
      nationalId: 'A123456788',
      email: 'not-an-email',
      birthYear: '2099',
      birthMonth: '2',
      birthDay: '30',
      mobile: '12345',
      phone: 'abc',
      password: 'short',
      passwordConfirm: 'short',
    }),
  );
  assert.is(res.status, 422);
  const text = textOf(res.text);
  for (const message of [
    '請輸入姓名',
    '身分證字號不正確',
    '信箱格式不正確',
    '生日必須是真實存在的日期',
    '手機號碼格式不正確',
    '電話號碼格式不正確',
    '密碼至少需要 8 個字元',
  ]) {
    assert.match(text, message);
  }
  assert.match(res.text, '<title>錯誤：');
  assert.match(res.text, 'href="#nationalId"');
  assert.match(res.text, 'href="#birthYear"');
  assert.match(res.text, 'value="A123456788"');
  assert.match(res.text, 'value="not-an-email"');
  assert.match(res.text, 'value="2099"');
  assert.not.match(res.text, 'value="short"');
  assert.match(res.text, 'id="nationalId-error"');
  assert.match(res.text, 'aria-invalid="true"');
});

test('a birthday must be a real date in the past; a wrong ID shape is told apart from a wrong check digit', async ({
  app,
}) => {
  const c = new Client(app.url);
  const future = await submitRegistration(
    c,
    person({ birthYear: '2999', birthMonth: '1', birthDay: '1', nationalId: 'A12345' }),
  );
  assert.is(future.status, 422);
  assert.match(textOf(future.text), '生日必須是今天以前的日期');
  assert.match(
    textOf(future.text),
    '格式不正確：應為 1 個英文字母加 9 個數字（身分證字號、新式居留證號，例如 A123456789），或 2 個英文字母加 8 個數字',
  );
  const passwords = await c.post('/register/details', { ...person({ passwordConfirm: 'something else entirely' }) });
  assert.match(textOf(passwords.text), '兩次輸入的密碼不相同');
});

test('the e-mail is unique whatever its case, without telling the visitor: the owner is mailed instead', async ({
  app,
}) => {
  const first = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, first);
  const c = new Client(app.url);
  const again = await submitRegistration(c, person({ email: first.email.toUpperCase() }));
  assert.is(again.status, 303);
  assert.is(again.location, '/register/check-email');
  const page = await c.get('/register/check-email');
  assert.match(textOf(page.text), '請查看您的信箱');
  await app.smtp.waitFor((m) => m.to.toLowerCase().includes(first.email) && m.subject.includes('已經有帳號'));
  const { rows } = await app.db.pool.query('SELECT count(*)::int AS n FROM applicant WHERE lower(email) = lower($1)', [
    first.email,
  ]);
  assert.is(rows[0].n, 1);
});

// Issue 11.14: the page after registering must be true whether or not the address already had an account.
test('the "check your e-mail" page reads the same for a new address and a taken one, and fits both', async ({
  app,
}) => {
  const owner = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, owner);
  const taken = new Client(app.url);
  await submitRegistration(taken, person({ email: owner.email }));
  const takenPage = textOf((await taken.get('/register/check-email')).text);
  const fresh = new Client(app.url);
  const newcomer = person();
  await submitRegistration(fresh, newcomer);
  const freshPage = textOf((await fresh.get('/register/check-email')).text);
  assert.is(takenPage.replace(owner.email, 'EMAIL'), freshPage.replace(newcomer.email, 'EMAIL'));
  assert.match(freshPage, `如果這個電子郵件地址可以使用，我們已寄出驗證信到 ${newcomer.email}`);
  assert.match(freshPage, '若這個信箱已經有帳號，信中會說明如何登入或重設密碼');
  assert.match(freshPage, '如果信中說這個信箱已經有帳號：請直接登入；忘記密碼可以重新設定');
  assert.not.match(takenPage, '請到信箱收取驗證信');
});

// Issue 11.3: an ID number cannot be probed through the form; the owner is told by mail instead.
test('a national ID already registered gets the same "check your e-mail" answer; the owner of the ID is mailed', async ({
  app,
}) => {
  const first = person();
  const c1 = new Client(app.url);
  assert.is((await submitRegistration(c1, first)).status, 303);
  const firstPage = textOf((await c1.get('/register/check-email')).text);
  const c2 = new Client(app.url);
  const second = person({ nationalId: first.nationalId.toLowerCase() });
  const res = await submitRegistration(c2, second);
  assert.is(res.status, 303);
  assert.is(res.location, '/register/check-email');
  const secondPage = textOf((await c2.get('/register/check-email')).text);
  assert.is(secondPage.replace(second.email, 'EMAIL'), firstPage.replace(first.email, 'EMAIL'));
  assert.not.match(secondPage, '這個身分證字號已經註冊過帳號');
  const mail = await app.smtp.waitFor(
    (m) => m.to.includes(first.email) && m.subject === '便民服務入口網：有人以您的身分證字號申請註冊',
  );
  assert.match(mail.text, '這個身分證字號已經有帳號');
  assert.match(mail.text, `${app.url}/account/forgot`);
  const { rows } = await app.db.pool.query('SELECT lower(email) AS email FROM applicant WHERE national_id = $1', [
    first.nationalId,
  ]);
  assert.equal(rows, [{ email: first.email.toLowerCase() }], 'no second account');
  assert.is(app.smtp.to(second.email).length, 0, 'nothing goes to the address typed by the second registrant');
});

test('an account left unconfirmed for 24 hours has expired: its ID number and e-mail are free again', async ({
  app,
}) => {
  // Valid ID numbers no other test of this file uses.
  const squat = async (nationalId: string, email: string, hoursAgo: number) =>
    app.db.pool.query(
      `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, created_at)
       VALUES ('佔用者', $1, $2, '1980-01-01', 'x', now() - make_interval(hours => $3), now() - make_interval(hours => $3))`,
      [nationalId, email, hoursAgo],
    );
  const verification = (email: string) =>
    app.smtp.waitFor((m) => m.to.includes(email) && m.subject === '便民服務入口網註冊通知');

  await squat('C123456709', 'squatter-1@example.com', 25);
  const byId = person({ nationalId: 'C123456709' });
  assert.is((await submitRegistration(new Client(app.url), byId)).status, 303);
  await verification(byId.email);

  await squat('D234567805', 'squatter-2@example.com', 25);
  const byEmail = person({ nationalId: 'G135791306', email: 'squatter-2@example.com' });
  assert.is((await submitRegistration(new Client(app.url), byEmail)).status, 303);
  await verification('squatter-2@example.com');
  const { rows } = await app.db.pool.query(`SELECT count(*)::int AS n FROM applicant WHERE name = '佔用者'`);
  assert.is(rows[0].n, 0, 'both expired registrations gave way');

  // Within its day, an unconfirmed registration still holds its ID number: its owner is mailed.
  await squat('J246802403', 'fresh-registrant@example.com', 23);
  const late = person({ nationalId: 'J246802403' });
  assert.is((await submitRegistration(new Client(app.url), late)).status, 303);
  await app.smtp.waitFor(
    (m) => m.to.includes('fresh-registrant@example.com') && m.subject.includes('有人以您的身分證字號申請註冊'),
  );
});

test('the form and mails follow the chosen language', async ({ app }) => {
  const c = new Client(app.url);
  await c.get('/language/en?return=/register');
  const notice = await c.get('/register');
  assert.match(notice.text, '<html lang="en">');
  assert.match(textOf(notice.text), 'Privacy notice');
  const p = person();
  const res = await submitRegistration(c, { ...p, email: '' });
  assert.is(res.status, 422);
  assert.match(res.text, '<title>Error: ');
  assert.match(textOf(res.text), 'Enter your e-mail address');
  const ok = await c.post('/register/details', { ...p });
  assert.is(ok.status, 303);
  const mail = await app.smtp.waitFor((m) => m.to.includes(p.email));
  assert.is(mail.subject, 'Confirm your Corrections Service Portal account');
  linkIn(mail, `${app.url}/account/verify?token=`);
});

test('no verification link or token is kept in the notification log', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  const { rows } = await app.db.pool.query(
    `SELECT body_text, body_html, status FROM notification WHERE recipient = $1`,
    [p.email],
  );
  assert.is(rows.length, 1);
  assert.is(rows[0].status, 'sent');
  assert.not.match(rows[0].body_text, 'token=');
  assert.not.match(rows[0].body_html, 'token=');
  const tokens = await app.db.pool.query(
    `SELECT token_hash FROM applicant_token t JOIN applicant a ON a.id = t.applicant_id WHERE a.email = $1`,
    [p.email],
  );
  assert.is(tokens.rows[0].token_hash.length, 32, 'only a SHA-256 hash is stored');
});

test.run();
