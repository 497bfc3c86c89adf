import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { appSuite } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { person, registerVerifyAndSignIn } from '../support/journeys.ts';
import { signedInStaff, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { createApp } from '../../routes/app.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { createPool, isDatabaseUnavailable } from '../../domain/platform/db.ts';
import { freePort } from '../../domain/platform/embedded-db.ts';

/**
 * PostgreSQL out of reach (stopped, restarting, refusing): a request is answered 503 with Retry-After
 * and a page that says what was sent may not have been saved, to check and try again shortly, not a 500
 * that says something broke.
 * The errors are real ones: a connection refused, and a backend ended by the server.
 */
const test = appSuite('the database out of reach');

test('the errors of an unreachable or closing PostgreSQL are told apart from others', async ({ app }) => {
  const port = await freePort();
  const refused = new pg.Client({ connectionString: `postgres://nobody:x@127.0.0.1:${port}/none` });
  const connectError = await refused.connect().then(
    () => null,
    (err: unknown) => err,
  );
  assert.ok(connectError, 'nothing listens there');
  assert.ok(isDatabaseUnavailable(connectError), `refused: ${(connectError as Error).message}`);

  // A backend the server ends (as a shutdown does): its next statement fails with 57P01 or a lost connection.
  const ended = new pg.Client({ connectionString: app.db.url });
  ended.on('error', () => undefined);
  await ended.connect();
  const pid = (await ended.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await app.db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  const lost = await ended.query('SELECT 1').then(
    () => null,
    (err: unknown) => err,
  );
  await ended.end().catch(() => undefined);
  assert.ok(lost, 'the ended backend answers no more');
  assert.ok(isDatabaseUnavailable(lost), `ended: ${(lost as Error).message}`);

  // A server in read-only (a standby, maintenance) refuses the writes: out of reach for a while too.
  const readOnly = await app.db.pool.connect();
  const refusedWrite = await readOnly
    .query('BEGIN READ ONLY')
    .then(() => readOnly.query(`INSERT INTO institution (code, name_zh, name_en) VALUES ('9997', 'x', 'x')`))
    .then(
      () => null,
      (err: unknown) => err,
    );
  await readOnly.query('ROLLBACK');
  readOnly.release();
  assert.is((refusedWrite as { code?: string }).code, '25006');
  assert.ok(isDatabaseUnavailable(refusedWrite), 'read-only');

  // A connection's socket reset, broken or timed out under a query is an outage too.
  for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
    assert.ok(isDatabaseUnavailable(Object.assign(new Error(code), { code })), code);
  }
  // Errors of the request itself are not, nor a protocol violation.
  assert.is(isDatabaseUnavailable(Object.assign(new Error('protocol'), { code: '08P01' })), false, '08P01');
  const wrong = await app.db.pool.query('SELECT 1/0').then(
    () => null,
    (err: unknown) => err,
  );
  assert.is(isDatabaseUnavailable(wrong), false, 'division by zero');
  const duplicate = await app.db.pool
    .query(`INSERT INTO institution (code, name_zh, name_en) VALUES ('9998', 'x', 'x'), ('9998', 'x', 'x')`)
    .then(
      () => null,
      (err: unknown) => err,
    );
  assert.is(isDatabaseUnavailable(duplicate), false, 'a unique violation');
  assert.is(isDatabaseUnavailable(new Error('boom')), false);
  assert.is(isDatabaseUnavailable(undefined), false);
});

test('a signed-in family whose page cannot reach the database gets a 503 that says to check and try again', async ({
  app,
}) => {
  // Signed in on the portal, then the same browser asks an instance whose database is out of reach.
  const family = new Client(app.url);
  await registerVerifyAndSignIn(family, app.smtp, person({ email: 'unavailable@example.com' }));
  await twoInstitutions(app.db.pool);
  await staffAccounts(app.db.pool, [['outage', '桃園審核', '2477', 'reviewer']]);
  const staffMember = await signedInStaff(app.url, 'outage');
  const pool = createPool(`postgres://postgres:x@127.0.0.1:${await freePort()}/portal`, () => undefined);
  const logs: string[] = [];
  const logger = createLogger('error', { write: (line: string) => void logs.push(line) });
  const server = http.createServer(createApp({ config: app.config, pool, logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/applications`, {
      headers: { cookie: family.cookieHeaderValue },
      redirect: 'manual',
    });
    assert.is(res.status, 503);
    assert.is(res.headers.get('retry-after'), '30');
    const text = textOf(await res.text());
    assert.match(text, '系統暫時無法使用');
    assert.match(text, '您這次送出的資料可能沒有儲存');
    assert.match(text, '先查看是否已經送出');
    // In the visitor's language, though the request failed before it was read from the cookie as usual.
    const english = await fetch(`${base}/applications`, {
      headers: { cookie: `${family.cookieHeaderValue.replace(/(^|; )portal\.lang=[^;]*/, '')}; portal.lang=en` },
      redirect: 'manual',
    });
    assert.is(english.status, 503);
    assert.match(textOf(await english.text()), 'The service is briefly unavailable');
    assert.ok(
      logs.some((l) => l.includes('database unavailable')),
      'logged as the database being out of reach',
    );
    // A staff member gets the back office's page (its name, its home), not the families' portal.
    const staff = await fetch(`${base}/backoffice/applications`, {
      headers: { cookie: staffMember.cookieHeaderValue },
      redirect: 'manual',
    });
    assert.is(staff.status, 503);
    const staffPage = await staff.text();
    assert.match(textOf(staffPage), '便民服務後臺管理系統');
    assert.match(textOf(staffPage), '系統暫時無法使用');
    // It tells staff to look at the case again, not at the families' pages.
    assert.match(textOf(staffPage), '重新開啟該筆案件或清單');
    assert.not.match(textOf(staffPage), '服務項目狀態查詢');
    assert.match(staffPage, 'class="site-name" href="/backoffice"');
    // /healthz says the same to the load balancer.
    assert.is((await fetch(`${base}/healthz`)).status, 503);
    // The portal with its database is unaffected, and the family is still signed in there.
    assert.is((await family.get('/applications')).status, 200);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  }
});

test.run();
