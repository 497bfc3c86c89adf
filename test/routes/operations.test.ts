import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import { appSuite } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { person, registerVerifyAndSignIn } from '../support/journeys.ts';
import { until } from '../support/wait.ts';

const test = appSuite('security and operations');

test('every form POST without a valid CSRF token is refused with a page that says what to do', async ({ app }) => {
  for (const path of [
    '/register',
    '/register/details',
    '/signin',
    '/signout',
    '/account/forgot',
    '/account/verify/resend',
    '/account/reset',
    '/account/profile',
    '/account/password',
  ]) {
    const c = new Client(app.url);
    await c.get('/signin');
    const none = await c.post(path, { email: 'a@example.com' }, { csrf: false });
    assert.is(none.status, 403, `${path} without token`);
    assert.match(textOf(none.text), '表單已逾時');
    const forged = await c.request('POST', path, { _csrf: 'forged-token', email: 'a@example.com' });
    assert.is(forged.status, 403, `${path} with a forged token`);
  }
  // A token from one visitor's session does not work in another's.
  const a = new Client(app.url);
  const b = new Client(app.url);
  const page = await a.get('/signin');
  await b.get('/signin');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  assert.is((await b.request('POST', '/signin', { _csrf: token, email: 'x@example.com', password: 'y' })).status, 403);
});

test('the CSRF token is also accepted from the X-CSRF-Token header (htmx)', async ({ app }) => {
  const c = new Client(app.url);
  const page = await c.get('/account/forgot');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await c.request('POST', '/account/forgot', 'email=someone%40example.com', { 'x-csrf-token': token });
  assert.is(res.status, 200);
});

test('healthz checks the database', async ({ app }) => {
  const res = await fetch(`${app.url}/healthz`);
  assert.is(res.status, 200);
  assert.equal(await res.json(), { status: 'ok', database: 'ok' });
});

test('security headers: CSP without inline script, no sniffing, no framing', async ({ app }) => {
  const res = await fetch(app.url);
  const csp = res.headers.get('content-security-policy')!;
  assert.match(csp, "script-src 'self'");
  assert.not.match(csp, 'unsafe-inline');
  assert.match(csp, "frame-ancestors 'none'");
  assert.is(res.headers.get('x-content-type-options'), 'nosniff');
  assert.is(res.headers.get('x-powered-by'), null);
  const html = await res.text();
  assert.not.match(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script elements');
  assert.not.match(html, /\son[a-z]+="/, 'no inline event handlers');
});

test('pages are compressed; static files are versioned and cached for a year; htmx comes from our origin and only where used', async ({
  app,
}) => {
  const page = await fetch(app.url, { headers: { 'accept-encoding': 'gzip' } });
  assert.is(page.headers.get('content-encoding'), 'gzip');
  const html = await page.text();
  const css = /href="(\/assets\/[0-9a-f]+\/styles\.css)"/.exec(html)![1]!;
  // htmx only on the pages that use it (issue 14): not on the home page, served beside the CSS for the others.
  assert.not.match(html, 'htmx', 'the home page loads no htmx');
  const js = css.replace('styles.css', 'htmx.min.js');
  for (const asset of [css, js]) {
    const res = await fetch(app.url + asset, { headers: { 'accept-encoding': 'gzip' } });
    assert.is(res.status, 200, asset);
    assert.match(res.headers.get('cache-control')!, 'max-age=31536000');
    assert.match(res.headers.get('cache-control')!, 'immutable');
  }
  const raw = await new Promise<Buffer>((resolve, reject) => {
    import('node:http').then(({ get }) =>
      get(app.url + css, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject),
    );
  });
  assert.match(gunzipSync(raw).toString(), 'font-family');
});

test('request logs hold no passwords, tokens, ID numbers or cookies', async ({ app }) => {
  const p = person();
  await registerVerifyAndSignIn(new Client(app.url), app.smtp, p);
  const logs = app.logs.join('\n');
  assert.ok(logs.includes('/account/verify?token=…'), 'the verification request was logged, without its token');
  for (const secret of [p.password, p.nationalId, 'portal.sid=', 'token=ey', `token=${'A'}`]) {
    assert.not.ok(logs.includes(secret), `log contains ${secret}`);
  }
  const mail = app.smtp.to(p.email)[0]!;
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  assert.not.ok(logs.includes(token), 'the token itself is not logged');
});

test('each request is logged once with its id, method, path without query values and status', async ({ app }) => {
  const res = await new Client(app.url).get('/no-such-page?token=secret-value');
  const id = res.headers.get('x-request-id')!;
  assert.match(id, /^[0-9a-f-]{36}$/);
  type Line = { msg: string; req: unknown; res: { statusCode: number }; responseTime: unknown };
  const lines = await until('the request log line', async () => {
    const found = app.logs.filter((l) => l.includes(id)).map((l) => JSON.parse(l) as Line);
    return found.length ? found : undefined;
  });
  assert.is(lines.length, 1);
  assert.is(lines[0]!.msg, 'request completed');
  assert.equal(lines[0]!.req, { id, method: 'GET', url: '/no-such-page?token=…' });
  assert.is(lines[0]!.res.statusCode, 404);
  assert.type(lines[0]!.responseTime, 'number');
  assert.not.ok(app.logs.some((l) => l.includes('secret-value')));
});

test('unknown pages get a helpful 404 in the visitor language', async ({ app }) => {
  const c = new Client(app.url);
  const zh = await c.get('/no-such-page');
  assert.is(zh.status, 404);
  assert.match(textOf(zh.text), '找不到這個頁面');
  await c.get('/language/en?return=/');
  const en = await c.get('/no-such-page');
  assert.match(textOf(en.text), 'Page not found');
});

test('the dev mailbox does not exist when mail is really sent', async ({ app }) => {
  assert.is((await fetch(`${app.url}/dev/mailbox`)).status, 404);
});

test.run();
