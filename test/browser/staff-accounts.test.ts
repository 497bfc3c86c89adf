import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { linkIn } from '../support/smtp-sink.ts';
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

type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>(
  'browser: first start with the admin command, then an administrator creates a reviewer who signs in',
);
const t = translator('zh-TW');
const root = path.resolve(import.meta.dirname, '../..');
const RUNS = [
  { name: 'staff-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'staff-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'staff-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'staff-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await fixture.institution(ctx.app.db.pool, { code: '2477' });
  await fixture.institution(ctx.app.db.pool, { code: '2411' });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

/** The real admin command against the test portal's database, mailing through its worker and SMTP sink. */
async function createAgencyAdmin(app: TestApp, email: string, name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'admin.ts', 'create-agency-admin', '--email', email, '--name', name],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: app.db.url,
        SMTP_URL: app.smtp.url,
        PUBLIC_URL: app.url,
        LOG_LEVEL: 'warn',
      },
    },
  );
  const link = /(http\S+\/backoffice\/password\?token=[\w-]+)/.exec(stdout)?.[1];
  assert.ok(link, stdout);
  return link!;
}

/** Opens a password-set link, sets the password (after one refused try), and ends on the "done" page. */
async function setPassword(page: Page, link: string, password: string, check: (label: string) => Promise<void>) {
  await page.goto(link);
  await check('set password');
  await page.getByLabel(t('field.newPassword'), { exact: true }).fill('short');
  await page.getByLabel(t('field.passwordConfirm'), { exact: true }).fill('short');
  await page.getByRole('button', { name: t('staff.password.submit') }).click();
  await page.locator('.error-summary').waitFor();
  await check('set password, with an error');
  await page.getByLabel(t('field.newPassword'), { exact: true }).fill(password);
  await page.getByLabel(t('field.passwordConfirm'), { exact: true }).fill(password);
  // argon2 hashes the password on purpose slowly: on a busy machine this takes longer than a page usually does.
  await page.getByRole('button', { name: t('staff.password.submit') }).click({ timeout: 30_000 });
  await page.waitForURL(/\/backoffice\/password\/done$/, { timeout: 30_000 });
  await check('password set');
}

RUNS.forEach((run, index) => {
  const phone = run.viewport === PHONE;
  test(`${run.name}: the admin command, a password from its link, a reviewer created, mailed and signed in`, async ({
    app,
    browser,
  }) => {
    const adminContext = await newContext(browser, { ...run, baseURL: app.url });
    const reviewerContext = await newContext(browser, { ...run, baseURL: app.url });
    const page = await adminContext.newPage();
    const check = (label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    try {
      await withScreenshotOnFailure(page, `${run.name}-admin`, async () => {
        const adminEmail = `chief${index}@example.gov.tw`;
        const printed = await createAgencyAdmin(app, adminEmail, `署管理者${index}`);
        // Half the runs follow the printed link, half the mailed one: they are the same link.
        const mailed = linkIn(
          await app.smtp.waitFor((m) => m.to.includes(adminEmail)),
          `${app.url}/backoffice/password`,
        );
        assert.is(mailed, printed);
        const adminPassword = `chief password ${index}`;
        await setPassword(page, index % 2 ? mailed : printed, adminPassword, check);
        await page
          .getByRole('main')
          .getByRole('link', { name: t('backoffice.signin.title') })
          .click();
        await staffSignInPage(page, t, `chief${index}`, adminPassword, check);

        await followMenu(page, t('nav.backoffice.staff'), phone);
        await page.waitForURL(/\/backoffice\/staff$/);
        await check('staff accounts');
        await page
          .getByRole('main')
          .getByRole('link', { name: t('staff.new.title') })
          .click();
        await check('new account');
        await page.getByRole('button', { name: t('staff.new.submit') }).click();
        await page.locator('.error-summary').waitFor();
        assert.match(await page.title(), /^錯誤：/);
        await check('new account, with errors');
        const account = `reviewer${index}`;
        await page.getByLabel(t('staff.field.name'), { exact: true }).fill(`林審核${index}`);
        await page.getByLabel(t('staff.field.email'), { exact: true }).fill(`${account}@example.gov.tw`);
        await page.getByLabel(t('staff.field.account'), { exact: true }).fill(account);
        await page.getByLabel(t('backoffice.col.institution'), { exact: true }).selectOption('2477');
        await page.getByLabel(t('staff.role.reviewer'), { exact: true }).check();
        await page.getByRole('button', { name: t('staff.new.submit') }).click();
        await page.waitForURL(/\/backoffice\/staff\/\d+$/);
        await page
          .getByRole('status')
          .filter({ hasText: `${account}@example.gov.tw` })
          .waitFor();
        assert.match(await page.getByRole('main').innerText(), t('staff.status.noPassword'));
        await check('the new account');
      });

      const reviewer = await reviewerContext.newPage();
      const checkReviewer = (label: string) => checkPage(reviewer, `${run.name}: ${label}`, phone);
      await withScreenshotOnFailure(reviewer, `${run.name}-reviewer`, async () => {
        const account = `reviewer${index}`;
        const mail = await app.smtp.waitFor((m) => m.to.includes(`${account}@example.gov.tw`));
        const password = `reviewer password ${index}`;
        await setPassword(reviewer, linkIn(mail, `${app.url}/backoffice/password`), password, checkReviewer);
        await staffSignInPage(reviewer, t, account, password, checkReviewer);
        await checkReviewer('reviewer home');
        const menu = reviewer.locator('nav.menu-wide');
        const links = (await menu.locator('a').allTextContents()).map((s) => s.trim());
        for (const item of [
          'nav.backoffice.applications',
          'nav.backoffice.notifications',
          'nav.backoffice.profile',
        ] as const)
          assert.ok(links.includes(t(item)), `the reviewer's menu has ${t(item)}: ${links.join(', ')}`);
        for (const item of ['nav.backoffice.staff', 'nav.backoffice.timetable', 'nav.backoffice.institutions'] as const)
          assert.not.ok(links.includes(t(item)), `the reviewer's menu has no ${t(item)}`);
        await followMenu(reviewer, t('nav.backoffice.profile'), phone);
        await reviewer.waitForURL(/\/backoffice\/profile$/);
        await checkReviewer('基本資料修改');
        await reviewer.getByLabel(t('staff.field.name'), { exact: true }).fill(`林審核員${index}`);
        await reviewer.getByRole('button', { name: t('staff.profile.nameSubmit') }).click();
        await reviewer
          .getByRole('status')
          .filter({ hasText: t('staff.notice.nameSaved') })
          .waitFor();
        await checkReviewer('基本資料修改, saved');
        const denied = await reviewer.goto('/backoffice/staff');
        assert.is(denied?.status(), 403);
      });
    } finally {
      await adminContext.close();
      await reviewerContext.close();
    }
  });
});

test.run();
