import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';

// Issue 11.9: the headers and cookie names of the portal as it runs in production behind TLS.
const test = suite<{ app: TestApp }>('production behind TLS: Permissions-Policy and __Host- cookies');
test.before(async (ctx) => {
  ctx.app = await startTestApp({
    sms: false,
    env: {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://portal.example.gov.tw',
      MAIL_FROM: 'Portal <noreply@portal.example.gov.tw>',
      VIDEO_SERVICE_URL: 'https://video.example.gov.tw/join',
    },
  });
});
test.after(async (ctx) => {
  await ctx.app.close();
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

test.run();
