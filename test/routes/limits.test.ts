import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { defaultLimits } from '../../routes/middleware/rate-limits.ts';
import { person, registerVerifyAndSignIn, submitRegistration } from '../support/journeys.ts';

// The real limits, counted to their edge: one app per test so counters start at zero.
const test = suite<{ app: TestApp }>('rate limits');
test.before.each(async (ctx) => {
  ctx.app = await startTestApp();
});
test.after.each(async (ctx) => {
  await ctx.app.close();
});

test('sign-in: the attempt after the limit for one address and account is refused with 429 and a message', async ({
  app,
}) => {
  const c = new Client(app.url);
  await c.get('/signin');
  const [limit] = defaultLimits.signInPerAccount;
  for (let i = 0; i < limit; i++) {
    assert.is(
      (await c.post('/signin', { email: 'target@example.com', password: `guess ${i}` })).status,
      401,
      `attempt ${i + 1}`,
    );
  }
  const blocked = await c.post('/signin', { email: 'target@example.com', password: 'one more' });
  assert.is(blocked.status, 429);
  assert.match(textOf(blocked.text), '嘗試次數太多');
  assert.is(
    (await c.post('/signin', { email: 'someone-else@example.com', password: 'x' })).status,
    401,
    'another account is not blocked',
  );
  // Full-width look-alikes reach the same account, so they share its limit.
  assert.is((await c.post('/signin', { email: 'ＴＡＲＧＥＴ＠example.com', password: 'one more' })).status, 429);
});

test('reset and verification mails are limited per account', async ({ app }) => {
  const c = new Client(app.url);
  await c.get('/account/forgot');
  const [limit] = defaultLimits.mailPerAccount;
  for (let i = 0; i < limit; i++) assert.is((await c.post('/account/forgot', { email: 'a@example.com' })).status, 200);
  assert.is((await c.post('/account/forgot', { email: 'a@example.com' })).status, 429);
  assert.is(
    (await c.post('/account/verify/resend', { email: 'a@example.com' })).status,
    429,
    'the same budget covers both mails',
  );
});

test('registration is limited per address', async ({ app }) => {
  const c = new Client(app.url);
  const [limit] = defaultLimits.registerPerAddress;
  await c.get('/register');
  await c.post('/register', { consent: 'yes' });
  await c.get('/register/details');
  for (let i = 0; i < limit; i++) {
    assert.is((await c.post('/register/details', { ...person(), name: '' })).status, 422);
  }
  const blocked = await submitRegistration(c, person());
  assert.is(blocked.status, 429);
});

test('inmate lookups are limited per account, through htmx and through the form alike', async ({ app }) => {
  await fixture.institution(app.db.pool, { code: '2477', nameEn: 'Taoyuan' });
  const c = new Client(app.url);
  await registerVerifyAndSignIn(c, app.smtp, person());
  const page = await c.get('/applications/new/visit');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const [limit] = defaultLimits.lookupPerAccount;
  for (let i = 0; i < limit - 1; i++) {
    const r = await c.request(
      'POST',
      '/applications/lookup',
      { _csrf: token, institution: '2477', callNumber: String(1000 + i) },
      { 'hx-request': 'true' },
    );
    assert.is(r.status, 200);
  }
  // Nobody has that number: without JavaScript that is an error of the form (422), and it counts too.
  assert.is(
    (await c.postMultipart('/applications/new/visit', { action: 'lookup', institution: '2477', callNumber: '5000' }))
      .status,
    422,
  );
  assert.is(
    (await c.postMultipart('/applications/new/visit', { action: 'lookup', institution: '2477', callNumber: '5001' }))
      .status,
    429,
  );
  assert.is(
    (
      await c.request(
        'POST',
        '/applications/lookup',
        { _csrf: token, institution: '2477', callNumber: '5002' },
        { 'hx-request': 'true' },
      )
    ).status,
    429,
  );
});

test('the public progress lookup is limited per address', async ({ app }) => {
  const c = new Client(app.url);
  await c.get('/progress');
  const [limit] = defaultLimits.progressPerAddress;
  const guess = { number: '20261123-ABCDEF', birthYear: '1980', birthMonth: '1', birthDay: '1' };
  for (let i = 0; i < limit; i++) assert.is((await c.post('/progress', guess)).status, 200);
  assert.is((await c.post('/progress', guess)).status, 429);
});

test("the progress lookups count only misses: a waiting room's families finding their own applications are not locked out; the feedback lookup counts apart", async ({
  app,
}) => {
  const db = app.db.pool;
  await fixture.institution(db, { code: '2477' });
  const applicant = await fixture.applicant(db, {
    name: '林小美',
    nationalId: 'A123456789',
    email: 'found@example.com',
    birthday: '1980-01-01',
  });
  const inmate = await fixture.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const id = await fixture.approvedService(db, { applicant, inmate, service: 'contact_book', relationship: 'mother' });
  const { number } = (await db.query('SELECT number FROM service_application WHERE id = $1', [id])).rows[0];
  const c = new Client(app.url);
  await c.get('/progress');
  const [limit] = defaultLimits.progressPerAddress;
  const found = { number, birthYear: '1980', birthMonth: '1', birthDay: '1' };
  for (let i = 0; i < limit * 2; i++) {
    const page = await c.post('/progress', found);
    assert.is(page.status, 200, `lookup ${i + 1}`);
    assert.match(textOf(page.text), number);
  }
  // A malformed number is refused without guessing anything: not counted either.
  for (let i = 0; i < limit; i++) assert.is((await c.post('/progress', { ...found, number: 'x' })).status, 422);
  const miss = { ...found, birthDay: '2' };
  for (let i = 0; i < limit; i++) assert.is((await c.post('/progress', miss)).status, 200, `miss ${i + 1}`);
  const refused = await c.post('/progress', found);
  assert.is(refused.status, 429, 'past the misses allowed, even a right answer waits');
  assert.match(textOf(refused.text), '嘗試次數有限制');
  assert.not.match(textOf(refused.text), '帳號');
  // The feedback lookup has its own allowance.
  assert.is(
    (await c.post('/progress/feedback', { feedbackNumber: 'F20261123-ABCDEF', feedbackKey: 'AAAAAAAA' })).status,
    200,
  );
});

test.run();
