import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { csrfFrom, textOf } from '../support/http.ts';

// Issue 11.9: the headers and cookie names of the portal as it runs in production behind TLS.
const test = appSuite('production behind TLS: Permissions-Policy and __Host- cookies', {
  sms: false,
  env: {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://portal.example.gov.tw',
    MAIL_FROM: 'Portal <noreply@portal.example.gov.tw>',
    VIDEO_SERVICE_URL: 'https://video.example.gov.tw/join',
    // One proxy in front, whose X-Forwarded-Proto is believed (issue 14: unset, no proxy is trusted).
    TRUST_PROXY: '1',
  },
});

// The TLS-terminating proxy in front of the portal says the request came over https.
const viaTls = { 'x-forwarded-proto': 'https' };

test('every answer forbids camera, microphone, location and the like', async ({ app }) => {
  for (const path of ['/', '/signin', '/backoffice/signin', '/no-such-page']) {
    const res = await fetch(app.url + path, { headers: viaTls });
    const policy = res.headers.get('permissions-policy') ?? '';
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()']) {
      assert.match(policy, feature, `${path}: ${feature}`);
    }
  }
});

test('session and CSRF cookies carry the __Host- prefix (the staff ones, bound to /backoffice, __Secure-)', async ({
  app,
}) => {
  const portal = (await fetch(`${app.url}/signin`, { headers: viaTls })).headers.getSetCookie();
  const sid = portal.find((c) => c.startsWith('__Host-portal.sid='));
  assert.ok(sid, `the session cookie is __Host-: ${portal.join(' | ')}`);
  assert.match(sid!, /; Secure/i);
  assert.match(sid!, /; Path=\//);
  assert.not.match(sid!, /Domain=/i);
  assert.ok(portal.some((c) => c.startsWith('__Host-portal.csrf=')));
  assert.not.ok(portal.some((c) => c.startsWith('portal.sid=')));

  const staff = (await fetch(`${app.url}/backoffice/signin`, { headers: viaTls })).headers.getSetCookie();
  const staffSid = staff.find((c) => c.startsWith('__Secure-portal.staff.sid='));
  assert.ok(staffSid, `the staff session cookie is __Secure-: ${staff.join(' | ')}`);
  assert.match(staffSid!, /; Path=\/backoffice/);
  assert.match(staffSid!, /; Secure/i);
});

/** A browser behind the TLS-terminating proxy: keeps cookies, sends x-forwarded-proto: https. */
class TlsBrowser {
  private cookies = new Map<string, string>();
  page = '';
  constructor(private base: string) {}
  async request(method: string, path: string, form?: Record<string, string>) {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...viaTls,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams({ _csrf: csrfFrom(this.page), ...form }).toString() : undefined,
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    if (res.status < 300 || res.status >= 400) this.page = text;
    return { status: res.status, setCookies, text };
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, form: Record<string, string>) => this.request('POST', path, form);
  has = (name: string) => this.cookies.has(name);
}

const cleared = (setCookies: string[], name: string) =>
  setCookies.find((c) => c.startsWith(`${name}=;`) && /Expires=Thu, 01 Jan 1970/i.test(c));

// A cookie named __Host-… is cleared only by a Set-Cookie with that very name, Path=/ and Secure.
test('signing out clears the __Host- session cookie (and the staff sign-out its __Secure- one)', async ({ app }) => {
  const password = 'correct horse battery';
  await fixture.applicant(app.db.pool, {
    name: '王大明',
    nationalId: 'A152601814',
    email: 'tls@example.com',
    password,
  });
  const b = new TlsBrowser(app.url);
  await b.get('/signin');
  assert.is((await b.post('/signin', { email: 'tls@example.com', password })).status, 303);
  assert.is((await b.get('/account')).status, 200);
  const out = await b.post('/signout', {});
  assert.is(out.status, 303);
  const cookie = cleared(out.setCookies, '__Host-portal.sid');
  assert.ok(cookie, `the __Host- cookie is cleared: ${out.setCookies.join(' | ')}`);
  assert.match(cookie!, /; Path=\/(;|$)/);
  assert.match(cookie!, /; Secure/i);
  assert.not.ok(b.has('__Host-portal.sid'));

  await fixture.institution(app.db.pool, { code: '2477' });
  await fixture.staff(app.db.pool, {
    account: 'tls-reviewer',
    name: '審核員',
    role: 'reviewer',
    institutionCode: '2477',
    password,
  });
  const staff = new TlsBrowser(app.url);
  const page = await staff.get('/backoffice/signin?captcha=text');
  const words = /請以阿拉伯數字輸入：([零一二三四五六七八九 ]+)/.exec(textOf(page.text))![1]!.trim().split(' ');
  const captcha = words.map((w) => '零一二三四五六七八九'.indexOf(w)).join('');
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(page.text)![1]!;
  const signedIn = await staff.post('/backoffice/signin', {
    account: 'tls-reviewer',
    password,
    captcha,
    captchaId,
    captchaMode: 'text',
  });
  assert.is(signedIn.status, 303);
  assert.is((await staff.get('/backoffice')).status, 200);
  const staffOut = await staff.post('/backoffice/signout', {});
  assert.is(staffOut.status, 303);
  const staffCookie = cleared(staffOut.setCookies, '__Secure-portal.staff.sid');
  assert.ok(staffCookie, `the __Secure- cookie is cleared: ${staffOut.setCookies.join(' | ')}`);
  assert.match(staffCookie!, /; Path=\/backoffice/);
  assert.match(staffCookie!, /; Secure/i);
});

test.run();
