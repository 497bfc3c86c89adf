import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
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
import { STAFF_PASSWORD, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { recordStaffAction } from '../../domain/shared/audit.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * The back-office home's statistics and the audit log in a real browser (issue 12): with JavaScript on
 * and off, on a phone and a desktop, axe on every page. The charts are images a screen reader names by
 * their title and description, each beside a table of the same figures; the audit log filters by a GET
 * form and tells a wrong date range.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: the home statistics and the audit log (issue 12)');
const t = translator('zh-TW');
const RUNS = [
  { name: 'audit-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'audit-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'audit-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'audit-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['admin2477', '桃園管理者', '2477', 'institution_admin'],
    ['admin2411', '基隆管理者', '2411', 'institution_admin'],
  ]);
  const ids = (await pool.query<{ id: number }>(`SELECT id FROM staff ORDER BY account DESC`)).rows.map((r) => r.id); // admin2477, admin2411
  const m = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const a = await fixture.applicant(pool, { name: '陳美玲', nationalId: 'A152601814', email: 'family@example.com' });
  await fixture.approvedService(pool, {
    applicant: a,
    inmate: m,
    service: 'contact_book',
    relationship: 'mother',
    status: 'pending',
  });
  for (const [staffId, action, code] of [
    [ids[0]!, 'visit_batch.capacity', '2477'],
    [ids[1]!, 'visit_date.blocked', '2411'],
  ] as const)
    await recordStaffAction(pool, {
      staffId,
      action,
      objectType: 'visit_batch',
      objectId: 3,
      institutionCode: code,
      ip: '203.0.113.7',
      details: { capacity: { old: 10, new: 12 } },
      at: new Date(Date.now() - 3_600_000),
    });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

for (const run of RUNS) {
  const phone = run.viewport === PHONE;
  test(`the home charts read as images with a table of the same figures; the audit log filters (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, { ...run, baseURL: ctx.app.url });
    const page = await context.newPage();
    const check = (label: string) => checkPage(page, `${label} (${run.name})`, phone);
    await withScreenshotOnFailure(page, run.name, async () => {
      await staffSignInPage(page, t, 'admin2477', STAFF_PASSWORD, check);
      await check('home with statistics');
      const main = page.getByRole('main');
      const images = main.getByRole('img');
      assert.is(await images.count(), 4);
      const title = t('statistics.applications.title');
      // The image's name is its title and description, as a screen reader announces it.
      const chart = main.getByRole('img', { name: new RegExp(`^${title.replace(/[()（）]/g, '.')} 長條圖`) });
      assert.is(await chart.count(), 1);
      assert.match(
        (await chart.locator('desc').textContent())!,
        '合計 1 件：審核通過 0 件、審核未通過 0 件、待審核 1 件',
      );
      // The table beside it: this week's contact book application, waiting.
      const table = main.getByRole('table', { name: t('statistics.table', { title }) });
      const row = table
        .getByRole('row')
        .filter({ hasText: t('service.contact_book') })
        .last();
      const cells = await row.getByRole('cell').allInnerTexts();
      assert.equal(
        cells.map((c) => c.replace(/^.*\n/, '').trim()),
        [t('service.contact_book'), '0', '0', '1', '1'],
      );
      for (const id of ['applications', 'decisions', 'bookings', 'posts'])
        assert.is(await main.locator(`#statistics-${id} svg title`).count(), 1, id);

      await followMenu(page, t('nav.backoffice.audit'), phone);
      await page.waitForURL(/\/backoffice\/audit$/);
      await check('audit log');
      await main
        .getByLabel(t('audit.filter.action'), { exact: true })
        .selectOption({ label: t('audit.action.visit_batch.capacity') });
      await main.getByRole('button', { name: t('audit.search'), exact: true }).click();
      await page.waitForURL(/action=visit_batch\.capacity/);
      await check('audit log filtered');
      const entries = main.getByRole('table').getByRole('row');
      assert.is(await entries.count(), 2, 'the header and one entry');
      assert.match(await entries.nth(1).innerText(), '桃園管理者');
      assert.match(await entries.nth(1).innerText(), 'capacity: 10 → 12');

      await main.getByLabel(t('audit.filter.from'), { exact: true }).fill('2026-03-02');
      await main.getByLabel(t('audit.filter.to'), { exact: true }).fill('2026-03-01');
      await main.getByRole('button', { name: t('audit.search'), exact: true }).click();
      await page.waitForURL(/to=2026-03-01/);
      assert.match(await page.title(), /^錯誤/);
      await main.getByRole('link', { name: t('audit.error.to') }).click();
      await check('audit log with a wrong date range');
    });
    await context.close();
  });
}

test.run();
