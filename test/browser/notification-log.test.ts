import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, newContext, withScreenshotOnFailure, checkPage, staffSignInPage } from '../support/browser.ts';
import { staffAccounts, STAFF_PASSWORD, twoInstitutions } from '../support/scenarios.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { LOG_PAGE_SIZE } from '../../domain/notifications.ts';

type Ctx = { app: TestApp; browser: Browser; expected: string[] };
const test = suite<Ctx>('browser: the notification log pages older and newer, with or without JavaScript');
const t = translator('zh-TW');
const ROWS = 2 * LOG_PAGE_SIZE + 5;

const RUNS = [
  { name: 'log-js-off-phone', javaScriptEnabled: false, viewport: { width: 360, height: 640 } },
  { name: 'log-js-on-desktop', javaScriptEnabled: true, viewport: { width: 1280, height: 900 } },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [['log2477', '桃園承辦人', '2477', 'reviewer']]);
  // Five rows share each timestamp, so a page boundary falls inside a group.
  await pool.query(
    `INSERT INTO notification (channel, institution_code, recipient, subject, body_text, status, created_at, sent_at)
     SELECT 'email', '2477', 'page' || g || '@example.com', '通知 ' || g, '內文', 'sent',
            timestamptz '2026-11-01 08:00:00+08' - (g / 5) * interval '1 minute', now()
       FROM generate_series(1, $1) g`,
    [ROWS],
  );
  const { rows } = await pool.query<{ recipient: string }>(
    `SELECT recipient FROM notification ORDER BY created_at DESC, id DESC`,
  );
  ctx.expected = rows.map((r) => r.recipient);
});

test.after(async (ctx) => {
  await Promise.all([ctx.browser.close(), ctx.app.close()]);
});

for (const run of RUNS) {
  test(`${run.name}: older to the end, newer back to the first page`, async ({ app, browser, expected }) => {
    const context = await newContext(browser, { ...run, baseURL: app.url });
    const page = await context.newPage();
    const phone = run.viewport.width < 600;
    const main = page.getByRole('main');
    const follow = async (link: ReturnType<typeof main.getByRole>) => {
      const from = page.url();
      await link.click();
      await page.waitForURL((u) => u.href !== from);
    };
    const shown = async () => [...(await main.innerText()).matchAll(/page\d+@example\.com/g)].map((m) => m[0]);
    try {
      await withScreenshotOnFailure(page, run.name, async () => {
        await staffSignInPage(page, t, 'log2477', STAFF_PASSWORD, (label) => checkPage(page, label, phone));
        await page.goto('/backoffice/notifications');
        assert.equal(await shown(), expected.slice(0, LOG_PAGE_SIZE));
        assert.match(await main.innerText(), `共 ${ROWS} 件`);
        await checkPage(page, 'notification log, newest page', phone);
        const older = main.getByRole('link', { name: t('notifications.older') });
        const newer = main.getByRole('link', { name: t('notifications.newer') });
        assert.is(await newer.count(), 0, 'the newest page has no newer link');
        await follow(older);
        assert.equal(await shown(), expected.slice(LOG_PAGE_SIZE, 2 * LOG_PAGE_SIZE));
        await checkPage(page, 'notification log, an older page', phone);
        await follow(older);
        assert.equal(await shown(), expected.slice(2 * LOG_PAGE_SIZE));
        assert.is(await older.count(), 0, 'the oldest page has no older link');
        await follow(newer);
        assert.equal(await shown(), expected.slice(LOG_PAGE_SIZE, 2 * LOG_PAGE_SIZE));
        await follow(newer);
        assert.equal(await shown(), expected.slice(0, LOG_PAGE_SIZE), 'back on the newest page');
      });
    } finally {
      await context.close();
    }
  });
}

test.run();
