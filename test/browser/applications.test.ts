import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { checkA11y, launchBrowser, newContext, withScreenshotOnFailure } from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { VALID_IDS } from '../support/journeys.ts';

type Ctx = { app: TestApp; browser: Browser; dir: string; photo: string; pdf: string; bigPdf: string; text: string };
const test = suite<Ctx>('browser: applying for visits');
const t = translator('zh-TW');
const PASSWORD = 'browser test password';

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  for (const [callNumber, name] of [
    ['1024', '王小明'],
    ['2048', '林美華'],
    ['310567', '陳志強'],
    ['3333', '李四'],
  ] as const)
    await fixture.inmate(pool, { institutionCode: '2477', callNumber, name });
  for (let i = 0; i < 4; i++) {
    await fixture.applicant(pool, {
      name: `家屬${i}`,
      nationalId: VALID_IDS[i]!,
      email: `browser${i}@example.com`,
      mobile: '0912345678',
      password: PASSWORD,
    });
  }
  ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'uploads-'));
  ctx.photo = path.join(ctx.dir, '正面照.jpg');
  await writeFile(
    ctx.photo,
    await sharp({ create: { width: 80, height: 100, channels: 3, background: '#c0a080' } })
      .jpeg()
      .toBuffer(),
  );
  ctx.pdf = path.join(ctx.dir, '戶口名簿.pdf');
  await writeFile(ctx.pdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
  ctx.bigPdf = path.join(ctx.dir, '戶籍謄本.pdf');
  await writeFile(
    ctx.bigPdf,
    Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(600 * 1024, 32), Buffer.from('\n%%EOF\n')]),
  );
  ctx.text = path.join(ctx.dir, 'notes.jpg');
  await writeFile(ctx.text, 'not a picture');
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
  await rm(ctx.dir, { recursive: true, force: true });
});

const RUNS = [
  { name: 'apply-js-off-phone', javaScriptEnabled: false, viewport: { width: 360, height: 640 }, callNumber: '1024' },
  { name: 'apply-js-on-phone', javaScriptEnabled: true, viewport: { width: 360, height: 640 }, callNumber: '2048' },
  {
    name: 'apply-js-off-kiosk',
    javaScriptEnabled: false,
    viewport: { width: 1080, height: 1920 },
    callNumber: '310567',
  },
  { name: 'apply-js-on-kiosk', javaScriptEnabled: true, viewport: { width: 1080, height: 1920 }, callNumber: '3333' },
];

RUNS.forEach((run, index) => {
  test(`look up the inmate, upload documents with one bad file, send, see it pending (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, {
      javaScriptEnabled: run.javaScriptEnabled,
      viewport: run.viewport,
      baseURL: ctx.app.url,
    });
    const page = await context.newPage();
    const main = page.getByRole('main');
    try {
      await withScreenshotOnFailure(page, run.name, async () => {
        await page.goto('/signin');
        await page.getByLabel(t('signin.email')).fill(`browser${index}@example.com`);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: t('signin.submit') }).click();
        await page.waitForURL('**/account');

        await page.goto('/applications/new/visit');
        await checkA11y(page, `${run.name}: form`);
        await page.getByLabel(t('apply.institution')).selectOption('2477');
        await page.getByLabel(t('apply.callNumber')).fill(run.callNumber);
        await page.getByRole('button', { name: t('apply.lookup') }).click();
        await main.getByText(/申請對象：.○+/).waitFor();
        if (run.javaScriptEnabled)
          assert.is(await page.getByLabel(t('apply.callNumber')).inputValue(), run.callNumber, 'no reload');
        await checkA11y(page, `${run.name}: after lookup`);

        await page.getByLabel(t('apply.relationship')).selectOption('spouse');
        await page.getByRole('checkbox', { name: t('visitKind.onsite') }).check();
        await page.getByRole('checkbox', { name: t('visitKind.mobile') }).check();
        await page.getByLabel(t('apply.doc.identity')).setInputFiles(ctx.pdf);
        await page.getByLabel(t('apply.doc.relationship')).setInputFiles(ctx.text);
        await page.getByLabel(t('apply.doc.photo')).setInputFiles(ctx.photo);
        await page.getByRole('button', { name: t('apply.submit') }).click();

        const summary = page.getByRole('alert');
        await summary.waitFor();
        assert.match(await summary.innerText(), '「notes.jpg」的內容不是 PDF、PNG 或 JPG 檔');
        assert.ok((await page.title()).startsWith(t('common.errorPrefix')));
        await checkA11y(page, `${run.name}: file refused`);
        // Nothing else was lost: answers kept, good files listed.
        assert.is(await page.getByLabel(t('apply.relationship')).inputValue(), 'spouse');
        assert.ok(await page.getByRole('checkbox', { name: t('visitKind.mobile') }).isChecked());
        assert.match(await main.innerText(), '戶口名簿.pdf');
        assert.match(await main.innerText(), '正面照.jpg');

        if (run.javaScriptEnabled) {
          // A slow line (200 KB/s up) and a 600 KB file: the progress bar moves and says so.
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: 20,
            downloadThroughput: -1,
            uploadThroughput: 200 * 1024,
          });
          await page.getByLabel(t('apply.doc.relationship')).setInputFiles(ctx.bigPdf);
          await page.getByRole('button', { name: t('apply.submit') }).click();
          await page.waitForFunction(() => {
            const bar = document.querySelector('progress');
            return !!bar && bar.value > 0 && bar.value < 100 && !bar.closest('[hidden]');
          });
          assert.match(await page.getByRole('status').first().innerText(), /正在上傳：\d+%|上傳完成/);
          assert.ok(
            await page.getByRole('button', { name: t('apply.submit') }).isDisabled(),
            'no second click while uploading',
          );
          await checkA11y(page, `${run.name}: uploading`);
          await page.waitForURL(/\/applications\/\d{8}-[0-9A-Z]{6}$/, { timeout: 20_000 });
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: -1,
          });
        } else {
          await page.getByLabel(t('apply.doc.relationship')).setInputFiles(ctx.pdf);
          await page.getByRole('button', { name: t('apply.submit') }).click();
        }
        await page.waitForURL(/\/applications\/\d{8}-[0-9A-Z]{6}$/);
        await main.getByRole('heading', { name: t('applications.sent') }).waitFor();
        await checkA11y(page, `${run.name}: confirmation`);

        await page.goto('/applications');
        assert.match(await main.innerText(), t('status.pending'));
        await checkA11y(page, `${run.name}: status table`);
      });
    } finally {
      await context.close();
    }
  });
});

RUNS.forEach((run, index) => {
  test(`each of the three forms passes axe; a lawyer applies with a mandate (${run.name})`, async (ctx) => {
    const context = await newContext(ctx.browser, {
      javaScriptEnabled: run.javaScriptEnabled,
      viewport: run.viewport,
      baseURL: ctx.app.url,
    });
    const page = await context.newPage();
    try {
      await withScreenshotOnFailure(page, `${run.name}-forms`, async () => {
        await page.goto('/signin');
        await page.getByLabel(t('signin.email')).fill(`browser${index}@example.com`);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: t('signin.submit') }).click();
        await page.waitForURL('**/account');
        for (const slug of ['contact-book', 'visit', 'lawyer-visit']) {
          await page.goto(`/applications/new/${slug}`);
          await checkA11y(page, `${run.name}: ${slug} form`);
        }
        await page.getByLabel(t('apply.institution')).selectOption('2477');
        await page.getByLabel(t('apply.callNumber')).fill(run.callNumber);
        await page.getByLabel(t('apply.relationship')).selectOption('defender');
        await page.getByLabel(t('apply.doc.identity')).setInputFiles(ctx.photo);
        await page.getByLabel(t('apply.doc.mandate')).setInputFiles(ctx.pdf);
        await page.getByRole('button', { name: t('apply.submit') }).click();
        await page.waitForURL(/\/applications\/\d{8}-[0-9A-Z]{6}$/);
        const text = await page.getByRole('main').innerText();
        assert.match(text, t('applications.sent'));
        assert.match(text, t('service.lawyer_visit'));
        assert.match(text, t('relationship.defender'));
      });
    } finally {
      await context.close();
    }
  });
});

test.run();
