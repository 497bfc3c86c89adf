import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import { endpointsOf, type Endpoint } from '../support/routes.ts';
import { createApp } from '../../routes/app.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { defaultLimits, type RateLimits } from '../../routes/middleware/rate-limits.ts';
import { DEMO_AGENCY_ADMIN, DEMO_APPLICANT, loadDemoData } from '../../domain/demo-data.ts';

/**
 * Issue 11.22: every route the app has (read from its own router, so a new route is swept without
 * anyone listing it), asked by a stranger, a signed-in family and an agency administrator, with odd
 * input: NUL, a lone surrogate, overlong text, repeated and missing fields, impossible ids and dates.
 * The answer may be anything but a server error.
 */
const ODD_PARAMS = ['0', '-1', 'x', '1e3', '99999999999999999999', '%00', '%ED%A0%80', '2026-02-30'];
const LONG = 'x'.repeat(10_000);
/** Raw urlencoded bodies, so a lone surrogate (%ED%A0%80) reaches the server as sent. */
function oddBodies(fields: string[], csrf: string): string[] {
  const names = fields.length ? fields : ['id', 'status', 'email', 'date', 'reason', 'callNumber'];
  const with_ = (value: string) => names.map((n) => `${encodeURIComponent(n)}=${value}`).join('&');
  const token = `_csrf=${encodeURIComponent(csrf)}`;
  return [
    token, // every field missing
    `${token}&${with_('%00')}`,
    `${token}&${with_('%ED%A0%80')}`,
    `${token}&${with_(LONG)}`,
    `${token}&${with_('1')}&${with_('2')}`, // every field twice
    `${token}&${with_('2026-02-30')}`,
    // Dates PostgreSQL cannot hold, or whose next day has five digits.
    `${token}&${with_('0000-01-01')}`,
    `${token}&${with_('9999-12-31')}`,
  ];
}
const fill = (path: string, value: string) => path.replace(/:(\w+)/g, value);
const SIGN_OUT = /sign-?out|logout/;

type Ctx = { app: TestApp; endpoints: Endpoint[] };
const test = suite<Ctx>('odd input on every route of the app, as a stranger, a family and staff: never a 500');

test.before(async (ctx) => {
  const generous = Object.fromEntries(
    Object.entries(defaultLimits).map(([k, [, minutes]]) => [k, [1_000_000, minutes]]),
  ) as RateLimits;
  ctx.app = await startTestApp({ limits: generous });
  await loadDemoData(ctx.app.db.pool, new Date());
  // A second app on the same configuration, only to read its router.
  ctx.endpoints = endpointsOf(
    createApp({ config: ctx.app.config, pool: ctx.app.db.pool, logger: createLogger('silent') }),
  );
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the router lists the pages of every area', ({ endpoints }) => {
  const paths = endpoints.map((e) => `${e.method} ${e.path}`);
  for (const p of ['GET /', 'POST /signin', 'GET /backoffice', 'POST /backoffice/signin', 'GET /bookings']) {
    assert.ok(paths.includes(p), `${p} is found in the router`);
  }
  assert.ok(endpoints.length > 60, `${endpoints.length} endpoints`);
});

test('no route answers odd input with a server error', async ({ app, endpoints }) => {
  const stranger = new Client(app.url);
  const family = new Client(app.url);
  await family.get('/signin');
  assert.is(
    (await family.post('/signin', { email: DEMO_APPLICANT.email, password: DEMO_APPLICANT.password })).status,
    303,
  );
  const staff = new Client(app.url);
  assert.is((await staffSignIn(staff, DEMO_AGENCY_ADMIN.account, DEMO_AGENCY_ADMIN.password)).status, 303);

  const failures: string[] = [];
  const check = (who: string, method: string, path: string, status: number) => {
    if (status >= 500) failures.push(`${who} ${method} ${path.slice(0, 120)} → ${status}`);
  };
  const home = (path: string) => (path.startsWith('/backoffice') ? '/backoffice' : '/account');
  let requests = 0;
  for (const [who, c] of [
    ['stranger', stranger],
    ['family', family],
    ['staff', staff],
  ] as const) {
    for (const e of endpoints.filter((x) => who === 'stranger' || !SIGN_OUT.test(x.path))) {
      const params = e.path.includes(':') ? ODD_PARAMS : [''];
      if (e.method === 'GET') {
        for (const v of params) {
          const path = `${fill(e.path, v)}?page=%00&status=%ED%A0%80&from=2026-02-30&to=x&callNumber=${LONG}&id=-1`;
          check(who, 'GET', path, (await c.get(path)).status);
          requests++;
        }
        const edges = `${fill(e.path, params[0]!)}?from=0000-01-01&to=9999-12-31&date=0000-01-01&week=9999-12-31`;
        check(who, 'GET', edges, (await c.get(edges)).status);
        requests++;
        continue;
      }
      // A POST as a browser would make it: the form's own page first (its fields and token), if any.
      const page = await c.get(fill(e.path, '1'));
      const fields = [...new Set([...page.text.matchAll(/name="([\w-]+)"/g)].map((m) => m[1]!))].filter(
        (n) => n !== '_csrf',
      );
      const token =
        /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ??
        /name="_csrf" value="([^"]+)"/.exec((await c.get(home(e.path))).text)?.[1] ??
        '';
      for (const v of params.slice(0, 3)) {
        for (const body of oddBodies(fields, token)) {
          check(who, 'POST', fill(e.path, v), (await c.request('POST', fill(e.path, v), body)).status);
          requests++;
        }
      }
    }
  }
  assert.equal(failures, [], `${failures.length} of ${requests} requests answered with a server error`);
  assert.ok(requests > 500, `${requests} requests`);
  assert.is((await fetch(`${app.url}/healthz`)).status, 200, 'the portal still answers');
});

test.run();
