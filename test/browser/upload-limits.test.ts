import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { checkA11y, launchBrowser, newContext, withScreenshotOnFailure } from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { VALID_IDS } from '../support/journeys.ts';
import { familyWithContactBook } from '../support/scenarios.ts';

type Ctx = { app: TestApp; browser: Browser; dir: string };
const test = suite<Ctx>('browser: the upload limit is checked before sending (JavaScript on)');
const t = translator('zh-TW');
const PASSWORD = 'browser test password';
const MB = 1024 * 1024;

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'upload-limits-'));
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  // A mother with an approved contact book for 王小明 (1024), able to sign in.
  await familyWithContactBook(pool, {
    name: '家屬',
    nationalId: VALID_IDS[7]!,
    email: 'limits@example.com',
    password: PASSWORD,
  });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
  await rm(ctx.dir, { recursive: true, force: true });
});

/** A file on disk of `size` bytes that starts like a PDF (large files go to the browser as paths). */
async function pdfOf(dir: string, name: string, size: number): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size - 9, 32)]));
  return file;
}
const SLOW = { timeout: 30_000 };

async function signIn(page: Page) {
  await page.goto('/signin');
  await page.getByLabel(t('signin.email')).fill('limits@example.com');
  await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: t('signin.submit') }).click();
  await page.waitForURL('**/account');
}

/** A page with JavaScript on, at `viewport`, and the URL of every POST it sends, in order. */
async function watchedPage(ctx: Ctx, viewport: { width: number; height: number }) {
  const context = await newContext(ctx.browser, { javaScriptEnabled: true, viewport, baseURL: ctx.app.url });
  const page = await context.newPage();
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  return { context, page, posts };
}

test('files over the form’s stated total are refused in the browser, tied to their input, and nothing is sent', async (ctx) => {
  const { context, page, posts } = await watchedPage(ctx, { width: 360, height: 640 });
  try {
    await withScreenshotOnFailure(page, 'upload-limits-application', async () => {
      await signIn(page);
      await page.goto('/applications/new/visit');
      const main = page.getByRole('main');
      assert.match(await main.innerText(), '合計 20 MB 以內', 'the limit is said before sending');
      await page.getByLabel(t('apply.institution')).selectOption('2477');
      await page.getByLabel(t('apply.callNumber')).fill('1024');
      await page.getByLabel(t('apply.doc.identity')).setInputFiles(await pdfOf(ctx.dir, '身分證.pdf', 12 * MB), SLOW);
      assert.is(await page.getByRole('alert').count(), 0, 'one 12 MB file fits');
      const relationship = page.getByLabel(t('apply.doc.relationship'));
      await relationship.setInputFiles(await pdfOf(ctx.dir, '戶籍謄本.pdf', 9 * MB), SLOW);

      const summary = page.getByRole('alert');
      await summary.waitFor();
      const message = t('error.upload.tooLarge', { limit: 20, total: '21.0' });
      assert.match(await summary.innerText(), message);
      assert.ok(await summary.evaluate((el) => el === document.activeElement), 'focus moves to the summary');
      assert.ok((await page.title()).startsWith(t('common.errorPrefix')));
      // The message is the input's own description, so a screen reader hears it on the field.
      assert.is(await relationship.getAttribute('aria-invalid'), 'true');
      const described = (await relationship.getAttribute('aria-describedby'))!.split(' ');
      const texts = await Promise.all(described.map((id) => page.locator(`#${id}`).innerText()));
      assert.ok(texts.includes(message), `described by ${JSON.stringify(texts)}`);
      await checkA11y(page, 'upload-limits: refused in the browser');

      await page.getByRole('button', { name: t('apply.submit') }).click();
      await page.getByRole('button', { name: t('apply.lookup') }).click();
      await main.getByText(/申請對象：.○+/).waitFor();
      assert.equal(
        posts.filter((u) => u.endsWith('/applications/new/visit')),
        [],
        'the form with its files was never sent',
      );

      // A smaller file: the message goes, and the form sends.
      await relationship.setInputFiles(await pdfOf(ctx.dir, '戶口名簿.pdf', 2 * MB), SLOW);
      assert.is(await page.locator('[data-size-summary]').count(), 0);
      assert.is(await relationship.getAttribute('aria-invalid'), null);
    });
  } finally {
    await context.close();
  }
});

test('a contact book photo over 10 MB is refused in the browser with the form’s message', async (ctx) => {
  const { context, page, posts } = await watchedPage(ctx, { width: 1080, height: 1920 });
  try {
    await withScreenshotOnFailure(page, 'upload-limits-photo', async () => {
      await signIn(page);
      await page.goto('/contact-book/new');
      await page.getByLabel(t('post.title')).fill('近況');
      await page.getByLabel(t('post.body')).fill('平安');
      const photo = page.getByLabel(t('post.photoChoose'));
      const big = path.join(ctx.dir, 'big.jpg');
      await writeFile(big, Buffer.alloc(10 * MB + 1, 0xff));
      await photo.setInputFiles(big, SLOW);
      const message = t('error.photo.tooLargeUnnamed', { limit: 10 });
      await page.getByRole('alert').getByText(message).waitFor();
      await page.getByRole('button', { name: t('post.submit') }).click();
      assert.is(await page.getByLabel(t('post.title')).inputValue(), '近況', 'still on the form, answers kept');
      assert.equal(
        posts.filter((u) => u.includes('/contact-book/')),
        [],
        'nothing was sent',
      );
      await checkA11y(page, 'upload-limits: photo refused');
    });
  } finally {
    await context.close();
  }
});

test.run();
