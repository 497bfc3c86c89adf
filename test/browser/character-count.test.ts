import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { launchBrowser, newContext, withScreenshotOnFailure } from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { VALID_IDS } from '../support/journeys.ts';
import { familyWithContactBook } from '../support/scenarios.ts';

// Issue 11.23: the live character count chooses its words by the page language's plural rules.
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: the live character count in English and Chinese (JavaScript on)');
const PASSWORD = 'browser test password';

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  // A mother with an approved contact book for 王小明 (1024), able to sign in.
  await familyWithContactBook(pool, {
    name: '家屬',
    nationalId: VALID_IDS[8]!,
    email: 'count@example.com',
    password: PASSWORD,
  });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

test('one character over or left reads "1 character", more read "characters"; Chinese counts 字', async (ctx) => {
  const context = await newContext(ctx.browser, {
    javaScriptEnabled: true,
    viewport: { width: 360, height: 640 },
    baseURL: ctx.app.url,
  });
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'character-count', async () => {
      const zh = translator('zh-TW');
      await page.goto('/signin');
      await page.getByLabel(zh('signin.email')).fill('count@example.com');
      await page.getByLabel(zh('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: zh('signin.submit') }).click();
      await page.waitForURL('**/account');
      await page.goto('/language/en?return=/contact-book/new');
      await page.waitForURL('**/contact-book/new');
      const en = translator('en');
      const body = page.getByLabel(en('post.body'), { exact: true });
      const count = page.locator('#body-count');
      await body.fill('x'.repeat(151));
      assert.is(await count.innerText(), '1 character too many: please shorten it');
      await body.fill('x'.repeat(153));
      assert.is(await count.innerText(), '3 characters too many: please shorten it');
      await body.fill('x'.repeat(149));
      assert.is(await count.innerText(), '1 character left');
      await body.fill('x'.repeat(140));
      assert.is(await count.innerText(), '10 characters left');
      await page.goto('/language/zh-TW?return=/contact-book/new');
      await page.waitForURL('**/contact-book/new');
      await page.getByLabel(zh('post.body'), { exact: true }).fill('字'.repeat(151));
      assert.is(await page.locator('#body-count').innerText(), '已超過 1 字，請刪減');
    });
  } finally {
    await context.close();
  }
});

test.run();
