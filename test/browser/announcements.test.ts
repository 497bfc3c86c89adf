import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkPage,
  DESKTOP,
  followMenu,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { addDays, formatDate, taipeiToday } from '../../domain/shared/dates.ts';

/**
 * 公告 in a real browser (issue 12): an institution administrator writes an announcement, is told
 * what is wrong with the first try (answers kept), saves it pinned and published, and a visitor finds it
 * first on the home page and the announcements list, and reads it with its link. JavaScript on and off,
 * phone and desktop, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: an administrator writes an announcement; the public list and home page show it');
const t = translator('zh-TW');
const PASSWORD = 'staff password 1';
const RUNS = [
  { name: 'announcement-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'announcement-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'announcement-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'announcement-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.staff(pool, {
    account: 'admin2477',
    name: '桃園管理者',
    institutionCode: '2477',
    role: 'institution_admin',
    password: PASSWORD,
  });
  // An older announcement that the new pinned one must come before.
  await pool.query(
    `INSERT INTO announcement (institution_code, title_zh, title_en, body_zh, body_en, publish_from, status)
     VALUES (NULL, '較早的公告', 'Older', '內容', 'Text', $1, 'published')`,
    [taipeiToday(new Date())],
  );
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

/** The titles of the announcement table in the page's main area, in order. */
const titlesIn = async (page: Page) =>
  page.getByRole('main').locator('table tbody tr td:first-child a').allInnerTexts();

RUNS.forEach((run) => {
  const phone = run.viewport === PHONE;
  test(`write an announcement, fix what is wrong, see it first on the list and home page (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, {
      javaScriptEnabled: run.javaScriptEnabled,
      viewport: run.viewport,
      baseURL: ctx.app.url,
    });
    const page = await context.newPage();
    const main = page.getByRole('main');
    const checked = (label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    const title = `週六接見請提早報到（${run.name}）`;
    const today = taipeiToday(new Date());
    try {
      await withScreenshotOnFailure(page, `${run.name}-write`, async () => {
        await staffSignInPage(page, t, 'admin2477', PASSWORD, checked);
        await followMenu(page, t('nav.backoffice.announcements'), phone);
        await page.waitForURL((u) => u.pathname === '/backoffice/announcements');
        await main.getByRole('heading', { level: 1, name: t('nav.backoffice.announcements') }).waitFor();
        await checked('announcements (back office)');

        await main.getByRole('link', { name: t('announcements.admin.new'), exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/backoffice/announcements/new');
        await checked('new announcement');
        assert.is(await page.locator('#from').inputValue(), today, 'from today unless changed');
        // First try: no English title, and an end before the start.
        await page.getByLabel(t('announcements.field.titleZh'), { exact: true }).fill(title);
        await page
          .getByLabel(t('announcements.field.bodyZh'), { exact: true })
          .fill('週六人數較多，請提早30分鐘報到。\n\n交通方式：https://www.mjac.moj.gov.tw/');
        await page.getByLabel(t('announcements.field.bodyEn'), { exact: true }).fill('Please arrive 30 minutes early.');
        await page.locator('#to').fill(addDays(today, -1));
        await page.getByLabel(t('announcements.field.pinned')).check();
        await page.getByLabel(t('announcements.status.published'), { exact: true }).check();
        await main.getByRole('button', { name: t('announcements.save'), exact: true }).click();
        const summary = main.locator('.error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), t('announcements.error.titleEn'));
        assert.match(await summary.innerText(), t('announcements.error.toBeforeFrom'));
        assert.match(await page.title(), /^錯誤：/);
        assert.is(await page.getByLabel(t('announcements.field.titleZh'), { exact: true }).inputValue(), title);
        assert.ok(await page.getByLabel(t('announcements.field.pinned')).isChecked(), 'pinned kept');
        await checked('new announcement with errors');

        // The summary's link leads to the field.
        await summary.getByRole('link', { name: t('announcements.error.titleEn') }).click();
        await page.getByLabel(t('announcements.field.titleEn'), { exact: true }).fill('Arrive early on Saturdays');
        await page.locator('#to').fill('');
        await main.getByRole('button', { name: t('announcements.save'), exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/backoffice/announcements');
        assert.match(await main.innerText(), t('announcements.notice.created', { title }));
        const row = main.locator('tbody tr').filter({ hasText: title });
        assert.match(await row.innerText(), t('announcements.state.public'));
        assert.match(await row.innerText(), formatDate(today));
        await checked('announcements with the new one');
        await row.getByRole('link', { name: title }).click();
        await page.waitForURL(/\/backoffice\/announcements\/\d+$/);
        await checked('edit announcement');
      });

      await withScreenshotOnFailure(page, `${run.name}-public`, async () => {
        await page.goto('/');
        const onHome = await titlesIn(page);
        assert.is(onHome[0], title, `pinned and newest first on the home page: ${onHome.join(' | ')}`);
        assert.ok(onHome.includes('較早的公告'));
        await checked('home page');

        await followMenu(page, t('nav.announcements'), phone);
        await page.waitForURL((u) => u.pathname === '/announcements');
        assert.is((await titlesIn(page))[0], title);
        const row = main.locator('tbody tr').filter({ hasText: title });
        assert.match(await row.innerText(), '桃園女子監獄');
        assert.match(await row.innerText(), t('announcements.pinned'));
        await checked('announcements (public)');

        // Filtered by the institution: only its own.
        await page.getByLabel(t('announcements.filter.label')).selectOption('2477');
        await main.getByRole('button', { name: t('announcements.filter.submit') }).click();
        await page.waitForURL((u) => u.searchParams.get('institution') === '2477');
        assert.ok(!(await titlesIn(page)).includes('較早的公告'), 'the agency’s own is not 2477’s');
        await checked('announcements of one institution');

        await main.getByRole('link', { name: title }).click();
        await page.waitForURL(/\/announcements\/\d+$/);
        await main.getByRole('heading', { level: 1, name: title }).waitFor();
        const link = main.getByRole('link', { name: 'https://www.mjac.moj.gov.tw/' });
        assert.is(await link.getAttribute('href'), 'https://www.mjac.moj.gov.tw/');
        assert.is(await main.locator('.announcement-body p').count(), 2, 'two paragraphs');
        await checked('one announcement');
      });
    } finally {
      await context.close();
    }
  });
});

test.run();
