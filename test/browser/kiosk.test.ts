import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { until } from '../support/wait.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  checkPage,
  KIOSK,
  launchBrowser,
  newContext,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { familyWithContactBook, staffAccounts, STAFF_PASSWORD, twoInstitutions } from '../support/scenarios.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * 服務機 in a real browser at kiosk size (1080×1920), JavaScript off and on, axe on every page: the
 * administrator makes the link, the terminal becomes a kiosk, a family signs in and looks at their
 * applications, the session ends (結束使用 without JavaScript; the idle warning and the end by itself
 * with it), and the next person sees nothing of them, the back button included. The idle limit is
 * shortened to 20 s for the test (KIOSK_IDLE_SECONDS): the warning at 13 s.
 */
const IDLE_SECONDS = 20;
const t = translator('zh-TW');
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: a waiting-room kiosk, from enrolment to the next person');
const FAMILIES = [
  {
    name: '林淑芬',
    nationalId: 'A223456781',
    email: 'kiosk-off@example.com',
    callNumber: '3001',
    number: '20260101-KIOSK1',
  },
  {
    name: '陳雅惠',
    nationalId: 'B223456780',
    email: 'kiosk-on@example.com',
    callNumber: '3002',
    number: '20260101-KIOSK2',
  },
];
const PASSWORD = 'family password 1';

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([
    startTestApp({ env: { KIOSK_IDLE_SECONDS: String(IDLE_SECONDS) } }),
    launchBrowser(),
  ]);
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  await staffAccounts(db, [['kioskadmin', '桃園管理者', '2477', 'institution_admin']]);
  for (const f of FAMILIES) await familyWithContactBook(db, { ...f, password: PASSWORD, inmateName: '王小明' });
});
test.after(async (ctx) => {
  await ctx.browser.close();
  await ctx.app.close();
});

/** The administrator makes a kiosk link in the back office (in a browser of their own); returns it. */
async function kioskLink(ctx: Ctx, name: string, javaScriptEnabled: boolean): Promise<string> {
  const context = await newContext(ctx.browser, { javaScriptEnabled, viewport: KIOSK, baseURL: ctx.app.url });
  const page = await context.newPage();
  try {
    const check = (label: string) => checkPage(page, label, false);
    await staffSignInPage(page, t, 'kioskadmin', STAFF_PASSWORD, check);
    await page.goto('/backoffice/kiosks');
    await check('服務機管理');
    await page.getByLabel(t('kiosk.admin.name')).fill(name);
    await page.getByRole('button', { name: t('kiosk.admin.create') }).click();
    await check('the kiosk link');
    return await page.locator('.kiosk-link__url').innerText();
  } finally {
    await context.close();
  }
}

/** The terminal opens the link and becomes a kiosk; a family signs in and opens their applications. */
async function enrolAndSignIn(page: Page, link: string, family: (typeof FAMILIES)[number], js: boolean) {
  const check = (label: string) => checkPage(page, `${label} (JS ${js ? 'on' : 'off'})`, false);
  await page.goto(link);
  await check('the enrolment page');
  await page.getByRole('button', { name: t('kiosk.enrol.submit') }).click();
  await page.waitForURL((url) => url.pathname === '/kiosk');
  assert.is(await page.locator('html').getAttribute('class'), 'kiosk');
  await check('the kiosk home');
  await page
    .getByRole('main')
    .getByRole('link', { name: new RegExp(t('kiosk.task.signIn')) })
    .click();
  await page.waitForURL((url) => url.pathname === '/signin');
  await check('sign-in on a kiosk');
  assert.is(await page.locator('#password').getAttribute('autocomplete'), 'new-password');
  assert.is(await page.locator('#email').getAttribute('autocomplete'), 'off');
  await page.locator('#email').fill(family.email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('main').locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/signin');
  await page.goto('/applications');
  await check('the applications on a kiosk');
  assert.match(await page.locator('main').innerText(), family.number);
}

/** Nothing of the person on the page now, or one step back in history. */
async function nothingOf(page: Page, family: (typeof FAMILIES)[number], label: string) {
  const text = await page.locator('body').innerText();
  assert.not.match(text, family.number, `${label}: the case number`);
  assert.not.match(text, family.name, `${label}: the name`);
}

test('JavaScript off: 結束使用 ends the session; the back button shows nothing of the person', async (ctx) => {
  const link = await kioskLink(ctx, '候客室一號機', false);
  const context = await newContext(ctx.browser, { javaScriptEnabled: false, viewport: KIOSK, baseURL: ctx.app.url });
  const page = await context.newPage();
  const family = FAMILIES[0]!;
  await withScreenshotOnFailure(page, 'kiosk-js-off', async () => {
    await enrolAndSignIn(page, link, family, false);
    await page.getByRole('button', { name: t('kiosk.end'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/kiosk/ended');
    await checkPage(page, 'the ended page (JS off)', false);
    await nothingOf(page, family, 'ended');
    await page.goBack();
    await nothingOf(page, family, 'back');
    await page.goBack();
    await nothingOf(page, family, 'back twice');
    await page.goto('/kiosk');
    await nothingOf(page, family, 'the next person');
    assert.is((await page.goto('/applications'))!.url().includes('/signin'), true);
  }).finally(() => context.close());
});

test('JavaScript on: the idle warning takes focus, continues, then the session ends by itself', async (ctx) => {
  const link = await kioskLink(ctx, '候客室二號機', true);
  const context = await newContext(ctx.browser, { javaScriptEnabled: true, viewport: KIOSK, baseURL: ctx.app.url });
  const page = await context.newPage();
  const family = FAMILIES[1]!;
  await withScreenshotOnFailure(page, 'kiosk-js-on', async () => {
    await enrolAndSignIn(page, link, family, true);
    const dialog = page.locator('#kiosk-idle');
    await until('the idle warning', () => dialog.isVisible(), IDLE_SECONDS * 1000);
    assert.is(await page.evaluate(() => document.activeElement?.id), 'kiosk-idle-continue');
    assert.match(await page.locator('#kiosk-idle-live').innerText(), /將於 \d+ 秒後自動結束使用/);
    assert.is(await page.locator('#kiosk-idle-live').getAttribute('aria-live'), 'polite');
    await checkPage(page, 'the idle warning', false);
    await page.getByRole('button', { name: t('kiosk.idle.continue') }).click();
    assert.not.ok(await dialog.isVisible(), 'continue closes the warning');
    assert.match(await page.locator('main').innerText(), family.number);
    await until('the end by itself', async () => new URL(page.url()).search === '?ended=idle', IDLE_SECONDS * 2000);
    await checkPage(page, 'the kiosk home after an idle end', false);
    assert.match(await page.locator('main').innerText(), t('kiosk.home.ended'));
    await nothingOf(page, family, 'after the idle end');
    await page.goBack();
    await nothingOf(page, family, 'back');
    await page.goBack();
    await nothingOf(page, family, 'back twice');
  }).finally(() => context.close());
});

test.run();
