import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  checkPage,
  DESKTOP,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { familyWithContactBook, staffAccounts, STAFF_PASSWORD } from '../support/scenarios.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * Issue 12: an institution administrator changes parameter C and a family's next post date, shown on
 * the contact book pages, moves at once; the agency administrator edits an institution's visiting
 * notes and families read them. JavaScript on and off, phone and desktop, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: 系統參數設定(機關) and 機關資料管理');
const t = translator('zh-TW');
/** Monday 2026-11-23 10:00 in Taipei; each family last posted on 2026-11-22. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const FAMILY_PASSWORD = 'family password 1';
const RUNS = [
  { name: 'parameters-js-off-phone', javaScriptEnabled: false, viewport: PHONE, c: 3, next: '2026/11/25' },
  { name: 'parameters-js-on-phone', javaScriptEnabled: true, viewport: PHONE, c: 4, next: '2026/11/26' },
  { name: 'parameters-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP, c: 5, next: '2026/11/27' },
  { name: 'parameters-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP, c: 6, next: '2026/11/28' },
];
const email = (i: number) => `family${i}@example.com`;

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp({ clock: () => new Date(NOW) }), launchBrowser()]);
  const db = ctx.app.db.pool;
  await db.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan Women''s Prison')`,
  );
  await staffAccounts(db, [
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['agency', '署管理者', null, 'agency_admin'],
  ]);
  const ids = ['A223456781', 'B234567899', 'C245678900', 'D256789011'];
  for (const [i] of RUNS.entries()) {
    const { applicant, inmate, book } = await familyWithContactBook(db, {
      name: '陳美玲',
      nationalId: ids[i]!,
      email: email(i),
      password: FAMILY_PASSWORD,
      callNumber: String(1000 + i),
    });
    await db.query(
      `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, posted_on, submitted_at, submission_key)
       VALUES ($1, $2, $3, '2477', '近況', '一切安好', '2026-11-22', now(), gen_random_uuid())`,
      [book, applicant, inmate],
    );
  }
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  const phone = run.viewport === PHONE;
  const opts = (ctx: Ctx) => ({
    javaScriptEnabled: run.javaScriptEnabled,
    viewport: run.viewport,
    baseURL: ctx.app.url,
  });
  const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);

  test(`an institution administrator changes C and the family's next post date moves (${run.name})`, async (ctx) => {
    const [familyContext, staffContext] = await Promise.all([
      newContext(ctx.browser, opts(ctx)),
      newContext(ctx.browser, opts(ctx)),
    ]);
    const family = await familyContext.newPage();
    const staff = await staffContext.newPage();
    const main = staff.getByRole('main');
    try {
      await withScreenshotOnFailure(family, `${run.name}-family-before`, async () => {
        await family.goto('/signin');
        await family.getByLabel(t('signin.email')).fill(email(index));
        await family.getByLabel(t('field.password'), { exact: true }).fill(FAMILY_PASSWORD);
        await family.getByRole('button', { name: t('signin.submit') }).click();
        await family.waitForURL('**/account');
        await family.goto('/contact-book');
        // Whatever C was left at by the run before, the page states it; this run starts from 10.
        assert.match(await family.getByRole('main').innerText(), /每 \d+ 天限發佈 1 次/);
      });

      await withScreenshotOnFailure(staff, `${run.name}-parameters`, async () => {
        await staffSignInPage(staff, t, 'admin2477', STAFF_PASSWORD, (label) => checked(staff, label));
        await staff.goto('/backoffice/parameters');
        await main.getByRole('heading', { level: 1, name: t('parameters.title') }).waitFor();
        await checked(staff, 'parameters');
        // Out of range: the error summary and the field's message, the answer kept.
        await staff.getByLabel(`C ${t('parameters.meaning.C')}`).fill('0');
        await staff.getByRole('button', { name: t('parameters.submit') }).click();
        await staff.locator('.error-summary').waitFor();
        assert.match(await staff.title(), /^錯誤：/);
        assert.match(await main.innerText(), '家庭聯絡簿發送間隔請輸入 1 到 90 的整數（天）');
        assert.is(await staff.getByLabel(`C ${t('parameters.meaning.C')}`).inputValue(), '0');
        await checked(staff, 'parameters with an error');
        // Windows out of order are refused too.
        await staff.getByLabel(`C ${t('parameters.meaning.C')}`).fill('10');
        await staff.getByLabel(`RFS ${t('parameters.meaning.RFS')}`).fill('10:30');
        await staff.getByRole('button', { name: t('parameters.submit') }).click();
        await staff.locator('.error-summary').waitFor();
        assert.match(await main.innerText(), t('parameters.error.RFS'));
        await staff.getByLabel(`RFS ${t('parameters.meaning.RFS')}`).fill('14:00');
        await staff.getByLabel(`C ${t('parameters.meaning.C')}`).fill(String(run.c));
        await staff.getByRole('button', { name: t('parameters.submit') }).click();
        await main.getByText(t('parameters.saved', { codes: 'C' })).waitFor();
        const text = await main.innerText();
        assert.match(text, '桃園管理者，2026/11/23 10:00');
        await checked(staff, 'parameters saved');
      });

      await withScreenshotOnFailure(family, `${run.name}-family-after`, async () => {
        await family.goto('/contact-book');
        const text = await family.getByRole('main').innerText();
        assert.match(text, t('post.nextDate', { days: run.c, date: run.next }));
        await checked(family, 'contact book list after C changed');
        await family.goto('/contact-book/new');
        assert.match(await family.getByRole('main').innerText(), t('post.nextDate', { days: run.c, date: run.next }));
        await checked(family, 'contact book form after C changed');
      });
    } finally {
      await Promise.all([familyContext.close(), staffContext.close()]);
    }
  });

  test(`the agency administrator edits an institution's visiting notes and families read them (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, opts(ctx));
    const page = await context.newPage();
    const main = page.getByRole('main');
    const notes = `請於接見前 30 分鐘報到（${run.name}）。`;
    try {
      await withScreenshotOnFailure(page, `${run.name}-institutions`, async () => {
        await staffSignInPage(page, t, 'agency', STAFF_PASSWORD, (label) => checked(page, label));
        await page.goto('/backoffice/institutions');
        await main.getByRole('heading', { level: 1, name: t('nav.backoffice.institutions') }).waitFor();
        await checked(page, 'institutions');
        await main.getByRole('link', { name: t('institutions.add') }).click();
        await main.getByRole('heading', { level: 1, name: t('institutions.newTitle') }).waitFor();
        await page.getByLabel(t('institutions.field.code')).fill('24');
        await page.getByRole('button', { name: t('institutions.submitNew') }).click();
        await page.locator('.error-summary').waitFor();
        assert.match(await main.innerText(), t('institutions.error.code'));
        await checked(page, 'new institution with errors');
        await page.goto('/backoffice/institutions/2477');
        await checked(page, 'edit institution');
        await page.getByLabel(t('institutions.field.visitingNotesZh')).fill(notes);
        await page.getByRole('button', { name: t('institutions.submitEdit') }).click();
        await main.getByText(t('institutions.saved', { code: '2477' })).waitFor();
        await page.goto('/visit-times');
        assert.match(await page.getByRole('main').innerText(), notes);
        await checked(page, 'visit times with notes');
      });
    } finally {
      await context.close();
    }
  });
});

test.run();
