import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import type { TestDb } from '../support/db.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn } from '../support/journeys.ts';

/**
 * Issue 14: a signed-in page view reads the session but moves its expiry at most once a minute, so
 * most views cost no UPDATE; the session itself still slides (it was moved when signing in).
 */
const test = appSuite('session expiry writes');

const expiries = async (db: TestDb) =>
  (await db.pool.query('SELECT expire FROM session ORDER BY sid')).rows.map((r) => r.expire.getTime());

test('page views within a minute do not rewrite the session row', async ({ app }) => {
  const c = new Client(app.url);
  await registerVerifyAndSignIn(c, app.smtp, person());
  // The first views after signing in write the session (saved, then touched once).
  for (let i = 0; i < 2; i++) assert.is((await c.get('/account')).status, 200);
  const before = await expiries(app.db);
  assert.ok(before.length >= 1);
  // The store writes the expiry in whole seconds: past the next second, a touch would move it.
  await new Promise((r) => setTimeout(r, 1100));
  for (let i = 0; i < 5; i++) assert.is((await c.get('/account')).status, 200);
  assert.equal(await expiries(app.db), before);
  const twoHours = 2 * 60 * 60 * 1000;
  assert.ok(Math.max(...before) > Date.now() + twoHours - 5 * 60_000, 'the session lasts about two hours from now');
});

test.run();
