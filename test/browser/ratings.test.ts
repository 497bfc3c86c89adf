import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkPage,
  followMenu,
  KIOSK,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { until } from '../support/wait.ts';
import { STAFF_PASSWORD, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { decideApplication } from '../../domain/applications/review.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * 即時評價 in a real browser (issue 13, seed 004): the decision mail's link (taken from the SMTP sink)
 * opens the question without signing in, one tap answers it, the link then says it was received; the
 * reviewer finds the answer in the weekly chart's table and the comment masked. JavaScript on and off,
 * a phone and a kiosk (1080×1920), axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser; reviewerId: number };
const test = suite<Ctx>('browser: a rating from the mail link, then staff see it (issue 13)');
const t = translator('zh-TW');
const RUNS = [
  { name: 'rating-js-off-phone', javaScriptEnabled: false, viewport: PHONE, choice: 5 },
  { name: 'rating-js-on-phone', javaScriptEnabled: true, viewport: PHONE, choice: 4 },
  { name: 'rating-js-off-kiosk', javaScriptEnabled: false, viewport: KIOSK, choice: 2 },
  { name: 'rating-js-on-kiosk', javaScriptEnabled: true, viewport: KIOSK, choice: 5 },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await twoInstitutions(ctx.app.db.pool);
  await staffAccounts(ctx.app.db.pool, [['reviewer2477', '桃園承辦人', '2477', 'reviewer']]);
  ctx.reviewerId = Number((await ctx.app.db.pool.query(`SELECT id FROM staff`)).rows[0].id);
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  const phone = run.viewport === PHONE;
  test(`a rating from the decision mail's link, once; staff see it in the chart's table (${run.name})`, async (ctx) => {
    const { app } = ctx;
    const { pool } = app.db;
    const email = `rating${index}@example.com`;
    const applicant = await fixture.applicant(pool, {
      name: '陳美玲',
      nationalId: ['A152601814', 'A259083012', 'B120876549', 'C231432458'][index]!,
      email,
    });
    const inmate = await fixture.inmate(pool, {
      institutionCode: '2477',
      callNumber: String(5000 + index),
      name: '王小明',
    });
    const id = await fixture.approvedService(pool, {
      applicant,
      inmate,
      service: 'contact_book',
      relationship: 'mother',
      status: 'pending',
    });
    const actor = { staffId: ctx.reviewerId, role: 'reviewer' as const, institutionCode: '2477', ip: null };
    assert.is(await decideApplication(pool, id, 1, { decision: 'approve' }, actor, new Date(), app.url), 'decided');
    const mail = await until('the decision mail with its rating link', async () =>
      app.smtp.to(email).find((m) => m.text.includes('/ratings/answer?token=')),
    );
    const link = linkIn(mail, `${app.url}/ratings/answer?token=`);

    const context = await newContext(ctx.browser, { ...run, baseURL: app.url });
    const page = await context.newPage();
    const check = (label: string) => checkPage(page, `${label} (${run.name})`, phone);
    await withScreenshotOnFailure(page, run.name, async () => {
      const main = page.getByRole('main');
      await page.goto(link);
      await check('the mailed rating link');
      const choices = main.getByRole('group', { name: t('ratings.question') });
      assert.is(await choices.getByRole('button').count(), 5);
      // Too long a comment: the page says so and keeps it.
      await main.getByLabel(t('ratings.comment'), { exact: true }).fill('慢'.repeat(501));
      await choices.getByRole('button', { name: t('ratings.choice.3'), exact: true }).click();
      await main.getByRole('link', { name: t('error.ratings.comment', { max: 500 }) }).waitFor();
      assert.match(await page.title(), /^錯誤/);
      await check('the rating with a too-long comment');
      await main
        .getByLabel(t('ratings.comment'), { exact: true })
        .fill(`第 ${index + 1} 次：請回電 0912-345-67${index}`);
      await choices
        .getByRole('button', { name: t(`ratings.choice.${run.choice}` as 'ratings.choice.5'), exact: true })
        .click();
      await main.getByRole('heading', { name: t('ratings.thanks.title') }).waitFor();
      await check('thanks for the rating');
      await page.goto(link);
      await main.getByRole('heading', { name: t('ratings.already.title') }).waitFor();
      await check('the link used once already');
      assert.is(await main.getByRole('button').count(), 0, 'nothing to answer again');

      await staffSignInPage(page, t, 'reviewer2477', STAFF_PASSWORD, check);
      await followMenu(page, t('nav.backoffice.ratings'), phone);
      await page.waitForURL(/\/backoffice\/ratings$/);
      await check('staff ratings');
      const chart = main.getByRole('img', { name: new RegExp(`^${t('ratings.bo.chartTitle')}`) });
      assert.match((await chart.locator('desc').textContent())!, `共 ${index + 1} 則評價`);
      const table = main.getByRole('table', { name: t('ratings.bo.table') });
      const total = await table.getByRole('row').last().getByRole('cell').allInnerTexts();
      const satisfied = RUNS.slice(0, index + 1).filter((r) => r.choice >= 4).length;
      assert.equal(
        total.slice(0, 2).map((c) => c.replace(/^.*\n/, '').trim()),
        [String(index + 1), String(satisfied)],
      );
      const comments = await main.locator('#ratings-comments').innerText();
      assert.match(comments, `第 ${index + 1} 次：請回電 ＊＊＊`);
      assert.not.match(comments, '0912');
      assert.not.match(await main.innerText(), '陳美玲');
      // Filtered to another service: the GET form, with or without JavaScript.
      await main.getByLabel(t('ratings.bo.service'), { exact: true }).selectOption({ label: t('service.visit') });
      await main.getByRole('button', { name: t('ratings.bo.show'), exact: true }).click();
      await page.waitForURL(/service=visit/);
      await check('staff ratings filtered');
      assert.match((await main.getByRole('img').locator('desc').textContent())!, '共 0 則評價');
    });
    await context.close();
  });
});

test.run();
