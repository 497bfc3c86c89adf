import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkPage,
  DESKTOP,
  followMenu,
  KIOSK,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { until } from '../support/wait.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * 常見問題集 and 意見信箱 in a real browser (issue 13): the agency administrator adds a question with
 * numbered steps and a visitor reads it on /faq; a visitor sends an opinion, staff of the institution
 * answer it, the reply reaches the SMTP sink, and the visitor reads it on /progress with the case number
 * and the secret. JavaScript on and off, phone, desktop and a kiosk's 1080×1920, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: an FAQ edit shows on /faq; the opinion mailbox round trip');
const t = translator('zh-TW');
const PASSWORD = 'staff password 1';
const RUNS = [
  { name: 'help-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'help-js-on-kiosk', javaScriptEnabled: true, viewport: KIOSK },
  { name: 'help-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.staff(pool, {
    account: 'agency',
    name: '矯正署管理者',
    institutionCode: null,
    role: 'agency_admin',
    password: PASSWORD,
  });
  await fixture.staff(pool, {
    account: 'admin2477',
    name: '桃園管理者',
    institutionCode: '2477',
    role: 'institution_admin',
    password: PASSWORD,
  });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run) => {
  const phone = run.viewport === PHONE;
  test(`an FAQ edit and an opinion answered (${run.name})`, async (ctx) => {
    const open = () =>
      newContext(ctx.browser, {
        javaScriptEnabled: run.javaScriptEnabled,
        viewport: run.viewport,
        baseURL: ctx.app.url,
      });
    const [staffContext, visitorContext] = await Promise.all([open(), open()]);
    const staff = await staffContext.newPage();
    const visitor = await visitorContext.newPage();
    const question = `接見可以帶孩子嗎？（${run.name}）`;
    const opinion = `請問週六可以接見嗎？（${run.name}）`;
    const reply = `週六上午可以接見（${run.name}）`;
    const email = `${run.name}@example.com`;
    try {
      await withScreenshotOnFailure(staff, `${run.name}-faq-edit`, async () => {
        const main = staff.getByRole('main');
        const checked = (label: string) => checkPage(staff, `${run.name}: ${label}`, phone);
        await staffSignInPage(staff, t, 'agency', PASSWORD, checked);
        await followMenu(staff, t('nav.backoffice.faq'), phone);
        await staff.waitForURL((u) => u.pathname === '/backoffice/faq');
        await checked('FAQ and guide (back office)');
        await main.getByRole('link', { name: t('faq.admin.newQuestion'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/faq/questions/new');
        await checked('new question');
        // First try without a service and an English answer: told, answers kept.
        await staff.getByLabel(t('faq.field.faq.titleZh'), { exact: true }).fill(question);
        await staff.getByLabel(t('faq.field.faq.titleEn'), { exact: true }).fill('May children come?');
        await staff
          .getByLabel(t('faq.field.faq.bodyZh'), { exact: true })
          .fill('可以。\n1. 攜帶戶口名簿\n2. 提早30分鐘報到');
        await main.getByRole('button', { name: t('faq.save'), exact: true }).click();
        const summary = main.locator('.error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), t('faq.error.group'));
        assert.match(await summary.innerText(), t('faq.error.faq.bodyEn'));
        assert.is(await staff.getByLabel(t('faq.field.faq.titleZh'), { exact: true }).inputValue(), question);
        await checked('new question with errors');
        await staff.getByLabel(t('faq.group.visit'), { exact: true }).check();
        await staff
          .getByLabel(t('faq.field.faq.bodyEn'), { exact: true })
          .fill('Yes.\n1. Bring the household register\n2. Arrive early');
        await main.getByRole('button', { name: t('faq.save'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/faq');
        assert.match(await main.innerText(), t('faq.notice.saved', { title: question }));
        await checked('FAQ with the new question');
      });

      await withScreenshotOnFailure(visitor, `${run.name}-faq-read`, async () => {
        const main = visitor.getByRole('main');
        const checked = (label: string) => checkPage(visitor, `${run.name}: ${label}`, phone);
        await visitor.goto('/');
        await followMenu(visitor, t('nav.faq'), phone);
        await visitor.waitForURL((u) => u.pathname === '/faq');
        await main.getByRole('link', { name: t('faq.group.visit'), exact: true }).click();
        await visitor.waitForURL((u) => u.hash === '#visit');
        await main.getByText(question).click();
        const steps = main.locator('details', { hasText: question }).locator('ol li');
        assert.equal(await steps.allInnerTexts(), ['攜帶戶口名簿', '提早30分鐘報到']);
        await checked('FAQ with an answer open');
        await followMenu(visitor, t('nav.guide'), phone);
        await visitor.waitForURL((u) => u.pathname === '/guide');
        assert.ok((await main.locator('ol li').count()) > 0, 'the guide has numbered steps');
        await checked('guide');
      });

      let number = '';
      let secret = '';
      await withScreenshotOnFailure(visitor, `${run.name}-feedback-send`, async () => {
        const main = visitor.getByRole('main');
        const checked = (label: string) => checkPage(visitor, `${run.name}: ${label}`, phone);
        await followMenu(visitor, t('nav.feedback'), phone);
        await visitor.waitForURL((u) => u.pathname === '/feedback');
        await checked('opinion mailbox');
        await visitor.getByLabel(t('feedback.topic.question'), { exact: true }).check();
        await visitor.getByLabel(t('feedback.field.institution'), { exact: true }).selectOption('2477');
        await visitor.getByLabel(new RegExp(`^${t('feedback.field.email')}`)).fill(email);
        await main.getByRole('button', { name: t('feedback.submit'), exact: true }).click();
        const summary = main.locator('.error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), t('feedback.error.message'));
        assert.is(await visitor.getByLabel(new RegExp(`^${t('feedback.field.email')}`)).inputValue(), email);
        await checked('opinion mailbox with an error');
        await visitor.getByLabel(t('feedback.field.message'), { exact: true }).fill(opinion);
        await main.getByRole('button', { name: t('feedback.submit'), exact: true }).click();
        await main.getByRole('heading', { level: 1, name: t('feedback.sent.title') }).waitFor();
        [number = '', secret = ''] = await main.locator('.case-number').allInnerTexts();
        assert.match(number!, /^F\d{8}-[0-9A-Z]{6}$/);
        assert.match(secret!, /^[0-9A-Z]{8}$/);
        await checked('thank-you page');
        await until('the receipt', async () =>
          ctx.app.smtp.mails.find((m) => m.to === email && m.text.includes(number)),
        );
      });

      await withScreenshotOnFailure(staff, `${run.name}-feedback-reply`, async () => {
        const main = staff.getByRole('main');
        const checked = (label: string) => checkPage(staff, `${run.name}: ${label}`, phone);
        await staffContext.clearCookies();
        await staffSignInPage(staff, t, 'admin2477', PASSWORD, checked);
        await followMenu(staff, t('nav.backoffice.feedback'), phone);
        await staff.waitForURL((u) => u.pathname === '/backoffice/feedback');
        await checked('opinion queue');
        await main.getByRole('link', { name: number, exact: true }).click();
        await staff.waitForURL(/\/backoffice\/feedback\/\d+$/);
        assert.match(await main.innerText(), opinion);
        await checked('one opinion');
        await staff.getByLabel(t('feedback.reply'), { exact: true }).fill(reply);
        await main.getByRole('button', { name: t('feedback.admin.send'), exact: true }).click();
        await main.getByText(t('feedback.notice.mailed')).waitFor();
        await checked('one opinion, answered');
      });
      const mail = await until('the reply mail', async () =>
        ctx.app.smtp.mails.find((m) => m.to === email && m.text.includes(reply)),
      );
      assert.match(mail.subject, number);

      await withScreenshotOnFailure(visitor, `${run.name}-feedback-read`, async () => {
        const main = visitor.getByRole('main');
        const checked = (label: string) => checkPage(visitor, `${run.name}: ${label}`, phone);
        await main.getByRole('link', { name: t('feedback.sent.progress') }).click();
        await visitor.waitForURL((u) => u.pathname === '/progress');
        await checked('progress lookup');
        await visitor.getByLabel(t('feedback.number'), { exact: true }).fill(number);
        await visitor.getByLabel(t('feedback.lookup.key'), { exact: true }).fill('WRONGKEY');
        await main.getByRole('button', { name: t('feedback.lookup.submit'), exact: true }).click();
        await main.getByText(t('feedback.lookup.notFound')).waitFor();
        assert.not.match(await main.innerText(), reply);
        await visitor.getByLabel(t('feedback.number'), { exact: true }).fill(number);
        await visitor.getByLabel(t('feedback.lookup.key'), { exact: true }).fill(secret);
        await main.getByRole('button', { name: t('feedback.lookup.submit'), exact: true }).click();
        await main.getByText(reply).waitFor();
        assert.match(await main.innerText(), t('feedback.status.replied'));
        await checked('progress lookup with the reply');
      });
    } finally {
      await Promise.all([staffContext.close(), visitorContext.close()]);
    }
  });
});

test.run();
