import * as assert from 'uvu/assert';
import { appSuite, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn } from '../support/journeys.ts';

// Issue 11.17: a person's language is the one they chose last, stored at once; mail follows it.
const test = appSuite('the language a person chose: stored at once, kept at sign-in');

const storedLocale = async (app: TestApp, email: string) =>
  (await app.db.pool.query('SELECT locale FROM applicant WHERE email = $1', [email])).rows[0].locale;

/** Asks for a reset link from a fresh browser (no language cookie) and returns the mail's subject. */
async function resetMailSubject(app: TestApp, email: string): Promise<string> {
  const before = app.smtp.to(email).length;
  const c = new Client(app.url);
  await c.get('/account/forgot');
  await c.post('/account/forgot', { email });
  const mail = await app.smtp.waitFor((m) => m.to.includes(email) && app.smtp.to(email).indexOf(m) >= before);
  return mail.subject;
}

test('switching to English while signed in is stored at once, and the next mail is in English', async ({ app }) => {
  const p = person();
  const c = new Client(app.url);
  await registerVerifyAndSignIn(c, app.smtp, p);
  assert.is(await storedLocale(app, p.email), 'zh-TW');
  const switched = await c.get('/language/en?return=/account');
  assert.is(switched.status, 303);
  assert.is(await storedLocale(app, p.email), 'en', 'stored with the switch, not at the next sign-in');
  assert.is(await resetMailSubject(app, p.email), 'Corrections Service Portal: set a new password');
  await c.get('/language/zh-TW?return=/account');
  assert.is(await storedLocale(app, p.email), 'zh-TW', 'and back');
  // A link to the switch on another site changes this browser's pages, not the account's mails.
  const fromElsewhere = await c.get('/language/en?return=/account', { 'sec-fetch-site': 'cross-site' });
  assert.is(fromElsewhere.status, 303);
  assert.match((await c.get('/account')).text, '<html lang="en">');
  assert.is(await storedLocale(app, p.email), 'zh-TW', 'the account keeps its language');
  // Nor is it the choice stored at the next sign-in.
  await c.post('/signout', {});
  await c.get('/language/en?return=/signin', { 'sec-fetch-site': 'cross-site' });
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: p.email, password: p.password })).status, 303);
  assert.is(await storedLocale(app, p.email), 'zh-TW', 'not stored at sign-in either');
  assert.match((await c.get('/account')).text, '<html lang="zh-Hant-TW"', 'the pages follow the account again');
});

test('signing in from a browser that never chose a language keeps an English registrant in English', async ({
  app,
}) => {
  const email = 'english-registrant@example.com';
  await fixture.applicant(app.db.pool, {
    name: 'Mary Lin',
    nationalId: 'A152601814',
    email,
    password: 'correct horse battery',
    locale: 'en',
  });
  const c = new Client(app.url);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email, password: 'correct horse battery' })).status, 303);
  assert.is(await storedLocale(app, email), 'en', 'not overwritten by the browser at sign-in');
  const page = await c.get('/account');
  assert.match(page.text, '<html lang="en">', 'the pages follow the person’s language after sign-in');
  assert.is(await resetMailSubject(app, email), 'Corrections Service Portal: set a new password');
});

test('a language chosen just before signing in is the latest choice and is stored at sign-in', async ({ app }) => {
  const email = 'chose-before-signing-in@example.com';
  await fixture.applicant(app.db.pool, {
    name: '陳小華',
    nationalId: 'B166131862',
    email,
    password: 'correct horse battery',
  });
  const c = new Client(app.url);
  await c.get('/language/en?return=/signin');
  await c.get('/signin');
  assert.is((await c.post('/signin', { email, password: 'correct horse battery' })).status, 303);
  assert.is(await storedLocale(app, email), 'en');
  assert.match((await c.get('/account')).text, '<html lang="en">');
});

test.run();
