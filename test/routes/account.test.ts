import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { person, registerVerifyAndSignIn, type Person } from '../support/journeys.ts';

const test = suite<{ app: TestApp; c: Client; p: Person }>('the profile');
test.before(async (ctx) => {
  ctx.app = await startTestApp();
  ctx.c = new Client(ctx.app.url);
  ctx.p = person({ name: '陳小華', phone: '02-2345-6789' });
  await registerVerifyAndSignIn(ctx.c, ctx.app.smtp, ctx.p);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('shows every registration detail', async ({ c, p }) => {
  const page = textOf((await c.get('/account/profile')).text);
  for (const v of [p.name, p.nationalId, p.email, '1980/03/14']) assert.match(page, v);
  assert.match((await c.get('/account/profile')).text, 'value="0912345678"');
});

test('mobile and phone can be changed; a bad number is refused with the answer kept', async ({ app, c, p }) => {
  await c.get('/account/profile');
  const bad = await c.post('/account/profile', { mobile: '0800-000', phone: '02-1111-2222' });
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '手機號碼格式不正確');
  assert.match(bad.text, 'value="0800-000"');
  assert.match(bad.text, 'value="02-1111-2222"');
  const ok = await c.post('/account/profile', { mobile: '0922 333 444', phone: '' });
  assert.is(ok.status, 303);
  assert.match(textOf((await c.follow(ok)).text), '已儲存您的手機與電話');
  const { rows } = await app.db.pool.query('SELECT mobile, phone FROM applicant WHERE email = $1', [p.email]);
  assert.equal(rows[0], { mobile: '0922333444', phone: null });
});

test('a forged form cannot change name, ID number, e-mail or birthday', async ({ app, c, p }) => {
  await c.get('/account/profile');
  const res = await c.post('/account/profile', {
    mobile: '0911111111',
    phone: '',
    name: '冒名者',
    nationalId: 'A259083012',
    email: 'attacker@example.com',
    birthday: '2000-01-01',
  });
  assert.is(res.status, 303);
  const { rows } = await app.db.pool.query(
    'SELECT name, national_id, email, birthday, mobile FROM applicant WHERE email = $1',
    [p.email],
  );
  assert.equal(rows[0], {
    name: p.name,
    national_id: p.nationalId,
    email: p.email,
    birthday: '1980-03-14',
    mobile: '0911111111',
  });
});

test('changing the password needs the current one and ends the other sessions', async ({ app, c, p }) => {
  const other = new Client(app.url);
  await other.get('/signin');
  await other.post('/signin', { email: p.email, password: p.password });
  assert.is((await other.get('/account')).status, 200);
  await c.get('/account/password');
  const wrong = await c.post('/account/password', {
    currentPassword: 'not it',
    password: 'a new password here',
    passwordConfirm: 'a new password here',
  });
  assert.is(wrong.status, 422);
  assert.match(textOf(wrong.text), '目前的密碼不正確');
  const ok = await c.post('/account/password', {
    currentPassword: p.password,
    password: 'a new password here',
    passwordConfirm: 'a new password here',
  });
  assert.is(ok.status, 303);
  assert.is((await c.get('/account')).status, 200, 'this session goes on');
  assert.is((await other.get('/account')).status, 303, 'the other session ended');
  p.password = 'a new password here';
});

test('a redirect is sent only after the session is saved: a browser that follows at once sees the notice', async ({
  app,
  c,
}) => {
  const { request } = await import('node:http');
  // Follow the Location as soon as the headers arrive, before the body, as browsers do.
  const postAndFollowEarly = async (): Promise<string> => {
    await c.get('/account/profile');
    const token = /name="_csrf" value="([^"]+)"/.exec(c.lastPage)![1]!;
    const cookie = (c as unknown as { cookieHeader(): string }).cookieHeader();
    const location = await new Promise<string>((resolve, reject) => {
      const body = new URLSearchParams({ _csrf: token, mobile: '0933000111', phone: '' }).toString();
      const req = request(
        `${app.url}/account/profile`,
        {
          method: 'POST',
          headers: {
            cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          resolve(res.headers.location ?? '');
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    return textOf((await c.get(location)).text);
  };
  for (let i = 0; i < 40; i++) assert.match(await postAndFollowEarly(), '已儲存您的手機與電話', `attempt ${i + 1}`);
});

test('account pages need a signed-in applicant', async ({ app }) => {
  const anon = new Client(app.url);
  for (const path of ['/account', '/account/profile', '/account/password']) {
    const res = await anon.get(path);
    assert.is(res.status, 303, path);
    assert.is(res.location, `/signin?return=${encodeURIComponent(path)}`);
  }
  const post = await anon.request('POST', '/account/profile', 'mobile=0911111111');
  assert.is(post.status, 403, 'no CSRF token, no session: refused before anything else');
});

test.run();
