import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { familyWithContactBook } from '../support/scenarios.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import { person, submitRegistration, VALID_IDS } from '../support/journeys.ts';
import { createApp } from '../../routes/app.ts';
import { createPool } from '../../domain/platform/db.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import type { RateLimits } from '../../routes/middleware/rate-limits.ts';

// Issue 14: two instances of the portal on one database count every limit together. Instance B is a
// second app with a pool of its own on A's database, as a second process would be; each request of a
// series goes to the other instance than the one before, and the limit holds in total.
const LIMITS: Partial<RateLimits> = {
  registerPerAddress: [3, 60],
  mailPerAddress: [30, 60],
  mailPerAccount: [3, 60],
  lookupPerAccount: [3, 10],
  progressPerAddress: [3, 15],
  photoPerAccount: [3, 60],
  signInPerAccount: [3, 15],
  signInPerAddress: [4, 15],
};

type Ctx = { a: TestApp; b: { url: string; pool: pg.Pool; server: http.Server } };
const test = suite<Ctx>('several instances share every limit');

test.before(async (ctx) => {
  ctx.a = await startTestApp({ limits: LIMITS });
  await fixture.institution(ctx.a.db.pool, { code: '2477' });
  const pool = createPool(ctx.a.db.url, () => undefined);
  const app = createApp({ config: ctx.a.config, pool, logger: createLogger('silent'), limits: LIMITS });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.b = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pool, server };
});
test.after(async ({ a, b }) => {
  b.server.closeAllConnections();
  await new Promise<void>((resolve) => b.server.close(() => resolve()));
  await b.pool.end();
  await a.close();
});

/** The i-th request's instance: A, B, A, B… */
const on = ({ a, b }: Ctx, i: number, path: string) => `${i % 2 === 0 ? a.url : b.url}${path}`;

/** `limit` requests spread over both instances pass; the next is refused, on either instance. */
async function holdsInTotal(
  ctx: Ctx,
  limit: number,
  send: (url: (path: string) => string) => Promise<{ status: number; headers: Headers; text: string }>,
  passing: number,
) {
  for (let i = 0; i < limit; i++) assert.is((await send((p) => on(ctx, i, p))).status, passing, `request ${i + 1}`);
  for (const i of [limit, limit + 1]) {
    const refused = await send((p) => on(ctx, i, p));
    assert.is(refused.status, 429, `request ${i + 1} (instance ${i % 2 === 0 ? 'A' : 'B'})`);
    assert.match(textOf(refused.text), '嘗試次數太多');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After in seconds: ${retryAfter}`);
  }
}

test('registration: per address', async (ctx) => {
  const c = new Client(ctx.a.url, '127.0.0.21');
  await c.get('/register');
  await c.post('/register', { consent: 'yes' });
  await c.get('/register/details');
  const [limit] = LIMITS.registerPerAddress!;
  await holdsInTotal(ctx, limit, (url) => c.post(url('/register/details'), { ...person(), name: '' }), 422);
  assert.is((await submitRegistration(c, person())).status, 429, 'a valid form too');
});

test('reset and verification mails: per address and account', async (ctx) => {
  const c = new Client(ctx.a.url, '127.0.0.22');
  await c.get('/account/forgot');
  const [limit] = LIMITS.mailPerAccount!;
  await holdsInTotal(ctx, limit, (url) => c.post(url('/account/forgot'), { email: 'shared@example.com' }), 200);
});

test('the public progress lookup: per address', async (ctx) => {
  const c = new Client(ctx.a.url, '127.0.0.23');
  await c.get('/progress');
  const guess = { number: '20261123-ABCDEF', birthYear: '1980', birthMonth: '1', birthDay: '1' };
  await holdsInTotal(ctx, LIMITS.progressPerAddress![0], (url) => c.post(url('/progress'), guess), 200);
});

test('family sign-in: wrong passwords per address and account', async (ctx) => {
  const c = new Client(ctx.a.url, '127.0.0.24');
  await c.get('/signin');
  const [limit] = LIMITS.signInPerAccount!;
  await holdsInTotal(
    ctx,
    limit,
    (url) => c.post(url('/signin'), { email: 'guessed@example.com', password: 'a guess' }),
    401,
  );
});

test('the staff sign-in page: per address', async (ctx) => {
  const c = new Client(ctx.a.url, '127.0.0.25');
  await holdsInTotal(ctx, LIMITS.signInPerAddress![0], (url) => c.get(url('/backoffice/signin')), 200);
});

test('inmate lookups: per account, signed in on A and carrying on at B with the same session', async (ctx) => {
  await fixture.applicant(ctx.a.db.pool, {
    name: '林小美',
    nationalId: VALID_IDS[0]!,
    email: 'looker@example.com',
    password: 'family password 1',
  });
  const c = new Client(ctx.a.url, '127.0.0.26');
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: 'looker@example.com', password: 'family password 1' })).status, 303);
  assert.is((await c.get(`${ctx.b.url}/account`)).status, 200, 'the session is known to B');
  const page = await c.get('/applications/new/visit');
  const token = csrfFrom(page.text);
  let n = 1000;
  const [limit] = LIMITS.lookupPerAccount!;
  await holdsInTotal(
    ctx,
    limit,
    (url) =>
      c.request(
        'POST',
        url('/applications/lookup'),
        { _csrf: token, institution: '2477', callNumber: String(n++) },
        { 'hx-request': 'true' },
      ),
    200,
  );
});

test('contact book posts (photos): per account', async (ctx) => {
  await familyWithContactBook(ctx.a.db.pool, {
    name: '陳美玲',
    nationalId: VALID_IDS[1]!,
    email: 'writer@example.com',
    password: 'family password 2',
    callNumber: '2048',
  });
  const c = new Client(ctx.a.url, '127.0.0.27');
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: 'writer@example.com', password: 'family password 2' })).status, 303);
  const form = await c.get(`${ctx.b.url}/contact-book/new`);
  assert.is(form.status, 200);
  const [limit] = LIMITS.photoPerAccount!;
  // An empty note is refused (422) with the form again: counted all the same, as each costs a parse.
  await holdsInTotal(ctx, limit, (url) => c.postMultipart(url('/contact-book/new'), { title: '', body: '' }), 422);
});

test.run();
