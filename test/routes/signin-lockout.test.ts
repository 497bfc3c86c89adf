import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { staffSignIn } from '../support/journeys.ts';
import { STAFF_SLOW_DELAY_MS, defaultLimits } from '../../routes/middleware/rate-limits.ts';

// Issue 11.2: guessing is limited without handing an attacker a lockout. Each client below sends from a
// loopback address of its own (127.0.0.x), as people and attackers on different networks would.
const test = appSuite('sign-in limits: strangers cannot lock an account out');

const PASSWORD = 'the owner’s real password';

test('30 wrong passwords from 3 addresses: the owner at a fourth address is mailed a one-time link that signs in; the attackers stay limited', async ({
  app,
}) => {
  const email = 'owner-under-attack@example.com';
  await fixture.applicant(app.db.pool, { name: '林小美', nationalId: 'A152601814', email, password: PASSWORD });
  const [perAddressAndAccount] = defaultLimits.signInPerAccount;
  const [acrossAddresses] = defaultLimits.signInPerEmail;
  const attackers = ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((ip) => new Client(app.url, ip));
  for (const attacker of attackers) {
    await attacker.get('/signin');
    for (let i = 0; i < perAddressAndAccount; i++) {
      const guess = await attacker.post('/signin', { email, password: `guess ${attacker.ip} ${i}` });
      assert.is(guess.status, 401, `${attacker.ip}, guess ${i + 1}`);
    }
  }
  assert.ok(attackers.length * perAddressAndAccount >= acrossAddresses, 'the account is over its limit');

  const owner = new Client(app.url, '127.0.0.5');
  await owner.get('/signin');
  const signIn = await owner.post('/signin', { email, password: PASSWORD });
  assert.is(signIn.status, 200, 'not refused');
  const page = textOf(signIn.text);
  assert.match(page, '請查看信箱');
  assert.match(page, '如果您輸入的密碼正確，我們已寄一封含登入連結的信到這個帳號的信箱');
  assert.match(page, '請在 10 分鐘內打開主旨為「便民服務入口網：登入連結」的信');
  assert.is((await owner.get('/account')).status, 303, 'the password alone did not sign in');

  const mail = await app.smtp.waitFor((m) => m.to.includes(email) && m.subject === '便民服務入口網：登入連結');
  assert.match(mail.text, '10 分鐘後失效');
  const link = linkIn(mail, `${app.url}/account/signin-link?token=`);
  const opened = await owner.get(link);
  assert.is(opened.status, 200);
  assert.match(textOf(opened.text), '完成登入');
  const done = await owner.post('/account/signin-link', { token: new URL(link).searchParams.get('token')! });
  assert.is(done.status, 303);
  assert.is(done.location, '/account');
  const account = await owner.get('/account');
  assert.is(account.status, 200, 'signed in');
  assert.match(textOf(account.text), '林小美，您好');

  // Single use, only its SHA-256 stored, never in the notification log.
  const again = new Client(app.url, '127.0.0.6');
  assert.is((await again.get(link)).status, 410);
  await again.get('/signin');
  const replay = await again.post('/account/signin-link', { token: new URL(link).searchParams.get('token')! });
  assert.is(replay.status, 410);
  assert.match(textOf(replay.text), '這個連結已經使用過');
  const { rows: tokens } = await app.db.pool.query(
    `SELECT t.token_hash FROM applicant_token t JOIN applicant a ON a.id = t.applicant_id
      WHERE a.email = $1 AND t.purpose = 'sign_in'`,
    [email],
  );
  assert.is(tokens.length, 1);
  assert.is(tokens[0].token_hash.length, 32);
  const { rows: log } = await app.db.pool.query(
    `SELECT body_text, body_html FROM notification WHERE recipient = $1 AND subject = $2`,
    [email, mail.subject],
  );
  assert.is(log.length, 1);
  assert.not.match(log[0].body_text + log[0].body_html, 'token=');
  assert.not.ok(
    app.logs.some((line) => line.includes(new URL(link).searchParams.get('token')!)),
    'never logged',
  );

  // The attackers' addresses stay limited for this account, even with the right password.
  for (const attacker of attackers) {
    const blocked = await attacker.post('/signin', { email, password: PASSWORD });
    assert.is(blocked.status, 429, attacker.ip);
    assert.match(textOf(blocked.text), '嘗試次數太多');
  }
  // Over the limit, a wrong password gets the very page a right one gets (guessing from many addresses
  // learns nothing), and mails nothing; a right one while a link is in force mails no second link.
  const fresh = new Client(app.url, '127.0.0.7');
  await fresh.get('/signin');
  const wrong = await fresh.post('/signin', { email, password: 'yet another guess' });
  assert.is(wrong.status, 200);
  assert.is(textOf(wrong.text), page, 'the same answer as for the right password');
  const rightAgain = new Client(app.url, '127.0.0.8');
  await rightAgain.get('/signin');
  await rightAgain.post('/signin', { email, password: PASSWORD });
  await rightAgain.post('/signin', { email, password: PASSWORD });
  const { rows: links } = await app.db.pool.query(
    `SELECT count(*)::int AS n FROM applicant_token t JOIN applicant a ON a.id = t.applicant_id
      WHERE a.email = $1 AND t.purpose = 'sign_in' AND t.used_at IS NULL`,
    [email],
  );
  assert.is(links[0].n, 1, 'one link in force, not one per try');
});

test('staff: 10+ wrong tries from other addresses do not lock the account; the right password and captcha from a clean address sign in, each try slowed', async ({
  app,
}) => {
  await fixture.institution(app.db.pool, { code: '2477' });
  await fixture.staff(app.db.pool, {
    account: 'reviewer-under-attack',
    name: '審核員',
    role: 'reviewer',
    institutionCode: '2477',
    password: PASSWORD,
  });
  const account = 'reviewer-under-attack';
  const [perAddressAndAccount] = defaultLimits.signInPerAccount;
  const [acrossAddresses] = defaultLimits.staffSignInPerAccount;
  // Ten solved captchas and wrong passwords from one address, one more from another.
  const first = new Client(app.url, '127.0.0.12');
  for (let i = 0; i < perAddressAndAccount; i++)
    assert.is((await staffSignIn(first, account, `guess ${i}`)).status, 401, `guess ${i + 1}`);
  const second = new Client(app.url, '127.0.0.13');
  let started = Date.now();
  assert.is((await staffSignIn(second, account, 'guess from elsewhere')).status, 401);
  assert.ok(perAddressAndAccount + 1 > acrossAddresses, 'the account is over its limit across addresses');
  assert.ok(Date.now() - started >= STAFF_SLOW_DELAY_MS, 'a try at an account over its limit waits');

  const clean = new Client(app.url, '127.0.0.14');
  started = Date.now();
  const ok = await staffSignIn(clean, account, PASSWORD);
  assert.is(ok.status, 303, 'signed in from a clean address');
  assert.ok(Date.now() - started >= STAFF_SLOW_DELAY_MS, 'the slower path: the right password waits too');
  const home = await clean.get('/backoffice');
  assert.is(home.status, 200);

  // The address that made ten wrong tries is refused for this account, whatever it sends.
  const blocked = await staffSignIn(first, account, PASSWORD);
  assert.is(blocked.status, 429);
  // An address that failed once at this account, now over its limit, learns nothing from the password:
  // right or wrong, the same refusal.
  const right = await staffSignIn(second, account, PASSWORD);
  const wrong = await staffSignIn(second, account, 'another guess');
  assert.is(right.status, 429, 'the right password from an address that failed does not sign in');
  assert.is(wrong.status, 429);
  assert.match(textOf(right.text), '這台電腦暫時不能再登入這個帳號');
  assert.match(textOf(wrong.text), '這台電腦暫時不能再登入這個帳號');
});

test('a burst of parallel wrong passwords from one address checks no more than the limit', async ({ app }) => {
  const email = 'burst-target@example.com';
  await fixture.applicant(app.db.pool, { name: '張三', nationalId: 'B209139097', email, password: PASSWORD });
  const [limit] = defaultLimits.signInPerAccount;
  const c = new Client(app.url, '127.0.0.20');
  await c.get('/signin');
  const statuses = await Promise.all(
    Array.from({ length: 2 * limit }, (_, i) => c.post('/signin', { email, password: `parallel ${i}` })),
  );
  const count = (status: number) => statuses.filter((r) => r.status === status).length;
  assert.is(count(401), limit, 'as many password checks as the limit allows');
  assert.is(count(429), limit);
});

test.run();
