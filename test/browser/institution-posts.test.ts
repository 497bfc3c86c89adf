import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { VALID_IDS } from '../support/journeys.ts';
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

/**
 * 查看機關聯絡簿 in a real browser (issue 13): a reviewer writes to the family of an inmate with a
 * photo (the first try missing its title, the photo kept), the family gets the mail at the SMTP sink,
 * follows its link, reads the post with its photo and finds it in 查看機關聯絡簿. JavaScript on and off,
 * phone and desktop, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser; photo: Buffer };
const test = suite<Ctx>('browser: staff write to a family with a photo; the family is mailed and reads it');
const t = translator('zh-TW');
const PASSWORD = 'staff password 1';
const FAMILY_PASSWORD = 'family password 1';
const RUNS = [
  { name: 'ipost-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'ipost-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'ipost-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'ipost-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.staff(pool, {
    account: 'reviewer2477',
    name: '桃園承辦人',
    institutionCode: '2477',
    role: 'reviewer',
    password: PASSWORD,
  });
  // One family and inmate per run, so each run finds its own mail and post.
  for (const [i] of RUNS.entries()) {
    const applicant = await fixture.applicant(pool, {
      name: `家屬${i}`,
      nationalId: VALID_IDS[i]!,
      email: `family${i}@example.com`,
      password: FAMILY_PASSWORD,
    });
    const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: `100${i}`, name: `王小${i}` });
    await fixture.approvedService(pool, { applicant, inmate, service: 'contact_book', relationship: 'mother' });
  }
  ctx.photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#3a6' } })
    .jpeg()
    .toBuffer();
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, i) => {
  const phone = run.viewport === PHONE;
  test(`write with a photo, the family reads it from the mail (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, {
      javaScriptEnabled: run.javaScriptEnabled,
      viewport: run.viewport,
      baseURL: ctx.app.url,
    });
    const page = await context.newPage();
    const main = page.getByRole('main');
    const checked = (label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    const title = `懇親活動（${run.name}）`;
    try {
      await withScreenshotOnFailure(page, `${run.name}-staff`, async () => {
        await staffSignInPage(page, t, 'reviewer2477', PASSWORD, checked);
        await followMenu(page, t('nav.backoffice.institutionPosts'), phone);
        await page.waitForURL((u) => u.pathname === '/backoffice/institution-posts');
        await checked('institution posts (back office)');
        await main.getByRole('link', { name: t('ipost.staff.new'), exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/backoffice/institution-posts/new');
        await checked('new institution post');
        await page.getByLabel(t('ipost.form.callNumber'), { exact: true }).fill(`100${i}`);
        await page.getByLabel(t('ipost.form.body'), { exact: true }).fill('十二月將舉辦懇親活動。\n\n請準時報到。');
        await page.getByLabel(t('post.photoChoose'), { exact: true }).setInputFiles({
          name: '活動.jpg',
          mimeType: 'image/jpeg',
          buffer: ctx.photo,
        });
        await main.getByRole('button', { name: t('ipost.form.send'), exact: true }).click();
        const summary = main.locator('.error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), t('ipost.error.titleRequired'));
        assert.match(await page.title(), /^錯誤：/);
        assert.match(await main.innerText(), t('ipost.form.photoKept', { file: '活動.jpg' }));
        await checked('new institution post with errors');
        await page.getByLabel(t('ipost.form.subject'), { exact: true }).fill(title);
        await main.getByRole('button', { name: t('ipost.form.send'), exact: true }).click();
        await page.waitForURL(/\/backoffice\/institution-posts\/\d+$/);
        assert.match(await main.innerText(), t('ipost.notice.sent', { count: '1' }));
        const img = main.getByRole('img', { name: t('ipost.show.photoAlt') });
        assert.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 1200));
        await checked('institution post (back office)');
      });

      const family = await newContext(ctx.browser, {
        javaScriptEnabled: run.javaScriptEnabled,
        viewport: run.viewport,
        baseURL: ctx.app.url,
      });
      const home = await family.newPage();
      const fmain = home.getByRole('main');
      const fchecked = (label: string) => checkPage(home, `${run.name}: ${label}`, phone);
      await withScreenshotOnFailure(home, `${run.name}-family`, async () => {
        const mail = await ctx.app.smtp.waitFor((m) => m.to.includes(`family${i}@example.com`));
        assert.match(mail.text, title);
        const link = linkIn(mail, ctx.app.url);
        await home.goto('/signin');
        await home.getByLabel(t('signin.email')).fill(`family${i}@example.com`);
        await home.getByLabel(t('field.password'), { exact: true }).fill(FAMILY_PASSWORD);
        await home.getByRole('button', { name: t('signin.submit') }).click();
        await home.waitForURL('**/account');
        await home.goto(link);
        await fmain.getByRole('heading', { level: 1, name: title }).waitFor();
        assert.match(await fmain.innerText(), '十二月將舉辦懇親活動。');
        const img = fmain.getByRole('img', { name: t('ipost.show.photoAlt') });
        assert.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 1200));
        await fchecked('institution post (family)');
        await followMenu(home, t('nav.institutionPosts'), phone);
        await home.waitForURL((u) => u.pathname === '/contact-book/from-institution');
        await fmain.getByRole('link', { name: title }).waitFor();
        await fchecked('from the institution (family)');
      });
      await family.close();
    } finally {
      await context.close();
    }
  });
});

test.run();
