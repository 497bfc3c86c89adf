import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkPage,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * Issue 12, as a reviewer sees it: the menu offers only what a reviewer may use (no 公告時段管理), and
 * the timetable's address typed in anyway answers with a 403 page that says so plainly, in Chinese and
 * in English, and leads back to the back office; every page passes axe, JavaScript on and off, on a
 * phone and on a desktop.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: a reviewer’s menu and the page refused to their role');
const zh = translator('zh-TW');
const en = translator('en');
const PASSWORD = 'reviewer password 1';
const DESKTOP = { width: 1280, height: 800 };
const RUNS = [
  { name: 'roles-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'roles-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'roles-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'roles-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await fixture.institution(ctx.app.db.pool, { code: '2477' });
  for (const [i] of RUNS.entries())
    await fixture.staff(ctx.app.db.pool, {
      account: `reviewer${i}`,
      name: `審核人員${i}`,
      institutionCode: '2477',
      role: 'reviewer',
      password: PASSWORD,
    });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, i) => {
  const phone = run.viewport === PHONE;
  test(run.name, async (ctx) => {
    const context = await newContext(ctx.browser, { ...run, baseURL: ctx.app.url });
    const page = await context.newPage();
    try {
      await withScreenshotOnFailure(page, run.name, async () => {
        const check = (label: string) => checkPage(page, `${run.name}: ${label}`, phone);
        await staffSignInPage(page, zh, `reviewer${i}`, PASSWORD, check);
        await check('the back-office home of a reviewer');
        const menu = page.locator('nav.menu-wide');
        if (phone) await page.locator('details.menu-narrow > summary').click();
        assert.is(await menu.getByRole('link', { name: zh('nav.backoffice.applications'), exact: true }).count(), 1);
        assert.is(await menu.getByRole('link', { name: zh('nav.backoffice.timetable'), exact: true }).count(), 0);
        assert.is(await menu.getByRole('link', { name: zh('nav.backoffice.staff'), exact: true }).count(), 0);
        assert.is(await page.getByRole('link', { name: zh('nav.backoffice.timetable'), exact: true }).count(), 0);

        const refused = await page.goto('/backoffice/timetable');
        assert.is(refused?.status(), 403);
        await check('403 (zh-TW)');
        const main = page.getByRole('main');
        assert.is(await main.getByRole('heading', { level: 1 }).innerText(), zh('error.403.title'));
        assert.match(await main.innerText(), zh('error.403.text'));

        const english = await page.goto('/language/en?return=/backoffice/timetable');
        assert.is(english?.status(), 403);
        await check('403 (en)');
        assert.is(await main.getByRole('heading', { level: 1 }).innerText(), en('error.403.title'));
        assert.match(await main.innerText(), en('error.403.text'));
        await main.getByRole('link', { name: en('nav.home'), exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/backoffice');
      });
    } finally {
      await context.close();
    }
  });
});

test.run();
