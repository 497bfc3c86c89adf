import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { person, registerVerifyAndSignIn, submitRegistration } from '../support/journeys.ts';

const test = appSuite('sign-in, sign-out, verification and reset over HTTP');

test('an unverified account cannot sign in, is told why, and can get a new link that works', async ({ app }) => {
  const c = new Client(app.url);
  const p = person();
  await submitRegistration(c, p);
  const first = await app.smtp.waitFor((m) => m.to.includes(p.email));
  await c.get('/signin');
  const res = await c.post('/signin', { email: p.email, password: p.password });
  assert.is(res.status, 403);
  assert.match(textOf(res.text), '帳號尚未完成信箱驗證');
  // The button on that page sends a new link.
  const resent = await c.post('/account/verify/resend', { email: p.email });
  assert.is((await c.get('/account')).status, 303, 'not signed in');
  assert.is(resent.status, 200);
  const second = await app.smtp.waitFor((m) => m.to.includes(p.email) && m !== first);
  // The first link was replaced by the second.
  assert.is((await c.get(linkIn(first, `${app.url}/account/verify`))).status, 410);
  const ok = await c.get(linkIn(second, `${app.url}/account/verify`));
  assert.is(ok.status, 200);
  assert.match(textOf(ok.text), '帳號驗證完成');
  const again = await c.get(linkIn(second, `${app.url}/account/verify`));
  assert.is(again.status, 410);
  assert.match(textOf(again.text), '這個連結已經使用過');
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: p.email, password: p.password })).status, 303);
});

test('a wrong password and an unknown address look exactly the same', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  const c = new Client(app.url);
  await c.get('/signin');
  const wrong = await c.post('/signin', { email: p.email, password: 'not the password' });
  await c.get('/signin');
  const unknown = await c.post('/signin', { email: 'nobody-here@example.com', password: 'not the password' });
  assert.is(wrong.status, 401);
  assert.is(unknown.status, 401);
  const strip = (html: string) => textOf(html).replace(p.email, 'EMAIL').replace('nobody-here@example.com', 'EMAIL');
  assert.is(strip(wrong.text), strip(unknown.text));
  assert.match(textOf(wrong.text), '信箱或密碼不正確');
});

test('resend and forgot-password pages say the same for known and unknown addresses', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  for (const path of ['/account/forgot', '/account/verify/resend']) {
    const c = new Client(app.url);
    await c.get(path);
    const known = await c.post(path, { email: p.email });
    await c.get(path);
    const unknown = await c.post(path, { email: 'nobody-at-all@example.com' });
    assert.is(known.status, unknown.status, path);
    assert.is(
      textOf(known.text).replace(p.email, 'X'),
      textOf(unknown.text).replace('nobody-at-all@example.com', 'X'),
      path,
    );
  }
  const bad = new Client(app.url);
  await bad.get('/account/forgot');
  const invalid = await bad.post('/account/forgot', { email: 'nonsense' });
  assert.is(invalid.status, 422);
  assert.match(textOf(invalid.text), '信箱格式不正確');
});

test('forgotten password: the mailed link sets a new password once, ends other sessions, and the old password stops working', async ({
  app,
}) => {
  const p = person();
  const elsewhere = new Client(app.url);
  await registerVerifyAndSignIn(elsewhere, app.smtp, p);
  assert.is((await elsewhere.get('/account')).status, 200);
  const c = new Client(app.url);
  await c.get('/account/forgot');
  await c.post('/account/forgot', { email: p.email.toUpperCase() });
  const mail = await app.smtp.waitFor((m) => m.to.includes(p.email) && m.subject.includes('重新設定密碼'));
  const link = linkIn(mail, `${app.url}/account/reset?token=`);
  const form = await c.get(link);
  assert.is(form.status, 200);
  const mismatch = await c.post('/account/reset', {
    token: new URL(link).searchParams.get('token')!,
    password: 'new secret words',
    passwordConfirm: 'different words',
  });
  assert.is(mismatch.status, 422);
  assert.match(textOf(mismatch.text), '兩次輸入的密碼不相同');
  const done = await c.post('/account/reset', {
    token: new URL(link).searchParams.get('token')!,
    password: 'new secret words',
    passwordConfirm: 'new secret words',
  });
  assert.is(done.status, 303);
  assert.match(textOf((await c.follow(done)).text), '已設定新密碼');
  assert.is((await elsewhere.get('/account')).status, 303, 'the other session ended');
  assert.is((await c.get(link)).status, 410, 'single use');
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: p.email, password: p.password })).status, 401);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: p.email, password: 'new secret words' })).status, 303);
});

test('sign-in regenerates the session id; sign-out is a POST that ends the session', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  const c = new Client(app.url);
  await c.get('/signin');
  const before = (c as unknown as { cookies: Map<string, string> }).cookies.get('portal.sid');
  assert.ok(before, 'a session exists before sign-in (the form needed one)');
  const res = await c.post('/signin', { email: p.email, password: p.password, return: '/account/profile' });
  assert.is(res.location, '/account/profile', 'returns where the person was going');
  const after = (c as unknown as { cookies: Map<string, string> }).cookies.get('portal.sid');
  assert.ok(after && after !== before, 'new session id');
  const cookie = res.headers.getSetCookie().find((h) => h.startsWith('portal.sid='))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.is((await c.get('/signout')).status, 404, 'no sign-out by GET');
  const page = await c.get('/account');
  const out = await c.post('/signout', {});
  assert.is(out.status, 303);
  assert.ok(page.status === 200);
  assert.is((await c.get('/account')).status, 303);
});

test('an open redirect through ?return= is not possible', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
    const c = new Client(app.url);
    await c.get(`/signin?return=${encodeURIComponent(evil)}`);
    const res = await c.post('/signin', { email: p.email, password: p.password, return: evil });
    assert.is(res.location, '/account', evil);
  }
  const lang = await new Client(app.url).get('/language/en?return=//evil.example');
  assert.is(lang.location, '/');
});

test.run();
